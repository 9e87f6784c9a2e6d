"""What a question asks for, checked against the passage: counts need a number next to what
they count (bot/policy/), questions about the author's view prefer passages that state one
(bot/stance.py)."""

import pytest

from bot import kinds, policy, stance, verbatim
from bot.config import Config
from bot.models import Article
from bot.service import Service
from bot.store import open_stores
from bot.text import sentence_spans, tokenize

ISLANDS = ("In 1945 the army took control of four small islands to the north, days after the "
           "city was bombed. The islanders fled by boat.")
SUMMIT = ("The leaders met at the summit in the harbour city and talked about the islands "
          "and the treaty for hours.")
VERDICT = ("The islands matter less than the treaty. The government should accept a shared "
           "administration of the islands, and the benefits far outweigh the cost.")


def test_what_a_question_asks_for():
    (ask,) = kinds.asked("How many people died in the bombing?")
    assert ask[:4] == ("count", {"peopl", "die"}, {"bomb"}, "")
    assert kinds.asked("how many of the islands did they take")[0].named == {"island"}
    assert kinds.asked("How many NFL teams have lost once?")[0].named == {"nfl", "team"}
    assert kinds.asked("how much trade is there each year?")[0][:3] == ("sum", {"trade"}, {"year"})
    assert kinds.asked("In which year was the forum first held?")[0][::3] == ("date", "year")
    assert kinds.asked("On what exact date did the war begin?")[0].unit == "date"
    both = kinds.asked("how big is the fleet, like how many subs?")
    assert [a.kind for a in both] == ["measure", "count"]
    assert kinds.asked("Why did they take the islands?") == []
    # "How much" of degree is no sum; of money or a quantity it is.
    assert kinds.asked("How much does Japan care about the islands?") == []
    assert kinds.asked("How much did the stadium cost?")[0].kind == "sum"


def test_a_count_needs_a_number_next_to_what_it_counts():
    spans = [(0, 88), (89, len(ISLANDS))]

    def holds(q, text=ISLANDS, spans=spans):
        return kinds.answers_kind(q, text, spans)

    assert holds("How many islands did the army take?")  # "four small islands"
    assert holds("How many did the army take control of?")  # next to another question word
    assert not holds("How many people died when the city was bombed?")
    # "four" counts islands, which the question names apart from what it counts.
    assert not holds("How many people live on the islands?")
    assert not holds("How much did the summit cost?", SUMMIT, [(0, len(SUMMIT))])
    assert holds("How much money was spent?", "They paid $5.3bn for it.", [])
    assert holds("How much of the vote did they win?", "They won 52% in May.", [])


def test_measures_and_dates_need_their_own_figures():
    spans = [(0, 88), (89, len(ISLANDS))]
    # Four islands is a count of them, not their size.
    assert not kinds.answers_kind("How big are the islands in square miles?", ISLANDS, spans)
    assert kinds.answers_kind("How long was the march to the border?",
                              "The march to the border lasted 70 days.", [])
    assert kinds.answers_kind("In which year did the army take the islands?", ISLANDS, spans)
    # The year the question gives is not the one it asks for.
    assert not kinds.answers_kind("In 1945, on what date was the city bombed?", ISLANDS, spans)
    assert kinds.answers_kind("On what date was the city bombed?",
                              "The city was bombed on 6 August.", [])
    assert not kinds.answers_kind("What year did the leaders meet at the summit?", SUMMIT,
                                  [(0, len(SUMMIT))])
    # "may" is a verb; a century is not a date; every figure asked for must be there.
    assert not kinds.answers_kind("On what date did the war end?",
                                  "The war may end in the 19th century.", [])
    assert not kinds.answers_kind("How big is the fleet, like how many subs?",
                                  "The fleet is big and sails from the port.", [])


def service_with(*paragraphs: str) -> Service:
    svc = Service(open_stores(":memory:"), Config())
    svc.stores.articles.ingest([Article("The island dispute", paragraphs)], "test")
    return svc


def service(tmp_path) -> Service:
    svc = Service(open_stores(tmp_path / "s.sqlite3"), Config())
    svc.stores.articles.ingest([Article("The island dispute", (ISLANDS, SUMMIT, VERDICT),
                                        url="https://example.org/islands")], "test")
    return svc


def test_the_population_number_or_cost_of_something_asks_for_a_figure():
    (ask,) = kinds.asked("What is the population of the harbour city?")
    assert ask.kind == "count" and ask.named == {"harbor", "citi"}
    assert kinds.asked("what's the number of islands they took")[0][:2] == ("count", {"island"})
    assert kinds.asked("What was the cost of the summit?")[0][::3] == ("sum", "money")
    # A region or a view is no figure.
    assert kinds.asked("What area of the city was bombed?") == []
    assert kinds.asked("What is the value of a treaty?") == []
    assert not kinds.answers_kind("What is the population of the harbour city?", SUMMIT, [])
    assert kinds.answers_kind("What is the population of the harbour city?",
                              "The harbour city has 600,000 people.", [])
    assert kinds.answers_kind("What is the number of islands the army took?", ISLANDS,
                              [(0, 88), (89, len(ISLANDS))])


def test_a_price_needs_money_and_a_temperature_its_figure():
    plants = "The council will build two new desalination plants, not ready before 2028."
    (ask,) = kinds.asked("how much will the desalination plants cost")
    assert ask[::3] == ("sum", "money")
    assert not kinds.answers_kind("how much will the desalination plants cost", plants, [])
    assert kinds.answers_kind("how much will the plants cost",
                              "The two plants will cost 2.1 billion over ten years.", [])
    assert kinds.answers_kind("how much will the plants cost", "They cost \u00a3240m.", [])
    # A sum written in words is a sum.
    for worded in ("China offered about one billion dollars for the plants.",
                   "The plants will cost half a billion euros.",
                   "The plants will cost two hundred million rand."):
        assert kinds.answers_kind("how much did china offer for the plants", worded, []), worded
    assert not kinds.answers_kind("how much did china offer for the plants",
                                  "China offered one of its banks for the plants.", [])
    assert not kinds.answers_kind("how much will the plants cost",
                                  "The plants will use two million litres of water.", [])

def test_a_year_a_day_or_a_span_of_time_is_no_amount_of_what_how_much_asks():
    q = "how much did nickel exports grow after the ban"
    for text in ("When Indonesia banned exports of raw nickel ore on 1 January 2020, two "
                 "years earlier than planned, economists predicted a repeat.",
                 "Nickel exports collapsed, and the ban was relaxed in 2017."):
        assert not kinds.answers_kind(q, text, sentence_spans(text)), text
    grew = ("The value of nickel exports rose from 3.3 billion dollars in 2017 to about 33.8 "
            "billion dollars in 2022.")
    assert kinds.answers_kind(q, grew, sentence_spans(grew))
    # A figure that looks like a year but is no date is an amount.
    assert kinds.answers_kind("how much aid did the un deliver",
                              "The UN delivered 2000 food parcels.", [])
    # A sum that is no price still takes any figure next to it.
    assert kinds.answers_kind("how much rain fell in the town?", "The town had 40 mm of rain.", [])
    # ... and an amount in its unit answers however far from the thing it is: "how much
    # water" of "a treaty that guarantees a minimum flow of 300 cubic metres per second".
    flow = ("Its foreign minister called for a treaty that guarantees a minimum flow of 300 "
            "cubic metres per second, and asked the Water Commission to mediate.")
    assert kinds.answers_kind("how much water does brenmark want guaranteed", flow, [])
    assert not kinds.answers_kind("how much water does brenmark want guaranteed",
                                  "It asked the Water Commission to mediate in 2024.", [])
    assert kinds.asked("how hot did it get in Spain this summer?")[0][::3] == ("measure", "hot")
    assert not kinds.answers_kind("how hot did it get in Spain this summer?",
                                  "Spain had a long, dry summer.", [])


def test_a_count_the_passages_do_not_give_is_never_answered(tmp_path):
    svc = service(tmp_path)
    right = svc.ask("How many islands did the army take control of in 1945?")
    assert right.hits[0].paragraph == 0
    wrong = svc.ask("How many people died when the city was bombed in 1945?")
    assert wrong.status != "answered"
    assert wrong.confidence < policy.params()["answered_at"]


def test_questions_about_the_authors_view():
    assert stance.asks_view("what does the author think putin should do")
    assert stance.asks_view("whats the artical actually argueing for in the end")
    assert stance.asks_view("Why does the writer think a deal must be signed?")
    assert stance.asks_view("Beyond the practical side, what does the author say it means?")
    assert stance.asks_view("what's the author's advice to putin, in a nutshell")
    assert stance.asks_view("why does the author insist a deal has to be done")
    assert stance.asks_view("does the writer expect the negotiations to be smooth sailing?")
    assert not stance.asks_view("Which islands did the army take?")
    # The author's fix or remedy is the view it argues for; so is what someone should do.
    assert stance.asks_view("what's the author's fix for the fourth dose dropoff")
    assert stance.asks_view("what solution does the piece offer for the drought")
    assert stance.asks_view("how should ghana fix the fourth dose problem")
    assert stance.asks_view("so what should the EU do about it?")
    assert not stance.asks_view("when should the fourth dose be given?")
    assert not stance.asks_view("what did the minister say about the dam?")
    assert stance.views(VERDICT) == 2
    assert stance.views("Should the army return, the islands would be safe.") == 0


def test_the_authors_view_comes_first_when_asked_for(tmp_path):
    svc = service(tmp_path)
    plain = svc.ask("what about the islands and the treaty?")
    asked = svc.ask("what does the author think about the islands and the treaty?")
    assert plain.hits[0].paragraph != 2  # the summit paragraph shares the most words
    assert asked.hits[0].paragraph == 2


@pytest.mark.parametrize("question", [
    "what does the author think should happen", "what does the author recommend?",
    "what's the author's take", "so what's the writer's view overall?"])
def test_the_authors_view_asked_of_nothing_in_particular_is_the_articles_view(tmp_path,
                                                                              question):
    got = service(tmp_path).ask(question)
    assert got.status == "answered" and got.hits[0].passage == VERDICT
    assert [h.passage for h in got.hits] == [VERDICT]  # the passages stating no view: not shown


def test_a_view_of_something_is_not_a_view_of_the_whole_article():
    assert stance.asks_whole_view("what's the author's take")
    assert not stance.asks_whole_view("what does the author think about the islands")
    assert not stance.asks_whole_view("what happened at the summit")


def test_the_authors_view_is_the_view_of_the_article_about_the_question():
    import numpy as np

    from bot.rerank import Ranked

    # The best passage (article 4) states no view; the next holds "settle" (more than half
    # the best one's weight) and a view, but in article 1: "what does the author propose to
    # settle the Ruvuma row" is not answered by a view on settling trade in yuan.
    ranked = Ranked(np.array([36, 10, 41]), np.array([19.0, 13.0, 12.5]),
                    np.array([10.0, 5.6, 10.0]), np.array([10.0, 5.6, 0.0]))
    texts = ["The Ruvuma forms the border for 650 kilometres.",
             "Importers will settle trade in yuan, which should ease the pressure.",
             "Tanzania should offer Mozambique a stake."]
    assert list(stance.prefer_views(ranked, texts).ids) == [10, 41, 36]
    assert list(stance.prefer_views(ranked, texts, np.array([4, 1, 4])).ids) == [41, 36, 10]


def test_a_single_topic_word_is_a_search_not_an_answered_question(tmp_path):
    svc = service(tmp_path)
    for words in ("islands", "boat", "tell me something interesting about the islands"):
        ans = svc.ask(words)
        assert ans.hits and ans.status != "answered", words
    assert svc.ask("Which islands did the army take control of?").status == "answered"


def test_quoted_words_find_the_passage_that_holds_them():
    assert verbatim.quoted("who said 'if we don't do it, then who will?' lol") == [
        "if we dont do it then who will"]
    assert verbatim.quoted('what does "the islands" mean') == []  # emphasis, not a saying
    svc = Service(open_stores(":memory:"), Config())
    svc.stores.articles.ingest([
        Article("The island dispute", (ISLANDS, SUMMIT, VERDICT)),
        Article("Speeches", ("At the dinner the minister said: \u201cWhere there is a will, "
                             "there is a way.\u201d The guests applauded the speech.",)),
    ], "test")
    ans = svc.ask("who said 'where there is a will there is a way'?")
    assert ans.status == "answered" and ans.hits[0].title == "Speeches"
    assert "there is a way" in ans.hits[0].quote
    assert svc.ask("who said 'there is no way back'?").status != "answered"


INVASION = ("During the war, just days after the bombers struck the city, the army invaded "
            "and took control of four small islands. The two sides still haven't signed a "
            "treaty. Their leaders met at the summit in Vladivostok.")


def test_a_when_question_needs_a_time_that_dates_its_event():
    spans = [(0, 112), (113, 164), (165, len(INVASION))]
    # "days after the bombers struck the city" dates the invasion, not the strike.
    assert not kinds.answers_kind("When was the city struck?", INVASION, spans)
    assert kinds.answers_kind("When did the army take the islands, relative to the strike?",
                              INVASION, spans)
    assert kinds.answers_kind("When was the city bombed?", "The city was bombed in 1945.", [])
    # A date inside the clause that holds the question's words dates it too.
    assert kinds.answers_kind("When did Edward return?",
                              "When Edward returned in 1041, he brought a new mind.", [])
    assert kinds.asked("What, when combined with hard work, leads to stress?") == []


def test_a_later_outcome_needs_a_passage_that_reports_one():
    spans = [(0, 112), (113, 164), (165, len(INVASION))]
    assert [a.kind for a in kinds.asked("so did they end up signing it or nah")] == ["outcome"]
    assert not kinds.answers_kind("Did they end up signing the treaty?", INVASION, spans)
    assert kinds.asked("How did the army end up with the islands?") == []  # asks how
    assert kinds.answers_kind("Did Norway end up joining the union?",
                              "In 1972 Norway did not end up joining the union.", [])
    assert kinds.answers_kind("Did the bill eventually pass?", "The bill passed in May.", [])


def test_who_and_where_look_for_a_name_the_question_does_not_hold():
    spans = [(0, 112), (113, 164), (165, len(INVASION))]
    assert not kinds.answers_type("Where is the army's fleet based?", "The army's fleet is "
                                  "vital. Its generals met in Tokyo.", [(0, 25), (26, 52)])
    assert kinds.answers_type("Where did the leaders meet?", INVASION, spans)
    assert not kinds.answers_type("Who met the leaders at the summit in Vladivostok?",
                                  INVASION, spans)
    # Not a bar: a who / where question is also answered by "a doctor", "the park".
    assert kinds.answers_kind("Who met the leaders at the summit in Vladivostok?", INVASION,
                              spans)


def test_a_preamble_and_chat_shorthand_are_not_what_is_judged():
    q = "For my uni essay on Japan-Russia relations: why is there no peace treaty?"
    assert policy.preamble(q) == "For my uni essay on Japan-Russia relations"
    assert policy.preamble("quick q - why is there no peace treaty?") == "quick q"
    assert policy.preamble("Japan and Russia: the islands") == ""  # no question after it
    assert policy.preamble("What did they sign? Japan - and Russia too") == ""
    assert tokenize("what r the islands abt") == tokenize("what are the islands about")
    svc = service_with(ISLANDS, SUMMIT, VERDICT)
    plain = svc.ask("why is there no treaty for the islands?")
    essay = svc.ask(f"For my history essay on postwar diplomacy: {plain.question}")
    assert essay.hits[0].paragraph == plain.hits[0].paragraph
    assert abs(essay.confidence - plain.confidence) < 0.1


def test_the_best_passages_agreeing_on_one_article_is_evidence():
    import numpy as np

    from bot.index import Index

    index = Index.build([("A", ["one", "two", "three"]), ("B", ["four"]), ("C", ["five"])])

    def agree(*passages):
        return policy.agreement(index, index.passage_article[np.array(passages)])

    assert agree(0, 1, 2, 3, 4) == 1.0
    assert agree(0, 3, 1, 4, 2) == 1.0  # all the other passages its article has
    assert agree(0, 3, 4) == 0.0
    assert agree(0, 1) == 1.0 and agree(0) == 0.5  # of the passages retrieved
    assert agree(3, 0, 1, 2, 4) == 0.5  # an article of one passage: no evidence


def test_a_question_with_a_dash_is_no_preamble_and_talking_about_is_chat():
    # The part after the dash narrows a question; it does not make the question a preamble.
    assert policy.preamble("What was the reason for turning down the split - was it about "
                           "the military, or something else?") == ""
    from bot.index import Index

    index = Index.build([("A", [SUMMIT, ISLANDS])])
    q = "wait how many islands are we even talking about here"
    weights = policy.question_weights(index, q, tokenize(q))
    talk, island = tokenize("talking")[0], tokenize("islands")[0]
    assert weights[talk] < 0.2 * weights[island]
    q = "what did the leaders talk about at the summit"  # chat only where it is a phrase
    assert policy.question_weights(index, q, tokenize(q))[talk] > 5 * weights[talk]


FORUM = ("The leader spoke at the economic forum in the harbour city earlier this month. "
         "Previously, he was offered a division of the islands, but it was declined.")
FORUM_SPANS = [(0, 80), (81, len(FORUM))]


def test_a_date_asked_as_what_was_the_date_of_needs_a_date():
    (ask,) = kinds.asked("What was the exact date of the economic forum?")
    assert (ask.kind, ask.unit) == ("date", "date")
    assert not kinds.answers_kind("What was the exact date of the economic forum?", FORUM,
                                  FORUM_SPANS)
    assert kinds.answers_kind("What was the date of the forum?",
                              "The forum opened on 5 September in the city.", [])
    # "Earlier this month" dates the latest forum, not the first one.
    assert kinds.answers_kind("When did the leader speak at the forum?", FORUM, FORUM_SPANS)
    assert not kinds.answers_kind("When was the economic forum first held?", FORUM,
                                  FORUM_SPANS)
    assert kinds.answers_kind("When was the forum first held?",
                              "The forum was first held in 2015 in the city.", [])


def test_a_century_is_no_size_and_another_number_is_another_thing():
    text = "Russia claims to have owned the islands in the 19th century."
    assert not kinds.answers_kind("How big are the islands, in square kilometres?", text, [])
    war = "A treaty would mark the end of the World War II campaign for Japan and Russia."
    assert not kinds.answers_kind("did japan and russia fight in WW1", war, [])
    assert not kinds.answers_kind("What did Japan do in World War 1?", war, [])
    assert kinds.answers_kind("did japan and russia fight in WW2", war, [])
    assert kinds.answers_kind("What did Japan do in 1945?", war, [])  # a year is no number
    # A span of years says how long, though a count of wars would stand there too.
    yemen = "The 2014-2023 civil war in Yemen represents a complex conflict."
    assert kinds.answers_kind("how long has the Yemeni civil war lasted?", yemen, [])
    assert not kinds.answers_kind("how many soldiers fought in the civil war?", yemen, [])


def test_names_a_doer_and_an_event_are_looked_for():
    # A list of names, not other names of the topic.
    assert [a.kind for a in kinds.asked("What are the names of the four islands?")] == ["names"]
    assert kinds.asked("What names do the Japanese use for the islands?") == []  # maybe one
    assert not kinds.answers_kind("What are the names of the four islands?", ISLANDS,
                                  [(0, 88), (89, len(ISLANDS))])
    assert kinds.answers_kind("What are the names of the four islands?", "The four islands "
                              "are Iturup, Kunashir, Shikotan and the Habomai islets.", [])
    # Who offered it: "he was offered" does not say.
    assert not kinds.answers_kind("Who offered the leader a division of the islands?", FORUM,
                                  FORUM_SPANS)
    assert kinds.answers_kind("Who offered the leader a division of the islands?",
                              "The leader was offered a division of the islands by Abe.", [])
    # "When did Abe step down as leader": a time of Abe's is not the time of his leaving.
    text = "Putin and Abe began discussions several years ago."
    assert not kinds.answers_kind("When did Abe step down as leader?", text, [])
    assert kinds.answers_kind("When did Abe begin the discussions?", text, [])


def test_two_each_counts_a_share():
    text = ("Putin was offered a division of the islands, with both of the parties then "
            "taking two each.")
    assert kinds.answers_kind("How many islands would each side get under the division?",
                              text, [])
    assert not kinds.answers_kind("How many soldiers live there?", text, [])


def test_reader_words_meet_the_articles_words():
    pairs = [("navy", "naval"), ("militarily", "military"), ("losses", "lose"),
             ("advantages", "benefits"), ("finish", "complete"), ("finished", "completed")]
    for reader, writer in pairs:
        assert tokenize(reader) == tokenize(writer), reader


def test_a_size_is_a_measure_of_the_thing_asked_not_any_figure():
    # "four small islands" stands in a sentence that names the fleet, far from it: no size
    # of the fleet; a figure by the thing asked, or with a unit of size, is one.
    text = ("The fleet sails past the coast, where the army took control of four small islands "
            "in the north.")
    assert not kinds.answers_kind("How big is the fleet?", text, [])
    assert kinds.answers_kind("How big is the fleet?", "The fleet has 300 ships.", [])
    assert kinds.answers_kind("How large are the islands?", "The islands, home to a naval base "
                              "and a fishing port, cover 5,000 square kilometres.", [])
    # Other measures may still stand anywhere in a sentence about the question.
    assert kinds.answers_kind("How long was the march to the border?",
                              "The march to the border lasted 70 days.", [])


def test_a_name_in_the_possessive_is_the_subject_of_the_question():
    import numpy as np

    from bot.index import Index
    from bot.rerank import rank

    assert policy.subject_stems("How big is China's navy compared to the US fleet?") == {"china"}
    assert policy.subject_stems("What's the size of Japan\u2019s army?") == {"japan"}
    assert policy.subject_stems("What's today's news? Let's see.") == set()
    index = Index.build([("A", ["Russia's navy sails its fleet from Vladivostok."])])

    def subject_missing(question):
        tokens = tokenize(question)
        weights = policy.question_weights(index, question, tokens)
        ranked = rank(index, tokens, weights=weights)
        assert np.all(ranked.ids == 0)
        return policy.features(index, tokens, ranked, weights,
                               subject=policy.subject_stems(question))["subject_missing"]

    assert subject_missing("How big is China's navy?") == 1.0
    assert subject_missing("How big is Russia's navy?") == 0.0
    assert policy.params()["coef"]["subject_missing"] < 0  # fitted: it lowers the confidence


def test_a_time_of_year_or_a_season_needs_a_month_or_a_season():
    garden = [(0, 49), (50, 95)]
    text = "The lavender fields flower each July in Provence. The farms sell honey all year long."
    assert [a.unit for a in kinds.asked("What time of the year do the lavender fields flower?")
            ] == ["season"]
    assert kinds.answers_kind("Which season do the lavender fields flower in?", text, garden)
    assert kinds.answers_kind("what's the best time of year to see the lavender fields?", text,
                              garden)
    # "all year long" and "this year" name no time of year.
    assert not kinds.answers_kind("what's the best time of year to buy the farms' honey?",
                                  text[50:], [(0, 45)])
    assert not kinds.answers_kind("What time of year did the talks resume?",
                                  "The talks resumed later this year.", [])
    # A sports season, or a season of a show, is no time of year.
    assert kinds.asked("What was the season like for the club?") == []


def test_an_english_word_the_site_lacks_is_no_typo_of_one_it_has(tmp_path):
    svc = service_with("Beekeepers treat their hives against the varroa mite each autumn.",
                       "The mite feeds on the larvae of the bees inside the hive.")
    # "treaty" stems to "treati", one edit from "treat", but it is a word: not corrected.
    assert svc.ask("why was the peace treaty never signed?").status != "answered"
    assert "treat" not in svc.ask("what does the peace treaty say?").terms
    # A real slip is still read as the word it misses.
    assert svc.ask("how do beekeepers treat the hivse against mites?").answered


def test_what_someone_said_needs_a_passage_that_reports_speech():
    from bot.kinds import answers_kind, asked

    said = "Kast called the draft a failure. He told reporters it would be rewritten."
    quoted = "“We will sign it this year,” Putin added at the forum."
    silent = "A council dominated by Kast's party wrote a more conservative text."
    for question in ("what did kast say about the first draft",
                     "What did Abe tell the press about the talks?",
                     "what did the minister promise voters"):
        assert [a.kind for a in asked(question)] == ["saying"]
        assert not answers_kind(question, silent, sentence_spans(silent))
    assert answers_kind("what did kast say about the draft", said, sentence_spans(said))
    assert answers_kind("what did putin say at the forum", quoted, sentence_spans(quoted))
    # What an article, its author or a text says is any passage of it.
    for question in ("what does the article say about the islands",
                     "what did the 1951 peace treaty say about the kurils?",
                     "what did it say", "what do the satellite numbers say"):
        assert "saying" not in [a.kind for a in asked(question)]


def test_who_won_needs_a_passage_that_tells_a_win_or_a_defeat():
    from bot.kinds import answers_kind, asked

    war = "Almost 70 years after the end of World War II, Russia and Japan still have no treaty."
    won = "The allies defeated Japan in 1945; Russia took four islands in the last days."
    for question in ("who won ww2", "which side is winning the civil war?",
                     "who lost the election"):
        assert "winning" in [a.kind for a in asked(question)]
        assert not answers_kind(question, war, sentence_spans(war))
    assert answers_kind("who won ww2", won, sentence_spans(won))
    assert "winning" not in [a.kind for a in asked("who wants to win the election?")]


def test_the_same_passage_stored_twice_is_shown_once():
    svc = Service(open_stores(":memory:"), Config())
    same = (ISLANDS, SUMMIT, VERDICT)
    svc.stores.articles.ingest([Article("The island dispute", same, source="saved.md"),
                                Article("The island dispute", same, url="https://e.org/a")], "t")
    got = svc.ask("what did the leaders talk about at the summit in the harbour city?", top=3)
    texts = [h.passage for h in got.hits]
    assert texts[0] == SUMMIT and len(texts) == len(set(texts))
    # The copy with a link of its own is the one shown, whichever was stored first.
    assert all(h.link.url == "https://e.org/a" for h in got.hits)


def test_a_large_figure_of_some_unit_is_no_price():
    swap = ("Kyrgyzstan committed to release 2.1 cubic kilometres of water, and Uzbekistan "
            "committed to deliver 1.5 billion kilowatt-hours of electricity.")
    q = "how much does uzbekistan pay kyrgyzstan per cubic metre of water"
    assert not kinds.answers_kind(q, swap, sentence_spans(swap))
    assert kinds.answers_kind(q, "Uzbekistan pays $15 per cubic metre of water.", [])


@pytest.mark.parametrize("question", [
    "so when is north macedonia actually expected to join the eu",
    "when will north macedonia join the eu", "ok so when is north macedonia going to join"])
def test_when_something_will_happen_asks_for_a_time_ahead(question):
    past = ("In July 2022 North Macedonia held its first intergovernmental conference with "
            "the European Union, seventeen years after it became a candidate.")
    ahead = "Brussels now expects North Macedonia to join the EU by 2030."
    assert kinds.lacks_time_ahead(question, past, sentence_spans(past))
    assert not kinds.lacks_time_ahead(question, ahead, sentence_spans(ahead))
    assert not kinds.lacks_time_ahead("when did north macedonia open talks", past,
                                      sentence_spans(past))
    assert not kinds.lacks_time_ahead("whens the war supposed to have ended", past,
                                      sentence_spans(past))  # a time past
    said = "Putin announced the withdrawal in a televised address on 3 March."
    assert not kinds.lacks_time_ahead("When did Putin say he will withdraw the troops?", said,
                                      sentence_spans(said))  # a saying's time, past
    done = "Two irrigation projects were finished in March 2019."
    assert kinds.lacks_time_ahead("when will the irrigation projects be finished", done,
                                  sentence_spans(done))  # "projects" is no time ahead


def test_a_span_of_time_counts_no_people_and_a_bare_noun_asks_its_figure():
    selma = ("The facility paid US$33.4 million on 9 October 2025, 13 days after Hurricane "
             "Selma crossed the Grenadines.")
    assert not kinds.answers_kind("how many people died in hurricane selma", selma, [])
    assert kinds.answers_kind("how many days after hurricane selma did it pay", selma, [])
    (ask,) = kinds.asked("estimated cost of the trans-caspian pipeline?")
    assert ask.kind == "sum" and ask.unit == "money"
    plan = "Brussels proposes to fund a revived Trans-Caspian Pipeline under the sea."
    assert not kinds.answers_kind("estimated cost of the trans-caspian pipeline?", plan, [])


def test_a_people_counted_by_their_demonym_or_as_adults_are_people():
    assert kinds.answers_kind("how many people applied", "About 58,000 Syrians have "
                              "registered so far.", [])
    assert kinds.answers_kind("how many people applied", "Some 2,100 adults registered.", [])
    assert not kinds.answers_kind("how many troops did they send",
                                  "About 58,000 Syrians fled to the camp.", [])
