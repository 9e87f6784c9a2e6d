import json
import logging

import pytest

from bot.sources.files import load_file, load_paths, parse_markdown, parse_page
from bot.text import tokenize


def test_every_seed_file_loads_through_the_real_loader(seeds_dir):
    files = sorted(p for p in seeds_dir.iterdir() if p.suffix == ".txt")
    assert files
    for path in files:
        result = load_file(path)
        assert result.errors == []
        assert result.articles
        for art in result.articles:
            assert art.title and art.paragraphs
            assert all("Read More" not in p for p in art.paragraphs)


def test_seed_titles_paragraphs_and_teaser(seeds_dir):
    arts = load_paths([seeds_dir]).articles
    by_title = {a.title: a for a in arts}
    japan = by_title["Japan And Russia Still Haven’t Signed Peace Treaty 70 Years After WWII"]
    assert len(japan.paragraphs) == 5 and not japan.partial
    assert japan.paragraphs[1].startswith("“Let’s conclude a peace treaty")
    yemen = by_title["The Not-So-Yemeni Deadlock"]
    assert yemen.partial
    assert yemen.paragraphs[-1].endswith("witness to a pause in")
    assert "read" not in tokenize(" ".join(yemen.paragraphs))


def test_page_with_teaser_marker_on_the_same_line():
    arts = parse_page("A Title\n\nFirst words of it. More here… Read More »\n")
    assert arts[0].partial and arts[0].paragraphs == ("First words of it. More here…",)


def test_page_keeps_double_spaces_and_nbsp_as_text():
    arts = parse_page("Some Title\n\nThe 19th  century\u00a0saw it. It ended.")
    assert arts[0].paragraphs == ("The 19th  century\u00a0saw it. It ended.",)


def test_markdown_front_matter():
    text = (
        "---\ntitle: Water Wars\nurl: https://example.org/water\ndate: 2024-05-01\n"
        "author: A. Writer\n---\n\n# Ignored heading\n\n"
        "The **Nile** dam [talks](http://x) stalled.\n\n"
        "- A list item.\n"
    )
    art = parse_markdown(text, "w.md")
    assert art.title == "Water Wars" and art.url == "https://example.org/water"
    assert art.date == "2024-05-01" and art.author == "A. Writer"
    assert art.paragraphs == ("The Nile dam talks stalled.", "A list item.")  # no heading


def test_markdown_heading_title_and_file_name_fallback(tmp_path):
    (tmp_path / "a.md").write_text("# Heading Title\n\nBody text here.\n")
    (tmp_path / "plain-note.md").write_text("just a body paragraph with no title.\n")
    arts = {a.title for a in load_paths([tmp_path]).articles}
    assert arts == {"Heading Title", "plain-note"}


def test_jsonl_paragraphs_and_text(tmp_path):
    path = tmp_path / "a.jsonl"
    lines = [
        {"title": "One", "paragraphs": ["p1", "p2"], "url": "https://e.org/1"},
        {"title": "Two", "text": "first para\n\nsecond para", "date": "2020-01-01"},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines))
    result = load_file(path)
    assert result.errors == []
    assert [a.paragraphs for a in result.articles] == [("p1", "p2"), ("first para", "second para")]
    assert result.articles[0].url == "https://e.org/1"


def test_jsonl_bad_lines_are_named_and_skipped(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"title": "Good", "text": "fine"}\n{not json\n{"text": "no title"}\n[1, 2]\n'
        '{"title": "T", "paragraphs": "not a list"}\n'
    )
    result = load_file(path)
    assert [a.title for a in result.articles] == ["Good"]
    where = [str(e) for e in result.errors]
    assert len(where) == 4
    assert where[0].startswith(f"{path}:2: invalid JSON")
    assert f"{path}:3: missing 'title'" in where
    assert any(w.startswith(f"{path}:4:") for w in where)
    assert any(w.startswith(f"{path}:5:") for w in where)


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    (tmp_path / "a_bad.txt").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "b_bad.md").write_text("---\ntitle: x\nno colon line\n---\nbody\n")
    (tmp_path / "c_good.md").write_text("# Good\n\nA paragraph.\n")
    result = load_paths([tmp_path, tmp_path / "missing.txt"])
    assert [a.title for a in result.articles] == ["Good"]
    messages = [str(e) for e in result.errors]
    assert any("a_bad.txt: a binary file, not text" in m for m in messages)
    assert any("b_bad.md:3" in m for m in messages)
    assert any("missing.txt: no such file" in m for m in messages)


def test_plain_text_without_titles_is_one_article_named_after_the_file(tmp_path):
    path = tmp_path / "field-notes.txt"
    path.write_text("We walked to the border post. It was closed.\n\nThe guards said nothing.\n")
    (art,) = load_file(path).articles
    assert art.title == "field-notes" and len(art.paragraphs) == 2


def test_a_headline_that_asks_is_the_title_of_a_plain_text_article(tmp_path):
    path = tmp_path / "nato.txt"
    path.write_text("Is NATO Ready for a Longer War?\n\nThe alliance has spent two years "
                    "refilling its stocks. It is not done.\n\nShells remain short.\n")
    (art,) = load_file(path).articles
    assert art.title == "Is NATO Ready for a Longer War?" and len(art.paragraphs) == 2
    # A first line that is a sentence, or a question in a longer block, stays a paragraph.
    path.write_text("Why? Because the stocks are short. Nobody disputes it.\n\nMore.\n")
    assert load_file(path).articles[0].title == "nato"


def test_jsonl_blank_paragraphs_keep_source_indices(tmp_path):
    from bot.config import Config
    from bot.service import Service
    from bot.store import open_stores

    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"title": "Dams", "paragraphs": ["Intro.", "", "The Nile dam."]}))
    store = open_stores(":memory:")
    store.articles.ingest(load_file(path).articles, "t")
    ans = Service(store, Config()).ask("Nile dam", top=5)
    assert [(h.paragraph, h.passage) for h in ans.hits][0] == (2, "The Nile dam.")
    assert all(h.passage.strip() for h in ans.hits)


def test_a_saved_page_takes_no_date_from_its_footer(tmp_path):
    from bot.sources.files import load_paths

    body = ("<html><head><title>Volcano wakes</title></head><body><article><h1>Volcano "
            "wakes</h1><p>The volcano erupted after eight centuries of sleep, scientists "
            "said on Friday, and the magma is rising slowly.</p><p>The magma sits roughly "
            "17 kilometres beneath the surface, they said.</p></article>"
            "<footer>Copyright 2024 Example News</footer></body></html>")
    (tmp_path / "volcano.html").write_text(body)
    (art,) = load_paths([tmp_path]).articles
    assert art.date == ""
    dated = body.replace("<head>", '<head><meta property="article:published_time" '
                                   'content="2021-03-20T10:00:00Z">')
    (tmp_path / "volcano.html").write_text(dated)
    (art,) = load_paths([tmp_path]).articles
    assert art.date.startswith("2021-03-20")


def _dated(date: str) -> str:
    return f"---\ntitle: Dated\ndate: {date}\n---\n\nThe dam talks stalled again.\n"


@pytest.mark.parametrize("given, stored", [
    ("2025-03-05", "2025-03-05"),
    ("5 March 2025", "2025-03-05"),
    ("5th of Mar. 2025", "2025-03-05"),
    ("March 5, 2025", "2025-03-05"),
    ("Wednesday, March 5 2025", "2025-03-05"),
    ("Wed, 05 Mar 2025 10:00:00 +0100", "2025-03-05T09:00:00Z"),
    ("2025-03-05T10:00:00+01:00", "2025-03-05T09:00:00Z"),
    ("2025/03/05", "2025-03-05"),
    ("25/03/2025", "2025-03-25"),  # only one reading is a date
    ("03/25/2025", "2025-03-25"),
])
def test_front_matter_dates_are_stored_as_iso_8601(given, stored):
    assert parse_markdown(_dated(given), "d.md").date == stored


@pytest.mark.parametrize("given", ["yesterday", "03/04/2025", "31 February 2025", "5/3/25"])
def test_an_unreadable_or_ambiguous_date_is_dropped_with_a_warning(tmp_path, caplog, given):
    (tmp_path / "notes.md").write_text(_dated(given))
    with caplog.at_level(logging.WARNING):
        result = load_paths([tmp_path])
    assert [a.date for a in result.articles] == [""] and result.errors == []  # article kept
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "\n" not in warnings[0]
    assert warnings[0].startswith(f"{tmp_path / 'notes.md'}: date {given!r} dropped")


def test_json_lines_dates_are_normalised_too(tmp_path, caplog):
    doc = tmp_path / "x.jsonl"
    doc.write_text(json.dumps({"title": "A", "text": "a", "date": "March 5, 2025"}) + "\n"
                   + json.dumps({"title": "B", "text": "b", "date": "yesterday"}) + "\n")
    with caplog.at_level(logging.WARNING):
        arts = load_paths([doc]).articles
    assert [a.date for a in arts] == ["2025-03-05", ""]
    assert [r.getMessage().split(" dropped")[0] for r in caplog.records] == [
        f"{doc}:2: date 'yesterday'"]


def test_articles_of_one_file_sharing_a_title_are_each_kept(tmp_path):
    from bot.config import Config
    from bot.ingest import ingest_paths
    from bot.service import Service
    from bot.store import open_stores

    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "columns.jsonl").write_text(
        '{"title": "Weekly update", "date": "2024-05-01", "text": "Ports reopened in May."}\n'
        '{"title": "Weekly update", "date": "2024-05-08", "text": "Tariffs rose in May."}\n'
        '{"title": "Weekly update", "text": "Talks resumed."}\n', encoding="utf-8")
    service = Service(open_stores(tmp_path / "s.sqlite3"), Config())
    first = ingest_paths(service, [folder])
    assert first.new == 3
    assert sorted(a.paragraphs[0] for a in service.stores.articles.iter_articles()) == [
        "Ports reopened in May.", "Talks resumed.", "Tariffs rose in May."]
    again = ingest_paths(service, [folder])  # the same three, each known again
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    # A newer dated one put at the top of the file is the one new article.
    (folder / "columns.jsonl").write_text(
        '{"title": "Weekly update", "date": "2024-05-15", "text": "Ferries sailed again."}\n'
        + (folder / "columns.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    top = ingest_paths(service, [folder])
    assert (top.new, top.updated, top.unchanged) == (1, 0, 3)
    assert [a.paragraphs[0] for a in top.added] == ["Ferries sailed again."]
