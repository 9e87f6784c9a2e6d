"""Whether a passage gives how fast something goes or changes ("how fast is the sea rising":
"4 millimetres a year", "25 centimetres annually", "60 km/h"; "how fast is the economy
growing": "grew 7.2 percent"), not any figure of it ("less than one metre above sea level")."""

from __future__ import annotations

import re

from bot.text import tokenize

SPEED = frozenset(("fast", "quickly", "rapidly", "slowly"))  # what "how …" asks a rate by
# A change asked or told of ("how much did prices rise" asks a change, which a share may give).
CHANGE = frozenset(tokenize("""rise rose risen rising fall fell fallen falling increase
    decrease drop climb jump grow grew soar surge decline slump plunge cut"""))
_CHANGE_ASKED = CHANGE | frozenset(tokenize("shrink shrinking expand expanding melt melting "
                                            "spread spreading"))
_NUMBER = r"(?<![\d.,])\d[\d.,]{0,20}"  # bounded: a run of digits is no cause to backtrack
_PER_TIME = r"(?:a|an|per|each|every)\s+(?:year|month|week|day|hour|minute|second|decade|annum)\b" \
    r"(?!\s+(?:earlier|ago|before|later|on))"
_RATE_OF = re.compile(rf"{_NUMBER}\s?[-\s]?(?:[\w/%-]{{1,20}}\s+){{0,3}}?{_PER_TIME}|"
                      rf"{_NUMBER}\s?[-\s]?(?:[\w/%-]{{1,20}}\s+){{0,3}}?(?:annually|yearly|"
                      r"monthly|weekly|daily|hourly)\b|"
                      rf"{_NUMBER}\s?(?:km/h|kph|mph|knots?|m/s|kmh)\b|"
                      rf"{_NUMBER}\s?[a-z]{{0,12}}\s?(?:/|per)\s?(?:yr|year|h|hr|hour|s|sec|day)\b",
                      re.I)
# ... or, of a change ("how fast is the economy growing"), a share it grew or fell by ("grew
# 7.2 percent", "lost 4 percent of its ice"), in a sentence that tells the change.
_CHANGED = re.compile(r"\b(?:gr[eo]w(?:s|n|th|ing)?|ris(?:e|es|en|ing)|rose|f[ae]ll(?:s|en|ing)?|"
                      r"increas\w*|declin\w*|shr[iau]nk\w*|expand\w*|los(?:e|es|s|t|ing)|"
                      r"melt\w*|spread\w*|jump\w*|climb\w*|dropp?(?:s|ed|ing)?|"
                      r"slow(?:s|ed|ing)|doubl(?:e|ed|es|ing))\b", re.I)
_SHARE_FIGURE = re.compile(rf"{_NUMBER}\s?(?:%|percent\b|per\s+cent\b)", re.I)


def gives_speed(after: str, sentence: str, asked: frozenset[str]) -> bool:
    """Is the figure that opens `after` (it and the words after it) a rate, or, of a change
    asked (`asked`: the question's stems), does its `sentence` give a share it changed by?"""
    return bool(_RATE_OF.match(after) or (asked & _CHANGE_ASKED and _SHARE_FIGURE.search(
        sentence) and _CHANGED.search(sentence)))
