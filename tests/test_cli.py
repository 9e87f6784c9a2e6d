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
    assert arts[0] == {"title": "Aral Sea", "url": "https://theowp.org/?s=Aral+Sea",
                       "date": "2023-02-01", "passages": 2, "partial": False}
    assert len(arts) == 3


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
        (["ask", "--corpus", "/nonexistent/file.md", "peace"], "no such file"),
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
    assert code == 2 and out == "" and f"{doc}:2: invalid JSON" in err
