"""The kind of answer a question asks for, and whether a passage can hold it.

"How many people died in the Hiroshima bombing?" asks for a count of people; a passage that
names the bombing but counts islands ("four small islands", a few words on) does not answer
it, however many words it shares. The same holds for measures ("how big are the islands",
"how long has it been") and dates ("in which year was the forum held", "on what date"): the
passage needs a number, or a year, month or date, next to the question's words, that the
question did not give itself, and of the year the question names if it names one ("how many
died in 2026" is not answered by a passage of 2024's figures; an age may be given by a
year of birth).

More kinds are checked the same lexical way:

* when (a bar, like the figures): a date or time expression ("in 1945", "last week", "days
  after …") in a sentence holding the question's words, that dates the question's event
  and is not anchored on it: "days after the United States bombed Hiroshima" dates
  something else, so it does not answer "When was Hiroshima bombed?";
* a later outcome (a bar: "did they end up signing it?", "did it eventually pass?"): a
  passage that says the thing is still pending ("still haven't signed", "yet to reach")
  was written before the outcome, and one that never reports it done does not give it;
* what someone said, and who won or lost (bars): a passage that reports no speech (a verb
  of saying, a quotation) or tells no win, defeat or award does not give it, however much
  it says of the person or the war;
* who / where (only a feature of the confidence, `answers_type`): a name the question does
  not hold (a capitalised word) in the sentences most about the question (holding at least
  half as many of its words as the best one): "Where is Russia's Pacific Fleet
  headquartered?" is not answered by "… Russia's Pacific fleet, its Pacific strategy …".

A reason or a description is not checked: a lexical check cannot see that one is missing.
"""

from __future__ import annotations

from bot.kinds.dated import answering_text, other_year
from bot.kinds.events import (
    OTHER,
    dates_ahead,
    gives_time_ahead,
    holds_other,
    names_no_doer,
    other_number,
    said_about,
)
from bot.kinds.figures import holds
from bot.kinds.questions import Asked, asked

__all__ = ["Asked", "answers_kind", "answers_type", "asked", "lacks_time_ahead",
           "said_under_title"]


def answers_kind(question: str, text: str, spans: list[tuple[int, int]], title: str = ""
                 ) -> bool:
    """Can the passage hold the figure, the time or the outcome the question asks for, of
    the numbered thing it names, or the doer a "who" asks for? (A best passage that cannot
    is never *answered*.) `title`: its article's."""
    figures = answering_text(question, text)
    return not other_number(question, text) and all(
        not names_no_doer(text, spans, ask) if ask.kind == "name" else
        holds_other(text, spans, ask, title) if ask.kind in OTHER else
        holds(figures, spans, ask) and (ask.unit == "old" or not other_year(question, text))
        for ask in asked(question))


def said_under_title(question: str, text: str, spans: list[tuple[int, int]], title: str
                     ) -> bool:
    """Does the passage give what a speaker said of a thing its article's title names (a
    passage worth keeping first, though it may not repeat the thing's word: not claimed as
    the answer on that alone)?"""
    return any(ask.kind == "saying" and said_about(text, spans, ask, title)
               for ask in asked(question))


def answers_type(question: str, text: str, spans: list[tuple[int, int]]) -> bool:
    """Does the passage hold a name a who / where question can be answered with? Weaker
    evidence than a missing figure or time (SQuAD answers "a doctor", "the park": its gold
    paragraph lacks one for 7% of such questions): a feature of the confidence, not a bar."""
    return all(holds_other(text, spans, ask) for ask in asked(question) if ask.kind == "name")


def lacks_time_ahead(question: str, text: str, spans: list[tuple[int, int]]) -> bool:
    """Does the question ask when something happens next ("when is the next election") of a
    passage that gives no time ahead for it? A rule on the answer's outcome, not part of
    `answers_kind` (a feature of the fitted confidence): there it moved one held-out fold's
    answer threshold, by one question at the training data's 82% mark."""
    return any(ask.kind == "time" and (
        (ask.unit == "next" and not dates_ahead(ask, text, spans)) or
        (ask.unit == "ahead" and not gives_time_ahead(text, spans)))
        for ask in asked(question))
