"""What a passage must hold for the kind of answer asked (fifteenth session): a count of the
year asked, not another; a year that dates a sentence counts nothing; an age of what is
named; whether someone said something, in their words. Example sentences of our own."""

import pytest

from bot import kinds
from bot.text import sentence_spans

DENGUE = ("In the first half of 2024, Peru suffered the worst dengue epidemic in its history. "
          "More than 250,000 suspected cases and 240 deaths were reported.")


@pytest.mark.parametrize(("question", "answers"), [
    ("how many people have died of dengue in peru in 2026 so far", False),
    ("how many died of dengue in 2025 and 2026?", False),
    ("how many people died of dengue in peru in 2024", True),
    ("how many people died of dengue in peru", True),  # no year asked: maybe this one
])
def test_a_count_of_another_year_does_not_answer(question, answers):
    assert kinds.answers_kind(question, DENGUE, sentence_spans(DENGUE)) is answers


def test_a_passage_that_gives_no_year_may_hold_the_years_figure():
    text = "More than 250,000 suspected cases and 240 deaths were reported."
    assert kinds.answers_kind("how many died of dengue in 2026?", text, sentence_spans(text))


@pytest.mark.parametrize(("text", "answers"), [
    # The year dates the insurgency; no figure counts the troops.
    ("Cabo Delgado has fought an insurgency since October 2017, and Rwandan troops still "
     "guard the gas projects.", False),
    ("In 22 March 2021, 1,000 Rwandan troops arrived in Cabo Delgado.", True),
    ("Rwanda sent 2,500 soldiers in July 2021.", True),
])
def test_a_year_after_a_month_dates_the_sentence_and_counts_nothing(text, answers):
    question = "how many rwandan soldiers are there in cabo delgado"
    assert kinds.answers_kind(question, text, sentence_spans(text)) is answers


@pytest.mark.parametrize(("question", "text", "answers"), [
    # A year something began in gives its age; a year something falls due does not.
    ("how old is the railway", "The Laos-China railway opened in December 2021.", True),
    ("how old is putin", "Putin, born in 1952, said so.", True),
    ("how old is the central bank governor",
     "Debt service falling due in 2026 exceeds what the central bank holds.", False),
    # The age must be of what is named, not of something beside it.
    ("how old is the lao central bank governor",
     "The Laos-China railway opened in December 2021.", False),
    ("how old is the average farmer", "The average farmer is 60 years old.", True),
])
def test_an_age_is_of_what_the_question_names(question, text, answers):
    assert kinds.answers_kind(question, text, sentence_spans(text)) is answers


def test_an_age_in_a_year_may_be_given_by_the_year_of_birth():
    text = "Manning, born in 1976, became the oldest quarterback to start a final."
    assert kinds.answers_kind("how old was manning in 2015?", text, sentence_spans(text))


@pytest.mark.parametrize(("question", "answers"), [
    # Whether Benin said something is answered only by Benin's words.
    ("has benin said if it will join the pact later?", False),
    ("so did benin say whether it would join?", False),
    ("has Mensah-Attipoe said whether the patrols will work?", True),
    # "Said anything about it", "commented": the same yes / no.
    ("did benin say anything about the patrols?", False),
    ("has benin commented on the patrols?", False),
    ("has mensah-attipoe commented on the patrols?", True),
    ("did mensah-attipoe say anything about the patrols?", True),
])
def test_whether_someone_said_something_is_answered_by_their_words(question, answers):
    text = ("Analysts caution that the pact leaves out Benin. Without cooperation across the "
            "border, said security researcher Afi Mensah-Attipoe, \"the patrols will push "
            "fighters sideways rather than out.\"")
    assert kinds.answers_kind(question, text, sentence_spans(text)) is answers


def test_an_election_won_is_told_by_who_was_elected():
    text = "Voters in Marovia elected Dana Okonkwo-Reyes as president on Sunday."
    assert kinds.answers_kind("who won the marovia election?", text, sentence_spans(text))
    text = "Voters in Marovia went to the polls on Sunday in heavy rain."
    assert not kinds.answers_kind("who won the marovia election?", text, sentence_spans(text))


RICE = ("When the ministry announced on 14 March 2025 that it would cap rice exports at 6.2 "
        "million tonnes for the year, down from 8.1 million tonnes in 2024, prices jumped.")


@pytest.mark.parametrize(("question", "text", "answers"), [
    # What was exported in the end is not the cap, nor the year before's figure.
    ("how many tonnes of rice did vietnam actually end up exporting in 2025?", RICE, False),
    ("how many tonnes of rice could vietnam export in 2025?", RICE, True),  # the cap
    ("how many tonnes did vietnam export in 2024?", RICE, True),
    ("how many tonnes of rice did vietnam actually export in 2025?",
     "In the end Vietnam exported 7.4 million tonnes of rice in 2025, above the cap.", True),
])
def test_what_happened_in_fact_is_not_a_plan_nor_another_years_figure(question, text, answers):
    assert kinds.answers_kind(question, text, sentence_spans(text)) is answers


def test_what_would_be_is_answered_by_the_plan():
    question = "how many tonnes would vietnam actually be allowed to export in 2025?"
    assert kinds.answers_kind(question, RICE, sentence_spans(RICE))


@pytest.mark.parametrize(("question", "text", "answers"), [
    # A central bank is headed by its governor, a city by its mayor.
    ("who is the head of the lao central bank?",
     "On 3 March, the central bank's governor, Vannaphone Sisouk, announced a swap.", True),
    ("who leads the city of kessa?", "Kessa's mayor, Ana Velo, opened the bridge.", True),
    ("who is the head of the central bank?",
     "The central bank cut rates on Monday, its second cut this year.", False),
])
def test_the_head_of_a_body_is_named_by_its_title(question, text, answers):
    assert kinds.answers_kind(question, text, sentence_spans(text)) is answers


@pytest.mark.parametrize("text, answers", [
    # Serbia's president, in a sentence that names Kosovo too: not Kosovo's.
    ("President Aleksandar Vucic has framed the issue as one of Serbs' survival in Kosovo, "
     "while Kurti speaks of the rule of law.", False),
    ("Kosovo's President Vjosa Osmani met Serbian officials in Brussels.", True),
    ("The president of Kosovo, Vjosa Osmani, rejected Serbia's offer.", True),
    ("In Kosovo, President Vjosa Osmani has called early elections.", True),
    ("Serbian President Vucic said Kosovo must not join the Council of Europe.", False),
])
def test_an_office_of_a_country_is_beside_its_name_where_another_country_is_named(text,
                                                                                  answers):
    assert kinds.answers_kind("who's kosovo's president btw", text,
                              sentence_spans(text)) is answers


def test_who_is_in_charge_is_not_held_to_an_office_title():
    text = ("The three countries came to power through coups: Mali's Colonel Assimi Goita in "
            "2020, Burkina Faso's Captain Ibrahim Traore in 2022, and Niger's General "
            "Abdourahamane Tiani in 2023, when he ousted the elected president Mohamed Bazoum.")
    assert kinds.answers_kind("who's in charge of burkina faso's military government?", text,
                              sentence_spans(text))
