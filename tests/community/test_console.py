"""`footnote report` and `footnote forget` on a store filled through the community core, and
the store's after-ingest hook that feeds announcements."""

from __future__ import annotations

import csv
import io
import json

import pytest

from bot.__main__ import main, open_app
from bot.community.service import Where
from bot.config import Config, ConfigError, parse_config
from bot.models import Article

PARAPHRASES = [
    "how do I bake sourdough bread", "how to bake sourdough bread at home?",
    "best sourdough bread to bake", "sourdough bread: how do you bake it",
]


@pytest.fixture
def filled(tmp_path):
    app = open_app(Config(), tmp_path)
    community = app.service.community  # the composition root opened it
    for n, q in enumerate(PARAPHRASES):
        community.ask(q, Where(1, 2, user_id=100 + n % 2), 3)
    community.ask("who won the 1998 world cup football", Where(1, 2, user_id=100), 3)
    community.ask("Why haven't Japan and Russia signed a peace treaty?", Where(1, 2, 101), 3)
    yield tmp_path, community
    app.close()


def footnote(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_report_csv_has_a_header_and_a_row_per_group(filled, capsys):
    data_dir, _ = filled
    rows = list(csv.reader(io.StringIO(footnote(capsys, "report", "--csv",
                                                "--data-dir", str(data_dir)))))
    assert rows[0][:2] == ["count", "question"]
    assert [r[0] for r in rows[1:]] == ["4", "1"]  # paraphrases together, most asked first
    assert "sourdough" in rows[1][1] and "world cup" in rows[2][1]


def test_report_json_text_and_since(filled, capsys):
    data_dir = str(filled[0])
    groups = json.loads(footnote(capsys, "report", "--json", "--data-dir", data_dir))
    assert [g["count"] for g in groups] == [4, 1] and groups[0]["none"] == 4
    assert footnote(capsys, "report", "--data-dir", data_dir).startswith("4× ")
    later = footnote(capsys, "report", "--since", "2999-01-01", "--data-dir", data_dir)
    assert later.startswith("No questions on record yet")  # none asked since then
    elsewhere = footnote(capsys, "report", "--guild", "999", "--data-dir", data_dir)
    assert elsewhere.startswith("No questions on record yet")  # none asked in that server
    assert main(["report", "--since", "last week", "--data-dir", data_dir]) == 2


def test_an_empty_report_says_whether_anything_was_recorded(tmp_path, capsys):
    from bot.community.report import report_text

    assert report_text([], recorded=0).startswith("No questions on record yet")
    assert report_text([], recorded=3).startswith("Nothing unanswered")
    empty = footnote(capsys, "report", "--data-dir", str(tmp_path / "fresh"))
    assert empty.startswith("No questions on record yet")


def test_forget_removes_one_users_records(filled, capsys):
    data_dir, community = filled
    rec = community.ask("peace treaty Japan Russia", Where(1, 2, user_id=100), 3)[1]
    community.vote(rec, 100, -1)
    community.vote(rec, 101, 1)
    out = footnote(capsys, "forget", "--user", "100", "--data-dir", str(data_dir))
    assert out.startswith("forgot 4 questions and 1 votes")  # 2 paraphrases, cup, treaty
    left = community.db.one("SELECT COUNT(*) FROM asks")[0]
    assert left == 3 and community.feedback.ask(rec) is None


def test_only_a_known_sources_new_articles_are_queued(filled):
    _, community = filled
    store = community.service.stores.articles
    first = store.ingest([Article("Back Catalogue", ("Old text here. More of it.",))], "blog")
    assert first.new == 1 and first.added == []  # a source's first ingest
    second = store.ingest([Article("Back Catalogue", ("Old text here. More of it.",)),
                           Article("Fresh Post", ("News today. Big news.",), url="https://x.org/f",
                                   author="Ann", date="2026-11-20")], "blog")
    assert [(a.title, a.url, a.author, a.date[:10]) for a in second.added] == [
        ("Fresh Post", "https://x.org/f", "Ann", "2026-11-20")]
    again = store.ingest([Article("Fresh Post", ("News today. Bigger news.",),
                                  url="https://x.org/f", author="Ann", date="2026-11-20")],
                         "blog")  # an edit
    assert again.updated == 1 and again.added == []
    url_source = "https://site.example/"
    store.ingest([Article("Web A", ("A. B.",))], url_source)  # first crawl, batch one
    crawl = store.ingest([Article("Web B", ("C. D.",))], url_source)  # batch two
    assert crawl.added == []  # no refresh completed yet: still the back catalogue
    community.service.stores.sources.record(url_source, "ok (sitemap)", '{"kind": "sitemap"}')
    assert [a.title for a in store.ingest([Article("Web C", ("E. F.",))], url_source).added] \
        == ["Web C"]
    queued = community.db.rows("SELECT title, summary FROM announce_queue ORDER BY id")
    assert [t for t, _ in queued] == ["Fresh Post", "Web C"]
    assert queued[0][1] == "News today. Big news."


def test_community_config_parses_modes_and_refuses_bad_ones():
    cfg = parse_config({"community": {"retention_days": 30, "default_mode": "off",
                                      "modes": {"1": {"default": "commands", "2": "auto"}}}})
    assert cfg.community.modes == {1: {0: "commands", 2: "auto"}}
    assert cfg.community.retention_days == 30.0
    for bad, words in (({"default_mode": "loud"}, "community.default_mode"),
                       ({"modes": {"x": {}}}, "not a guild id"),
                       ({"modes": {"1": {"2": "sometimes"}}}, "community.modes.1.2"),
                       ({"colour": 1}, "unknown key community.colour")):
        with pytest.raises(ConfigError, match=words):
            parse_config({"community": bad})


def test_recording_an_ask_never_waits_long_for_another_writer(filled):
    import sqlite3

    from bot.community.service import status_of

    _, community = filled
    other = sqlite3.connect(community.db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # a long ingest in another process holds the lock
    try:
        ans, record = community.ask("Why haven't Japan and Russia signed a peace treaty?",
                                    Where(1, 2, 3), 3)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert status_of(ans) == "answered" and record == 0  # answered, without vote buttons
    assert community.ask("peace treaty Japan Russia", Where(1, 2, 3), 3)[1] > 0
