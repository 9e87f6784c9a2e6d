import sqlite3

import pytest

from bot.models import Article
from bot.store import Store


def art(title="T", paras=("one", "two"), url="https://e.org/t", **kw):
    return Article(title=title, paragraphs=tuple(paras), url=url, **kw)


def test_ingest_is_idempotent_and_updates_changed_text(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    r1 = store.ingest([art(), art("U", url="https://e.org/u")], "src")
    assert (r1.new, r1.updated, r1.unchanged) == (2, 0, 0)
    rev = store.revision()
    r2 = store.ingest([art(), art("U", url="https://e.org/u")], "src")
    assert (r2.new, r2.updated, r2.unchanged) == (0, 0, 2)
    assert store.revision() == rev  # nothing changed, caches stay valid
    r3 = store.ingest([art(paras=("changed",))], "src")
    assert r3.updated == 1
    by_url = {a.url: a for a in store.articles()}
    assert by_url["https://e.org/t"].paragraphs == ("changed",)
    assert store.count() == (2, 3)


def test_same_article_twice_in_one_ingest_is_one_article():
    store = Store(":memory:")
    report = store.ingest([art(), art()], "src")
    assert report.new == 1 and store.count()[0] == 1


def test_complete_listing_marks_missing_articles_removed_partial_never():
    store = Store(":memory:")
    store.ingest([art("A", url="https://e.org/a"), art("B", url="https://e.org/b")], "site")
    partial = store.ingest([art("A", url="https://e.org/a")], "site", complete=False)
    assert partial.removed == 0 and store.count()[0] == 2
    full = store.ingest([art("A", url="https://e.org/a")], "site", complete=True)
    assert full.removed == 1
    assert [a.title for a in store.articles()] == ["A"]
    assert len(store.articles(include_removed=True)) == 2
    back = store.ingest([art("B", url="https://e.org/b")], "site")
    assert back.updated == 1 and store.count()[0] == 2


def test_failed_ingest_keeps_everything(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    store.ingest([art("A", url="https://e.org/a")], "site")

    def broken():
        yield art("B", url="https://e.org/b")
        raise RuntimeError("connection lost half-way")

    with pytest.raises(RuntimeError):
        store.ingest(broken(), "site", complete=True)
    assert [a.title for a in store.articles()] == ["A"]


def test_store_survives_a_restart(tmp_path):
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    store.ingest([art()], "src")
    store.close()
    again = Store(path)
    assert again.count() == (1, 2)
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_article_without_url_links_to_site_search():
    store = Store(":memory:", base_url="https://news.example/")
    store.ingest([art("Peace & Quiet", url="", source="f.txt")], "f.txt")
    assert store.articles()[0].link == "https://news.example/?s=Peace+%26+Quiet"


def test_search_link_leaves_out_words_with_quotes():
    from bot.store import search_link

    link = search_link("https://theowp.org", "Japan Still Haven’t Signed")
    assert link == "https://theowp.org/?s=Japan+Still+Signed"
    assert search_link("https://x.org/", "“Quoted”") == "https://x.org/?s=%E2%80%9CQuoted%E2%80%9D"
