"""What readers try a bot with that no article answers, though the words match (fourteenth
session): the time or the weather now in a city an article names, a translation, a name
typed in lower case with a question the site never touches, the office of a country whose
long name shares a word with "stated", a count of soldiers answered by a share of islands.
Example sentences of our own."""

import pytest

from bot import kinds
from bot.policy import name_stems, written_as_names
from bot.policy.scope import outside
from bot.text import sentence_spans
from tests.test_reader_phrasing import site

HARBOUR_TOWN = {
    "A Summit in Riverton": (
        "Mayor Lena Ortiz welcomed the delegates in Riverton, where the summit opened this "
        "time with a speech on the new bridge. \"We will build it together,\" Ortiz said.\n\n"
        "The bridge will cost 40 million dollars and link Riverton to the island of Kessa, "
        "whose fishermen have waited for it since the ferry sank.\n\n"
        "When the Spanish delegate spoke he stated that the port should be shared, and "
        "President Varga said the towns would share the berths, taking two each.\n\n"
        "Ortiz told reporters that the weather had delayed the bridge's first pillar by a "
        "month."),
    "The Ferry Strike": (
        "The ferry workers of Kessa struck for three days over pay, the third strike since "
        "the old ferry sank."),
}


@pytest.mark.parametrize("question", [
    "what time is it in Riverton?",
    "whats the time in riverton right now",
    "what day is it today",
    "what's the weather like in Riverton this weekend?",
    "is it going to rain in riverton tomorrow",
    "how do you say hello in Spanish?",
    "translate 'new bridge' into Spanish",
    "how do u say thank you in spanish",
    "what time zone is Riverton in?",
    "whats the timezone in riverton",
    # ... or what would have to be made up
    "tell me a joke about the bridge lol",
    "know any good jokes?",
    "write me a poem about Riverton",
    "can you recommend a good restaurant in riverton",
    "anyone know good pizza places in riverton lol",
    "best bars near the harbour?",
    "where can i get good coffee in riverton",
])
def test_what_only_now_holds_a_translation_or_a_joke_is_asked_outside_the_articles(question):
    assert outside(question)


@pytest.mark.parametrize("question", [
    "what time did the summit open?",
    "what date in 1945 did the ferry sink?",
    "how did the weather delay the bridge?",
    "what was the weather like when the ferry sank",
    "how would you say the summit went in the end?",
    "what is the island called in Spanish?",  # an article may say
    "what did the Spanish delegate say in Riverton?",
    "what did the joke about the mayor mean?",
    "why did critics call the bridge a joke?",
    "what did the report recommend?",
    "how did the good food programme in riverton work?",
    "where can i read the full report?",
])
def test_questions_of_the_articles_own_time_weather_or_language_are_not_outside(question):
    assert not outside(question)


@pytest.mark.parametrize("question", [
    "what time is it in Riverton?",
    "what's the weather like in riverton this weekend",
    "how do you say hello in spanish",
])
def test_a_question_outside_the_articles_is_not_answered_though_its_words_match(
        tmp_path, question):
    got = site(tmp_path, HARBOUR_TOWN).ask(question)
    assert got.status == "none"


def test_a_question_of_the_articles_weather_is_still_answered(tmp_path):
    got = site(tmp_path, HARBOUR_TOWN).ask("what did the weather do to the bridge?")
    assert got.status == "answered"
    assert "delayed the bridge" in got.hits[0].passage


def test_a_name_typed_in_lower_case_is_known_by_how_the_passage_writes_it():
    text = HARBOUR_TOWN["A Summit in Riverton"].split("\n\n")[0]
    assert written_as_names("what did ortiz have for breakfast", text) == {"ortiz"}
    assert "riverton" in written_as_names("who spoke in riverton", text)
    # A word the passage also writes in lower case, or only opening a sentence, is none.
    assert written_as_names("what will they build together", text) == frozenset()
    assert written_as_names("what did the mayor say", text) == frozenset()


def test_of_a_name_typed_in_lower_case_the_site_holds_only_the_name(tmp_path):
    service = site(tmp_path, HARBOUR_TOWN)
    assert service.ask("what did ortiz have for breakfast").status != "answered"
    got = service.ask("what did ortiz say about the bridge")
    assert got.status == "answered"
    assert got.hits[0].passage.startswith("Mayor Lena Ortiz")


def test_an_abbreviation_of_a_common_noun_is_no_name():
    assert "gdp" not in name_stems("What's the GDP of Kessa?")
    assert "kessa" in name_stems("What's the GDP of Kessa?")


def test_a_figure_the_site_never_gives_of_a_place_it_names_is_not_answered(tmp_path):
    got = site(tmp_path, HARBOUR_TOWN).ask("What's the GDP of Kessa?")
    assert got.status != "answered"


@pytest.mark.parametrize("question, told", [
    ("who is the president of the USA?", False),  # "stated" is no United States
    ("who is the president of the united states", False),
    ("who is the president of Kessa", False),
])
def test_an_office_of_a_country_is_held_only_by_its_name(question, told):
    text = HARBOUR_TOWN["A Summit in Riverton"].split("\n\n")[2]
    assert kinds.answers_kind(question, text, sentence_spans(text)) is told


def test_an_office_of_the_united_states_is_held_where_it_is_named():
    text = "The United States President, Jo Lane, visited the port."
    assert kinds.answers_kind("who is the president of the USA?", text, sentence_spans(text))


@pytest.mark.parametrize("question, told", [
    ("how many soldiers does Varga keep on the island?", False),
    ("how many berths would each town get?", True),
    ("how many would each town take?", True),
])
def test_a_share_each_answers_only_a_count_of_what_it_shares(question, told):
    text = HARBOUR_TOWN["A Summit in Riverton"].split("\n\n")[2]
    assert kinds.answers_kind(question, text, sentence_spans(text)) is told


LIBRARIES = {
    "Closing the Branch Libraries": (
        "The council's proposal to close four of the town's seven branch libraries would "
        "save about 610,000 pounds a year.\n\n"
        "Consider who actually uses branch libraries. At the Hillside branch, which is on "
        "the closure list, more than half of last year's 41,000 visits were by children.\n\n"
        "Hillside runs a homework club four evenings a week and a chess group that has met "
        "there since 1996."),
}


def test_how_much_a_plan_would_save_asks_for_money():
    (ask,) = kinds.asked("how much would the library closures actually save")
    assert (ask.kind, ask.unit) == ("sum", "money")
    (ask,) = kinds.asked("how much water would the new dam save")
    assert ask.unit != "money"  # a saving of water, not of money


def test_a_saving_is_answered_by_its_sum_not_by_a_count_of_visits(tmp_path):
    got = site(tmp_path, LIBRARIES).ask("how much would the library closures actually save")
    assert got.hits[0].passage.startswith("The council's proposal")


@pytest.mark.parametrize("text, told", [
    # The sentence names the place and a year, but of a chess group.
    ("But a library is more than its books. Hillside runs a homework club and a chess group "
     "that has met there since 1996.", False),
    ("The Hillside library first opened in 1931 in the old corn exchange.", True),
])
def test_a_first_time_is_dated_by_a_sentence_of_the_event(text, told):
    question = "when did the hillside library first open"
    assert kinds.answers_kind(question, text, sentence_spans(text)) is told


def test_a_saying_cited_after_who_said_without_quote_marks_is_found(tmp_path):
    pages = {"The Bridge Summit": (
        "The mayor opened the summit with a speech on the bridge.\n\n"
        "\"If we don't do it, then who will?\" asked Councillor Okafor, to applause from "
        "the traders.")}
    got = site(tmp_path, pages).ask("who said if we dont do it then who will")
    assert got.status == "answered"
    assert "Okafor" in got.hits[0].passage


def test_who_pays_is_told_by_who_funds(tmp_path):
    pages = {"Fares Capped": (
        "Single fares will be capped at one pound from September, the council said.\n\n"
        "The cap will be funded by a grant from the regional transport authority for two "
        "years.\n\n"
        "Critics said a cap on fares means little to villages with no service at all.")}
    got = site(tmp_path, pages).ask("who is paying for the fare cap?")
    assert got.hits[0].passage.startswith("The cap will be funded")


def test_a_joke_asked_about_what_an_article_names_is_not_answered(tmp_path):
    got = site(tmp_path, HARBOUR_TOWN).ask("tell me a joke about the new bridge lol")
    assert got.status == "none"


@pytest.mark.parametrize("question, text, told", [
    # A past election, or one named only as what was threatened before it, is not the next.
    ("when is Kessa's next presidential election?",
     "Varga called the strike sabotage before the parliamentary elections. The state of "
     "emergency was declared on 16 December 2024.", False),
    ("when are the next elections in kessa", "Varga won the 2023 election by a wide margin.",
     False),
    ("when is Kessa's next presidential election?",
     "The next presidential election is due in autumn 2028, and Varga may stand again.", True),
    ("when are the next elections in kessa",
     "Parliamentary elections will be held on 28 September 2025.", True),
])
def test_the_next_time_is_given_by_a_time_ahead(question, text, told):
    assert kinds.lacks_time_ahead(question, text, sentence_spans(text)) is not told


def test_a_passage_of_the_last_election_does_not_answer_when_the_next_is(tmp_path):
    pages = {"Kessa Votes": (
        "Varga won the 2023 presidential election by a wide margin, taking 61 per cent.\n\n"
        "The ferry strike of 2024 cost the port three weeks of trade.")}
    service = site(tmp_path, pages)
    assert service.ask("when is kessa's next presidential election?").status != "answered"
    assert service.ask("when did varga win the presidential election?").status == "answered"


@pytest.mark.parametrize("question, text, told", [
    # An office word with no one named beside it: no holder of the office.
    ("who's the head of the Kessa Port Authority?",
     "When the Kessa Port Authority refused the licence in May 2023, Varga questioned the "
     "decision. The episode exposed a town that wants to be both a fishing leader and a "
     "growing port.", False),
    ("who's the head of the Kessa Port Authority?",
     "The Kessa Port Authority, led by Ines Mora since 2021, refused the licence.", True),
    # "the leader of", "the boss of", "X's chief": its head, however the site words it.
    ("who is the leader of the Kessa Port Authority?",
     "The Kessa Port Authority's chairman, Tomas Bell, refused the licence.", True),
    ("who is the boss of the Kessa Port Authority?",
     "The Kessa Port Authority refused the licence. Its offices are in Riverton.", False),
    # A name right after the office, in the next sentence, holds it too.
    ("who runs the Kessa Port Authority now?",
     "The scandal brought down the Kessa Port Authority's chairman. A new board under Ines "
     "Mora was approved in June.", True),
])
def test_the_holder_of_an_office_is_named_beside_it(question, text, told):
    assert kinds.answers_kind(question, text, sentence_spans(text)) is told


def test_whose_office_ends_where_the_question_goes_on():
    (_, office) = kinds.asked("Who is now CEO of Lumen following Ada Park's sacking last week?")
    assert office.holder == frozenset({"lumen"})
    (_, office) = kinds.asked("who is the president of the usa right now")
    assert office.holder == frozenset({"unit", "state"})


@pytest.mark.parametrize("text, told", [
    ("Kessa will pay 6.9 US cents per kWh for the power under the agreement.", True),
    ("Kessa signed a 29-year purchase agreement for the power. The dam cost 2 billion US "
     "dollars.", False),  # a sum, but no price per kWh
])
def test_a_price_per_unit_is_given_per_that_unit(text, told):
    question = "how much per kWh is kessa paying for the power from the dam"
    assert kinds.answers_kind(question, text, sentence_spans(text)) is told


def test_the_quote_for_a_why_question_keeps_the_sentence_that_gives_the_reason(tmp_path):
    paragraph = (
        "The bridge to Kessa was promised by three mayors in a row. Mayor Ortiz said in "
        "March that the bridge would be finished before the end of her term, and the "
        "council voted the money for the bridge twice. The engineers' report on the bridge "
        "ran to four hundred pages and the bridge's design won a prize in Riverton. Visitors "
        "to the harbour can see the first pillar of the bridge from the ferry. The island's "
        "fishermen have waited for the bridge since the ferry sank in 1998, and they say the "
        "ferry has never been replaced, though the port authority bought a second-hand boat "
        "for the crossing in 2019 and ran it for a summer. Work stopped in June because the "
        "contractor went "
        "bankrupt, and no other firm has bid for it since.")
    service = site(tmp_path, {"The Kessa Bridge": paragraph})
    got = service.ask("why hasn't the bridge to kessa been finished?")
    assert len(paragraph) > 700 and "the contractor went bankrupt" in got.hits[0].quote
    # Asked what, not why, the quote keeps the sentences of the question's words.
    got = service.ask("what did mayor ortiz promise about the bridge to kessa?")
    assert "the contractor went bankrupt" not in got.hits[0].quote


def test_what_a_country_said_is_said_by_a_sentence_that_names_it():
    text = ("When the Spanish delegate spoke to the press he stated that the port should be "
            "shared. The United States sent an observer.")
    spans = sentence_spans(text)
    assert not kinds.answers_kind(
        "What did the United States government say about the port?", text, spans)
    assert kinds.answers_kind("what did the Spanish delegation say about the port?", text,
                              spans)


def test_a_letter_dropped_from_a_common_word_is_no_unknown_name(tmp_path):
    service = site(tmp_path, HARBOUR_TOWN)
    assert service.ask("did the two towns evr agree to share the berths?").status == "answered"
    # ... while a rare word the site never uses still is one.
    assert service.ask("did the two towns agree to share the gallium?").status != (
        "answered")


@pytest.mark.parametrize("question, text, told", [
    # A share of the vote is a percentage or a fraction, of whatever it is written.
    ("What was Ak Tol's share of the national vote?",
     "The main beneficiary was Ak Tol, a party founded eighteen months before the vote.",
     False),
    ("What was Ak Tol's share of the national vote?", "Ak Tol won 18.5 per cent of it.", True),
    ("what percentage of babies were born out of wedlock?",
     "The majority of babies last year were born to unmarried parents.", True),
    # An amount harvested or produced is a quantity, not what it sold for.
    ("How much cotton did Kessa harvest in 2024?",
     "Exports of finished textiles rose to 3.4 billion dollars in 2024, cotton farmers say.",
     False),
    ("How much cotton did Kessa harvest in 2024?",
     "Kessa harvested 3.1 million tonnes of cotton in 2024.", True),
])
def test_a_share_or_an_amount_produced_is_given_as_such(question, text, told):
    assert kinds.answers_kind(question, text, sentence_spans(text)) is told


@pytest.mark.parametrize("text, told", [
    ("Shortly after, the Kessa Front seized the car carrier Galaxy Leader and took its crew "
     "to the port.", False),  # a ship's name, no office
    ("The Kessa Front's leader, Omar Sayed, said the attacks would go on.", True),
])
def test_an_office_word_that_ends_a_name_is_no_office(text, told):
    question = "Who is the leader of the Kessa Front?"
    assert kinds.answers_kind(question, text, sentence_spans(text)) is told


def test_what_happened_at_a_place_the_site_names_is_asked_about_the_place(tmp_path):
    service = site(tmp_path, HARBOUR_TOWN)
    # "happened" is no word of the site's, but the question is about Riverton itself ...
    assert service.ask("what happened in riverton?").status == "answered"
    assert service.ask("What happened at the Summit in Riverton?").status == "answered"
    # ... while a thing the site never mentions, asked of a name it does, is not answered.
    assert service.ask("what did ortiz have for breakfast").status != "answered"
