import io
import json
import sys

import pytest

from bot.__main__ import main


def run(capsys, *argv, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_over_the_seeds_prints_quote_title_and_link(capsys):
    question = "Where did Putin propose a peace treaty without preconditions?"
    code, out, err = run(capsys, "ask", question)
    assert code == 0, err
    assert "Japan And Russia Still Haven’t Signed Peace Treaty" in out
    assert "https://theowp.org/?s=" in out
    assert "Vladivostok" in out
    assert "**Putin**" in out  # the question's words in bold


def test_ask_json_top(capsys):
    code, out, _ = run(capsys, "ask", "--json", "--top", "2", "Kuril Islands naval units")
    data = json.loads(out)
    assert code == 0 and data["answered"] and len(data["hits"]) == 2


def test_batch_mode_reads_stdin_and_prints_json_lines(capsys, monkeypatch):
    code, out, _ = run(
        capsys, "ask", "--json", "-",
        stdin="Kuril Islands naval units\n\nWhat is the capital of France?\n" + "x" * 20000 + "\n",
        monkeypatch=monkeypatch,
    )
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and len(lines) == 4  # one output line per input line, blank included
    assert lines[0]["answered"] is True and "error" in lines[1]
    assert lines[2]["answered"] is False
    assert "too long" in lines[3]["error"]


def test_corpus_option_leaves_the_store_untouched(capsys, tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("---\ntitle: Glaciers\nurl: https://e.org/glaciers\n---\n\nGlaciers melt.\n")
    code, out, _ = run(capsys, "ask", "--json", "--corpus", str(doc), "why do glaciers melt")
    assert code == 0
    assert json.loads(out)["hits"][0]["url"] == "https://e.org/glaciers"
    code, out, _ = run(capsys, "articles", "--json")
    titles = [a["title"] for a in json.loads(out)]
    assert "Glaciers" not in titles and len(titles) == 2


def test_ingest_then_articles_json(capsys, tmp_path):
    doc = tmp_path / "x.jsonl"
    doc.write_text(json.dumps({"title": "Aral Sea", "text": "It shrank.\n\nIt recovers.",
                               "date": "2023-02-01"}) + "\n")
    assert run(capsys, "ingest", str(doc))[0] == 0
    assert run(capsys, "ingest", str(doc))[1].strip().endswith("1 unchanged, 0 failed")
    code, out, _ = run(capsys, "articles", "--json")
    arts = json.loads(out)
    # No URL of its own and no site.base_url configured: no link, not a search of the seed
    # site (theowp.org), which is not the admin's.
    assert arts[0] == {"title": "Aral Sea", "url": "",
                       "date": "2023-02-01", "passages": 2, "partial": False}
    assert len(arts) == 1  # the seed articles were set aside by the first real ingest


def test_own_articles_without_a_url_are_shown_without_a_link_until_a_site_is_set(
        capsys, tmp_path):
    doc = tmp_path / "dam.md"
    doc.write_text("# The Dam Row\n\nMozambique fears for its delta.\n")
    code, out, _ = run(capsys, "ingest", str(doc))
    assert code == 0 and "1 article without a URL of its own, shown without a link" in out
    code, out, _ = run(capsys, "ask", "what does mozambique fear for")
    assert code == 0 and "The Dam Row" in out
    assert "http" not in out and "site search" not in out  # no link line, no other site's
    code, out, _ = run(capsys, "articles")
    assert out.strip() == "The Dam Row"
    config = tmp_path / "config.toml"
    config.write_text('[site]\nbase_url = "https://mysite.example"\n')
    code, out, _ = run(capsys, "--config", str(config), "ingest", str(doc))
    assert code == 0 and "without a link" not in out
    code, out, _ = run(capsys, "--config", str(config), "ask", "what does mozambique fear for")
    assert "https://mysite.example/?s=The+Dam+Row" in out


def test_remove_takes_a_sources_articles_out_of_the_answers_until_ingested_again(
        capsys, tmp_path):
    folder, other = tmp_path / "notes", tmp_path / "more"
    folder.mkdir()
    other.mkdir()
    (folder / "dam.md").write_text("# The dam\n\nThe Mosul Dam holds back the Tigris river.\n")
    (other / "tea.md").write_text("# Tea\n\nKenya exports black tea to Pakistan.\n")
    store = ["--data-dir", str(tmp_path / "d")]
    for path in (folder, other):
        assert run(capsys, *store, "ingest", str(path))[0] == 0
    code, out, _ = run(capsys, *store, "remove", str(tmp_path / "notes" / "."))
    assert code == 0 and f"{folder.resolve()}: 1 removed" in out
    code, out, _ = run(capsys, *store, "ask", "--json", "what does the mosul dam hold back")
    assert all(h["title"] != "The dam" for h in json.loads(out)["hits"])
    code, out, _ = run(capsys, *store, "articles", "--json")
    assert [a["title"] for a in json.loads(out)] == ["Tea"]  # the other source stays
    code, _, err = run(capsys, *store, "remove", "https://nowhere.example/")
    assert code == 2 and "no source 'https://nowhere.example/'" in err
    assert run(capsys, *store, "ingest", str(folder))[0] == 0  # back
    code, out, _ = run(capsys, *store, "ask", "--json", "what does the mosul dam hold back")
    assert json.loads(out)["hits"][0]["title"] == "The dam"
    # A configured source comes back with the next refresh: said.
    config = tmp_path / "c.toml"
    config.write_text(f"[[sources]]\npath = '{other}'\n")
    code, out, err = run(capsys, "--config", str(config), *store, "remove", str(other))
    assert code == 0 and "1 removed" in out and "the next refresh brings it back" in err


def test_ingest_reports_bad_lines_and_exits_1(capsys, tmp_path):
    doc = tmp_path / "x.jsonl"
    doc.write_text('{"title": "Ok", "text": "fine"}\nnot json\n')
    code, out, err = run(capsys, "ingest", str(doc))
    assert code == 1
    assert f"{doc}:2: invalid JSON" in err
    assert "1 new" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["ask", "--top", "0", "peace"], "--top"),
        (["ask", ""], "Ask a question"),
        (["summary", "--sentences", "11", "peace"], "--sentences"),
        (["--config", "/nonexistent.toml", "ask", "peace"], "config file not found"),
    ],
)
def test_usage_errors_exit_2_with_one_line_and_no_traceback(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_broken_config_is_a_clear_error(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[site]\nbase_url = 42\n")
    code, _, err = run(capsys, "--config", str(bad), "ask", "peace")
    assert code == 2 and "site.base_url must be a string" in err
    bad.write_text("[site\n")
    code, _, err = run(capsys, "--config", str(bad), "ask", "peace")
    assert code == 2 and "invalid TOML" in err and "Traceback" not in err


def test_unknown_command_is_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2


def test_version_is_printed_without_a_command(capsys):
    from bot import __version__

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.strip() == f"footnote {__version__}"


def test_data_dir_option_chooses_the_store(capsys, tmp_path):
    target = tmp_path / "elsewhere"
    assert run(capsys, "--data-dir", str(target), "articles")[0] == 0
    assert (target / "footnote.sqlite3").exists()


def test_run_without_token_is_a_clear_error(capsys):
    code, _, err = run(capsys, "run")
    assert code == 2 and "DISCORD_TOKEN" in err and "Traceback" not in err


def test_status(capsys):
    code, out, _ = run(capsys, "status")
    assert code == 0 and "articles: 2" in out and "passages: 6" in out


def test_corpus_with_a_bad_line_is_a_source_error(capsys, tmp_path):
    doc = tmp_path / "c.jsonl"
    doc.write_text('{"title": "Ok", "text": "fine"}\n{broken\n')
    code, out, err = run(capsys, "ask", "--corpus", str(doc), "fine")
    assert code == 1 and out == "" and f"{doc}:2: invalid JSON" in err  # as `ingest` exits
    code, out, err = run(capsys, "ask", "--corpus", str(tmp_path / "missing.md"), "fine")
    assert code == 1 and out == "" and "no such file" in err and "Traceback" not in err


# -- the exit-status table: 0 ok, 1 a source failed, 2 usage or config, 3 store unavailable
def test_exit_status_table_is_the_one_the_readme_states():
    from pathlib import Path

    from bot import cli

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    table = {cli.EXIT_OK: "ok", cli.EXIT_FAILED: "a source failed",
             cli.EXIT_USAGE: "usage or config", cli.EXIT_STORE: "the store is unavailable"}
    for code, meaning in table.items():
        assert f"| {code} | {meaning}" in readme


def test_console_reference_names_every_option_of_every_command():
    """The README's console reference and the parser list the same options, per command."""
    import argparse
    import re
    from pathlib import Path

    from bot import cli

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    block = readme.split("## Console reference\n\n```\n", 1)[1].split("```", 1)[0]
    parser = cli.build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]

    def options(p: argparse.ArgumentParser) -> set[str]:
        return {o for a in p._actions for o in a.option_strings} - {"-h", "--help"}

    common = options(parser)
    documented: dict[str, set[str]] = {}
    for line in block.splitlines()[1:]:
        name = line.split()[0] if line.startswith("  ") and line.strip() else ""
        if name in sub.choices:
            documented.setdefault(name, set()).update(re.findall(r"(?<![\w-])--?[a-z][\w-]*",
                                                                 line))
    assert set(re.findall(r"(?<![\w-])--?[a-z][\w-]*", block.splitlines()[0])) >= common
    assert set(documented) == set(sub.choices)
    for name, p in sub.choices.items():
        assert documented[name] == options(p) - common, name


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("footnote:")]
    assert len(lines) == 1 and "Traceback" not in err and "cannot rollback" not in err, err
    return lines[0]


def _jsonl(path, n=1, words=3):
    path.write_text("".join(json.dumps({"title": f"Doc {i}", "text": "word " * words}) + "\n"
                            for i in range(n)))
    return path


def test_ingest_while_another_process_holds_the_lock_exits_3(capsys, tmp_path, monkeypatch):
    import sqlite3

    import bot.store.connection

    assert run(capsys, "articles")[0] == 0  # the store exists (seeded)
    monkeypatch.setattr(bot.store.connection, "BUSY_TIMEOUT", 0.1)
    other = sqlite3.connect(tmp_path / "data" / "footnote.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        code, out, err = run(capsys, "ingest", str(_jsonl(tmp_path / "x.jsonl")))
        assert code == 3
        assert _one_error_line(err).startswith(
            "footnote: store unavailable: the database is locked by another process")
        code, out, err = run(capsys, "ask", "Kuril Islands naval units")  # reads still work
        assert code == 0 and "Kuril" in out
    finally:
        other.rollback()
        other.close()
    code, out, _ = run(capsys, "articles", "--json")
    assert len(json.loads(out)) == 2  # nothing half-written


def test_a_full_disk_during_ingest_exits_3_and_loses_nothing(capsys, tmp_path, monkeypatch):
    import bot.store
    from bot.store import open_stores

    assert run(capsys, "articles")[0] == 0

    def full_stores(*args, **kwargs):  # SQLite's own limit stands in for a full disk
        stores = open_stores(*args, **kwargs)
        pages = stores.db.conn.execute("PRAGMA page_count").fetchone()[0]
        stores.db.conn.execute(f"PRAGMA max_page_count = {pages}")
        return stores

    monkeypatch.setattr(bot.store, "open_stores", full_stores)  # as the root opens it
    code, _, err = run(capsys, "ingest", str(_jsonl(tmp_path / "big.jsonl", 30, 3000)))
    assert code == 3
    assert _one_error_line(err).startswith("footnote: store unavailable: the disk")
    monkeypatch.undo()
    code, out, _ = run(capsys, "articles", "--json")
    assert len(json.loads(out)) == 2


def test_a_store_that_is_not_a_database_exits_3(capsys, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "footnote.sqlite3").write_bytes(b"garbage, not SQLite " * 200)
    for argv in (["articles"], ["ask", "peace"], ["status"]):
        code, _, err = run(capsys, *argv)
        assert code == 3 and "not a Footnote store" in _one_error_line(err)


@pytest.mark.parametrize("where, says", [("a-file", "the data folder is a file, not a folder"),
                                         ("a-file/below", "cannot create")])
def test_data_dir_that_cannot_be_a_folder_exits_3(capsys, tmp_path, where, says):
    (tmp_path / "a-file").write_text("not a folder")
    code, _, err = run(capsys, "--data-dir", str(tmp_path / where), "articles")
    assert code == 3
    line = _one_error_line(err)
    assert line.startswith("footnote: store unavailable:") and says in line
    assert line.endswith(f"({tmp_path / where})")  # the console names the folder


# -- the index cache: any damage is rebuilt with a warning, never a crash
def _truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_a_data_byte(path):  # the zip's CRC no longer matches a member
    data = bytearray(path.read_bytes())
    at = data.index(b"\x93NUMPY") + 200
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


def _other_arrays(path):
    import numpy as np

    with open(path, "wb") as f:
        np.savez(f, vocab=np.zeros(3, dtype=np.uint8), passages_indptr=np.arange(5))


def _pickled(path):
    import numpy as np

    with open(path, "wb") as f:
        np.savez(f, vocab=np.array([{"evil": 1}], dtype=object))


def _inconsistent(path):  # every array present, but they do not fit together
    import numpy as np

    with np.load(path) as z:
        arrays = dict(z)
    arrays["passages.indices"] = arrays["passages.indices"] + 10_000
    with open(path, "wb") as f:
        np.savez(f, **arrays)


DAMAGE = {
    "empty": lambda p: p.write_bytes(b""),
    "truncated": _truncate,
    "crc": _flip_a_data_byte,
    "garbage": lambda p: p.write_bytes(b"\x00garbage" * 100),
    "other arrays": _other_arrays,
    "pickled": _pickled,
    "inconsistent": _inconsistent,
}


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize("argv", [["ask", "Kuril Islands naval units"], ["articles"]])
def test_a_damaged_index_cache_is_rebuilt_with_a_warning(capsys, caplog, tmp_path, damage,
                                                         argv):
    from bot.index import Index

    assert run(capsys, "articles")[0] == 0
    (cache,) = (tmp_path / "data" / "index").glob("index-*.npz")
    DAMAGE[damage](cache)
    with caplog.at_level("WARNING"):
        code, out, err = run(capsys, *argv)
    assert code == 0 and "Traceback" not in err
    assert "Kuril" in out or "Japan" in out
    assert any("unreadable" in r.getMessage() for r in caplog.records)
    assert Index.load(cache).size == 6  # rewritten whole
    assert not list(cache.parent.glob(".*.tmp"))  # no temporary file left behind


@pytest.mark.parametrize("argv, says, never", [
    (["ask", "  "], "Ask a question about the site's articles.", "peace treaty"),
    (["search", ""], "Search for what?", "Ask a question"),
    (["search", "x" * 100_000], "That query is too long", "question"),
    (["summary", "x" * 100_000], "That article description is too long", "question"),
])
def test_empty_and_huge_arguments_are_named_for_what_they_are(capsys, argv, says, never):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and says in err and never not in err
    assert len(err.splitlines()) == 1
