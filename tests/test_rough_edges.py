"""Rough edges a new user hit: each one pinned."""

from __future__ import annotations

import io
import json

import discord
import pytest

from bot.__main__ import main
from bot.sources.files import load_file


def _corpus(tmp_path, *records):
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return str(path)


def test_batch_ask_answers_one_line_per_input_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("why no peace treaty?\n\n   \nKuril islands\n"))
    assert main(["ask", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    records = [json.loads(x) for x in lines]
    assert "error" in records[1] and "error" in records[2]
    assert "error" not in records[0] and records[3]["question"] == "Kuril islands"


def test_text_file_with_subheadings_is_one_article(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("Water in the Sahel\n\nBackground\n\nRains failed three years running.\n\n"
                    "Outlook\n\nAid agencies expect the worst.\n")
    (art,) = load_file(path).articles
    assert art.title == "Water in the Sahel"
    assert "Aid agencies expect the worst." in art.paragraphs


def test_text_file_with_the_page_marker_is_a_page_of_articles(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("First Story Title\n\nA paragraph of the first story.\n\n"
                    "Second Story Title\n\nA teaser of the second story. Read More »\n")
    arts = load_file(path).articles
    assert [a.title for a in arts] == ["First Story Title", "Second Story Title"]
    assert arts[1].partial and not arts[0].partial


def test_binary_jsonl_is_one_error_line(tmp_path):
    path = tmp_path / "blob.jsonl"
    path.write_bytes(bytes(range(256)) * 400)
    result = load_file(path)
    assert [str(e) for e in result.errors] == [f"{path}: a binary file, not JSON Lines"]


def test_many_bad_jsonl_lines_end_in_a_count(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text("not json\n" * 79)
    errors = [str(e) for e in load_file(path).errors]
    assert len(errors) == 5 and errors[-1].endswith("and 75 more bad lines")


def test_same_titles_without_urls_can_still_be_picked(tmp_path, capsys):
    (tmp_path / "alps.md").write_text("# Notes\n\nGlaciers in the Alps melt fast.\n")
    (tmp_path / "delta.md").write_text("# Notes\n\nRivers in Bangladesh flood each spring.\n")
    corpus = str(tmp_path)
    assert main(["summary", "--corpus", corpus, "Notes"]) == 2
    err = capsys.readouterr().err
    ids = [line.split("id:")[1].split(";")[0] for line in err.splitlines() if "id:" in line]
    assert len(ids) == 2 and ids[0] != ids[1]
    assert main(["summary", "--corpus", corpus, f"id:{ids[1]}"]) == 0
    assert "Bangladesh" in capsys.readouterr().out


def test_identical_duplicates_are_not_ambiguous(tmp_path, capsys):
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("# Notes\n\nGlaciers in the Alps melt fast.\n")
    corpus = str(tmp_path)
    assert main(["summary", "--corpus", corpus, "Notes"]) == 0


@pytest.mark.parametrize("target", ["ftp://example.org/feed", "gopher://x/y", "http://"])
def test_other_url_schemes_are_named_not_garbled(target, capsys):
    assert main(["ingest", target]) == 2
    err = capsys.readouterr().err
    assert target in err and "/:" not in err.replace(target, "")


def test_file_urls_are_local_paths(tmp_path, capsys):
    (tmp_path / "a.md").write_text("# Dams\n\nThe Nile dam holds water.\n")
    assert main(["ingest", (tmp_path / "a.md").as_uri()]) == 0
    assert "1 new" in capsys.readouterr().out


def test_run_without_network_says_so(monkeypatch, capsys):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{port}/api/v10")
    monkeypatch.setenv("DISCORD_TOKEN", "x" * 59)
    assert main(["run"]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot reach Discord" in err[0]


def _closed_port() -> int:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    return port


async def test_a_closed_port_is_reported_as_refused_not_as_robots():
    from bot.config import FetchConfig
    from bot.errors import FetchError
    from bot.sources.http import Fetcher, new_session

    cfg = FetchConfig(backoff_seconds=0.01, delay_seconds=0.0, retries=1, allow_private=True)
    url = f"http://127.0.0.1:{_closed_port()}/feed"
    async with new_session(cfg) as session:
        with pytest.raises(FetchError) as exc:
            await Fetcher(session, cfg).fetch(url)
    assert str(exc.value) == f"{url}: connection refused"


def _titles(capsys) -> list[str]:
    capsys.readouterr()
    assert main(["articles", "--json"]) == 0
    return [a["title"] for a in json.loads(capsys.readouterr().out)]


def test_the_first_real_ingest_sets_the_seeds_aside_and_seeds_bring_them_back(tmp_path, capsys):
    seeded = _titles(capsys)
    assert len(seeded) >= 2
    (tmp_path / "a.md").write_text("# Dams\n\nThe Nile dam holds water.\n")
    assert main(["ingest", str(tmp_path / "a.md")]) == 0
    assert "the bundled seed articles were set aside; `footnote ingest seeds/` brings them back" \
        in capsys.readouterr().out
    assert _titles(capsys) == ["Dams"]
    assert main(["ingest", "seeds/"]) == 0  # no seeds/ folder here: the bundled one
    assert sorted(_titles(capsys)) == sorted([*seeded, "Dams"])
    (tmp_path / "b.md").write_text("# Wells\n\nWells run dry in summer.\n")
    assert main(["ingest", str(tmp_path / "b.md")]) == 0  # brought back: they stay
    assert "set aside" not in capsys.readouterr().out
    assert len(_titles(capsys)) == len(seeded) + 2


def test_a_failed_ingest_keeps_the_seeds(tmp_path, capsys):
    seeded = _titles(capsys)
    assert main(["ingest", str(tmp_path / "missing.md")]) == 1
    assert "set aside" not in capsys.readouterr().out
    assert _titles(capsys) == seeded


def test_status_shows_file_sources_and_when_they_were_ingested(tmp_path, capsys):
    (tmp_path / "a.md").write_text("# Dams\n\nThe Nile dam holds water.\n")
    assert main(["status"]) == 0
    assert "last refresh: never" in capsys.readouterr().out
    assert main(["ingest", str(tmp_path / "a.md")]) == 0
    capsys.readouterr()
    assert main(["status"]) == 0  # another process: the time comes from the store
    out = capsys.readouterr().out
    assert "last refresh: never" not in out and "last refresh: 20" in out
    assert f"source {tmp_path / 'a.md'}: ok (file), 20" in out


def test_a_one_off_failed_url_is_forgotten_after_a_day(tmp_path, capsys):
    import sqlite3
    import time

    url = f"http://127.0.0.1:{_closed_port()}"
    assert main(["ingest", url]) == 1
    capsys.readouterr()
    assert main(["status"]) == 0
    assert "source http://127.0.0.1" in capsys.readouterr().out
    with sqlite3.connect(tmp_path / "data" / "footnote.sqlite3") as db:
        db.execute("UPDATE sources SET last_refresh=?", (time.time() - 25 * 3600,))
    db.close()
    assert main(["status"]) == 0
    assert "http://127.0.0.1" not in capsys.readouterr().out


def test_summary_about_a_topic_the_article_does_not_mention_says_so(tmp_path, capsys):
    (tmp_path / "a.md").write_text("# Dams\n\nThe Nile dam holds water for the dry season.\n")
    corpus = ["--corpus", str(tmp_path / "a.md")]
    assert main(["summary", *corpus, "Dams", "--about", "volcanoes"]) == 0
    note = "The article does not mention \u201cvolcanoes\u201d; this is its general summary."
    assert note in capsys.readouterr().out
    assert main(["summary", *corpus, "Dams", "--about", "volcanoes", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["about_mentioned"] is False and record["sentences"]
    assert main(["summary", *corpus, "Dams", "--about", "the dry seasons", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["about_mentioned"] is True


def test_discord_summary_says_when_the_topic_is_not_mentioned():
    from bot.discord_app.render import summary_embed
    from bot.models import Summary

    summary = Summary("Dams", "https://x.org/dams", False, ("The Nile dam holds water.",),
                      about="volcanoes", about_mentioned=False)
    assert "does not mention \u201cvolcanoes\u201d" in summary_embed(summary).description


def test_console_help_names_the_configured_site(tmp_path, capsys):
    (tmp_path / "config.toml").write_text('[site]\nname = "Acme News"\n')
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "the articles of Acme News" in capsys.readouterr().out


def test_console_help_works_with_a_broken_config(tmp_path, capsys):
    (tmp_path / "config.toml").write_text("[site\n")
    with pytest.raises(SystemExit) as exc:
        main(["ask", "--help"])
    assert exc.value.code == 0 and "question" in capsys.readouterr().out


def test_a_missing_path_is_not_listed_as_a_source(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "missing.md")]) == 1
    capsys.readouterr()
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "missing.md" not in out and "last refresh: never" in out


def test_markdown_headings_are_not_passages(tmp_path):
    path = tmp_path / "bees.md"
    path.write_text("---\ntitle: Bees\n---\n\n# Why Honey Bees Swarm in Spring\n\n"
                    "Colonies split when the hive is crowded.\n\n## Drones\n\n"
                    "Drones are male bees that do not sting.\n")
    (art,) = load_file(path).articles
    assert art.paragraphs == ("Colonies split when the hive is crowded.",
                              "Drones are male bees that do not sting.")


def test_a_saved_html_page_gives_its_text_not_its_markup(tmp_path):
    page = ("<html><head><title>Sage in the garden</title></head><body><nav>Home | Shop</nav>"
            "<article><h1>Sage in the garden</h1>"
            + "".join(f"<p>Sage needs sun and dry soil to thrive, note {i}; water it sparingly "
                      f"in summer and cut it back after flowering.</p>" for i in range(4))
            + "</article><footer>Copyright</footer></body></html>")
    (tmp_path / "sage.html").write_text(page)
    (art,) = load_file(tmp_path / "sage.html").articles
    assert art.title == "Sage in the garden"
    assert all("<" not in p for p in art.paragraphs) and "dry soil" in art.paragraphs[0]


def test_a_folder_by_relative_and_absolute_path_is_one_source(tmp_path, capsys, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.md").write_text("# Dams\n\nThe Nile dam holds water.\n")
    monkeypatch.chdir(tmp_path)
    assert main(["ingest", "site"]) == 0
    assert main(["ingest", str(site)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "1 new" in out[0] and "0 new" in out[1]
    assert main(["articles", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_a_country_the_articles_never_name_counts_in_lowercase_too(capsys):
    assert main(["ask", "--json", "are china and japan also in a territorial dispute"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] != "answered"


def test_ingest_says_which_files_of_a_folder_it_could_not_read(tmp_path, capsys):
    mixed, only, empty = tmp_path / "mixed", tmp_path / "only", tmp_path / "empty"
    for folder in (mixed, only, empty):
        folder.mkdir()
    (mixed / "a.md").write_text("# Dams\n\nThe Nile dam holds water.\n")
    (mixed / "b.docx").write_bytes(b"PK\x03\x04")
    (only / "c.docx").write_bytes(b"PK\x03\x04")
    (only / "d.rtf").write_text("{\\rtf1 text}")
    assert main(["ingest", str(mixed)]) == 0
    out = capsys.readouterr().out
    assert "1 new" in out and "skipped 1 file of a type it does not read (.docx: b.docx)" in out
    # Only files it cannot read: a failure, not an empty source.
    assert main(["ingest", str(only)]) == 1
    captured = capsys.readouterr()
    assert "skipped 2 files of a type it does not read (.docx, .rtf" in captured.err
    assert "1 failed" in captured.out
    assert main(["ingest", str(empty)]) == 0
    assert "no files in it" in capsys.readouterr().out


def test_a_first_ingest_into_a_new_folder_does_not_talk_of_seeds(tmp_path, capsys):
    (tmp_path / "a.md").write_text("# Dams\n\nThe Nile dam holds water.\n")
    fresh = str(tmp_path / "mysite")
    assert main(["--data-dir", fresh, "ingest", str(tmp_path / "a.md")]) == 0
    assert "seed" not in capsys.readouterr().out
    assert main(["--data-dir", fresh, "articles", "--json"]) == 0
    assert [a["title"] for a in json.loads(capsys.readouterr().out)] == ["Dams"]
