import json

import pytest

from bot.__main__ import main
from bot.errors import AmbiguousArticle, ArticleNotFound
from bot.models import Article
from bot.store import Store
from bot.summarize import score_sentences, sentences_of, summarize

OPED = [
    "Why should anyone care about a dam? Imagine a river that simply stops.",
    "The Grand Ethiopian Renaissance Dam is reshaping water politics on the Nile.",
    "Egypt depends on the Nile for nearly all of its water, and fears the dam will cut its "
    "share during droughts.",
    "Ethiopia sees the dam as the engine of its development and a source of electricity for "
    "millions of people.",
    "Talks on filling the dam have stalled repeatedly since 2011.",
    "A binding agreement on drought rules for the dam is the only way to avoid a water war.",
]


def test_summary_is_verbatim_in_order_and_deterministic():
    first = summarize("The Nile dam dispute", OPED, 3)
    assert first == summarize("The Nile dam dispute", OPED, 3)
    assert len(first) == 3
    text = " ".join(OPED)
    positions = [text.index(s) for s in first]
    assert positions == sorted(positions)
    # The rhetorical-question hook is not the gist.
    assert not any(s.endswith("?") for s in first)


def test_sentence_count_and_char_budget():
    assert len(summarize("T", OPED, 1)) == 1
    assert len(summarize("T", OPED, 10)) <= len(OPED) * 2
    short = summarize("T", OPED, 5, max_chars=200)
    assert sum(len(s) for s in short) <= 200 or len(short) == 1


def test_about_focuses_on_the_topic():
    picked = summarize("The Nile dam dispute", OPED, 1, about="electricity development")
    assert picked == [
        "Ethiopia sees the dam as the engine of its development and a source of electricity "
        "for millions of people."
    ]


def test_seed_summary_gist_and_teaser(seed_service):
    japan = seed_service.summary("Japan Russia peace treaty")
    assert japan.title.startswith("Japan And Russia") and not japan.partial
    assert len(japan.sentences) == 3
    assert "peace treaty" in " ".join(japan.sentences)
    yemen = seed_service.summary("The Not-So-Yemeni Deadlock")
    assert yemen.partial


@pytest.fixture
def picking_service(tmp_path):
    from bot.config import Config
    from bot.service import Service

    store = Store(tmp_path / "p.sqlite3")
    store.ingest([
        Article("Water wars on the Nile", ("Egypt and Ethiopia argue over the dam.",),
                url="https://e.org/nile"),
        Article("Water wars in Central Asia", ("The Aral Sea shrank as rivers were diverted.",),
                url="https://e.org/aral"),
        Article("Elections in Kenya", ("Kenya voted in August amid tension.",),
                url="https://e.org/kenya"),
    ], "t")
    return Service(store, Config())


def test_pick_by_exact_fuzzy_url_and_description(picking_service):
    s = picking_service
    assert s.find_article("elections in kenya").url == "https://e.org/kenya"
    assert s.find_article("Electons in Kenia").url == "https://e.org/kenya"
    assert s.find_article("https://e.org/aral/").url == "https://e.org/aral"
    assert s.find_article("the shrinking Aral Sea").url == "https://e.org/aral"


def test_pick_ambiguous_lists_candidates(picking_service):
    with pytest.raises(AmbiguousArticle) as exc:
        picking_service.find_article("Water wars")
    assert {a.url for a in exc.value.candidates} == {"https://e.org/nile", "https://e.org/aral"}


def test_pick_none(picking_service):
    with pytest.raises(ArticleNotFound):
        picking_service.find_article("volcanic eruptions in Iceland")
    with pytest.raises(ArticleNotFound):
        picking_service.find_article("https://e.org/missing")


def test_summary_cache_is_keyed_by_text(picking_service, monkeypatch):
    import bot.service as service_mod

    calls = []
    real = service_mod.summarize
    monkeypatch.setattr(service_mod, "summarize", lambda *a, **k: calls.append(1) or real(*a, **k))
    s = picking_service
    s.summary("Elections in Kenya")
    s.summary("Elections in Kenya")
    assert len(calls) == 1
    s.store.ingest([Article("Elections in Kenya", ("Kenya voted again in a rerun.",),
                            url="https://e.org/kenya")], "t")
    s.reload()
    again = s.summary("Elections in Kenya")
    assert len(calls) == 2 and again.sentences == ("Kenya voted again in a rerun.",)


def test_summary_cli_json_contract(capsys):
    assert main(["summary", "--json", "--sentences", "2", "Japan Russia peace treaty"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"title", "url", "partial", "sentences"}
    assert len(data["sentences"]) == 2 and data["partial"] is False


def test_summary_cli_all_is_json_lines(capsys, tmp_path):
    corpus = tmp_path / "c.jsonl"
    lines = (json.dumps({"title": f"T{i}", "paragraphs": OPED}) for i in range(3))
    corpus.write_text("\n".join(lines))
    assert main(["summary", "--all", "--corpus", str(corpus), "--sentences", "2"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["title"] for x in lines] == ["T0", "T1", "T2"]
    assert all(len(x["sentences"]) == 2 for x in lines)


def test_summary_cli_ambiguous_and_missing(capsys, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"title": "Dams A", "text": "Dams hold water."}) + "\n"
                      + json.dumps({"title": "Dams B", "text": "Dams hold water."}) + "\n")
    assert main(["summary", "--corpus", str(corpus), "Dams"]) == 2
    err = capsys.readouterr().err
    assert "Dams A" in err and "Dams B" in err
    assert main(["summary", "--corpus", str(corpus), "volcanoes of Iceland"]) == 2
    assert "No article matches" in capsys.readouterr().err


# Pinned from the dense-matrix ranking (before sentence similarity went sparse): on articles
# of normal size the scores, and so the picks, must not move.
JAPAN_SCORES = [
    9.780854, 6.861334, 5.222795, 3.209384, 3.179936, 2.86565, 2.324939, 1.882512, 1.568823,
    0.889576, 1.367007, 1.484009, 0.957625, 1.0544, 0.851237, 0.999613, 0.989746, 1.327988,
    0.958203, 1.054412, 1.489937, 0.826133, 0.625431, 0.651275, 0.898912, 0.828788, 1.198875,
    1.205772,
]
OPED_SCORES = [2.944639, 5.808236, 5.288829, 4.372129, 2.801478, 2.26587, 2.271127]
JAPAN_FIVE = [
    "Almost 70 years after the end of World War II, Russia and Japan still haven’t signed a "
    "peace treaty.",
    "The warring parties signed a mutual agreement to a ceasefire, but never entered into peace "
    "negotiations.",
    "Russian President Vladimir Putin and his Japanese counterpart Shinzo Abe began discussions "
    "several years ago but have yet to reach an agreement.",
    "However, the communication between the parties for the first time, represents progress "
    "towards the cause.",
    "According to sources close to Putin, he is committed to signing an agreement by the end of "
    "the year marking an end to the conflict between the two countries.",
]


@pytest.fixture
def japan():
    from bot.service import SEEDS_DIR
    from bot.sources.files import load_paths

    return next(a for a in load_paths([SEEDS_DIR]).articles if a.title.startswith("Japan"))


def test_scores_and_picks_match_the_pinned_dense_ranking(japan):
    scores = score_sentences(japan.title, sentences_of(japan.paragraphs, vocab := {}), vocab)
    assert [round(float(x), 6) for x in scores] == JAPAN_SCORES
    oped = score_sentences("", sentences_of(OPED, vocab := {}), vocab)
    assert [round(float(x), 6) for x in oped] == OPED_SCORES
    assert summarize(japan.title, japan.paragraphs, 5) == JAPAN_FIVE
