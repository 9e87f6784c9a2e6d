"""Questions no article answers, whatever words they share with one: what holds only now
(the time of day, the weather), a translation, a joke or a poem to be made up. Readers try
a bot with them ("what time is it in Vladivostok?" of a site whose article was given in
Vladivostok), and the words match: "time" and "say" are in most articles, the place in
some."""

from __future__ import annotations

import re

# The clock and the calendar now: "what time is it in Tokyo", "what's the time in Moscow",
# "what day is it today", "what's today's date", "what time zone is Vladivostok in".
CLOCK = re.compile(
    r"\bwhat(?:'s|\u2019s|s|\s+is)?\s+(?:the\s+)?time\s+(?:is\s+it|it\s+is|now|right\s+now|"
    r"today|(?:over\s+)?(?:in|at)\b)|\bwhat(?:'s|\u2019s|s|\s+is)?\s+(?:the\s+)?(?:date|day)\s+"
    r"(?:is\s+it|it\s+is|today|now)\b|\bwhat(?:'s|\u2019s|s|\s+is)\s+today'?s\s+date\b|"
    r"\btime\s*zones?\b", re.I)
# The weather where the reader asks it: "what's the weather like in Moscow", "weather
# forecast for Tokyo", "is it going to rain in Kyiv tomorrow". (Not "how did the weather
# delay the launch", which an article may tell.)
WEATHER = re.compile(
    r"\bwhat(?:'s|\u2019s|s|\s+is|\s+will)?\s+(?:the\s+)?weather(?:\s+be)?\s+(?:like|in|at|"
    r"today|tomorrow|tonight|now|right|this|next|going)\b|\bweather\s+forecast\b|"
    r"\bforecast\s+for\b|\b(?:is|will)\s+it\s+(?:going\s+to\s+|gonna\s+)?(?:rain|snow)\b|"
    r"\bhow\s+(?:hot|cold|warm)\s+is\s+it\s+(?:in|at|now|today|right)\b", re.I)
# A translation: "how do you say hello in Japanese", "translate 'peace treaty' into Russian".
# (Not "what are the islands called in Japanese", which an article may well say.)
_LANGUAGE = (r"(?:english|french|arabic|hebrew|hindi|urdu|farsi|persian|swahili|korean|thai|"
             r"greek|dutch|[a-z]+(?:ese|ish|ian))")
TRANSLATION = re.compile(
    rf"\bhow\s+(?:do|would|can|should|d)\s+(?:you|u|ya|i|we|one)\s+(?:say|write|spell)\b[^?.!]*"
    rf"\bin\s+{_LANGUAGE}\b|\btranslate\b[^?.!]*\b(?:in|into|to)\s+{_LANGUAGE}\b", re.I)

# Something to be made up rather than quoted: "tell me a joke about whisky", "write a poem
# about the Mekong", "recommend a good restaurant in Vientiane", a local tip.
MADE_UP = re.compile(
    r"\b(?:tell|give|know|got)\s+(?:me\s+|us\s+)?(?:a|an|another|any|some)\s+(?:good\s+|funny\s+)?"
    r"jokes?\b|\b(?:write|compose|make|sing)\s+(?:me\s+|us\s+)?(?:a|an)\s+"
    r"(?:\w+\s+)?(?:poem|song|haiku|limerick|story|rap|essay)\b|\brecommend\s+(?:me\s+)?(?:a|an|"
    r"some|any)\s+(?:good\s+|nice\s+|cheap\s+)?(?:restaurants?|hotels?|bars?|caf[eé]s?|places?\s+"
    r"to\s+(?:eat|stay))\b"
    # ... and a local tip: "anyone know good pizza places in helsinki", "best bars near the
    # old town", "where can i get good coffee in tallinn".
    r"|\b(?:good|best|nice|cheap|decent|great)\s+(?:pizza|food|sushi|burgers?|coffee|beer|"
    r"restaurants?|bars?|pubs?|caf[eé]s?|hotels?|hostels?|clubs?|places?\s+to\s+(?:eat|stay|"
    r"drink|go\s+out))(?:\s+(?:places?|spots?|joints?))?\s+(?:in|near|around)\b"
    r"|\bwhere\s+(?:can|should|do|to)\s+(?:i\s+|we\s+|you\s+|u\s+)?(?:eat|get\s+(?:a\s+)?"
    r"(?:good\s+|decent\s+)?(?:food|coffee|pizza|beer|drink))\b", re.I)


def outside(question: str) -> bool:
    """Does the question ask what no article holds (`CLOCK`, `WEATHER`, `TRANSLATION`,
    `MADE_UP`)?"""
    return any(p.search(question) for p in (CLOCK, WEATHER, TRANSLATION, MADE_UP))
