"""What an attribute question asks of whom: "the capital of Japan", "who succeeded Abe",
"Turkey's energy minister" (the attribute's word, and whose office it is)."""

from __future__ import annotations

import re

from bot.text import tokenize

# An encyclopedia's attribute of a person, a place or a body ("what's the capital of Japan",
# "who succeeded Abe", "where is the fleet headquartered", "which party did he lead"): asked
# of something an article names, it is answered only by a passage that holds the word of
# the attribute itself; one about its holder that never says it answers something else.
_OFFICE = (r"(?:president|prime minister|chancellor|king|queen|governor|mayor|"
           r"chairman|chairwoman|chairperson|head of state|ceo|chief executive|"
           r"director[ -]general|secretary general|secretary-general|head(?=\s+of\b)|"
           r"director|commissioner|spokes(?:man|woman|person)|leader|chief|boss)")
ATTRIBUTE = re.compile(
    r"\b(?:capital|currency|currencies|language|languages|religion|anthem|flag|motto|"
    r"birthday|birthplace|born|wife|husband|spouse|married|(?P<succession>successor|succeed|"
    r"succeeded|predecessor|replace|replaced|t(?:ook|ake|akes|aking) over from)|headquarters|"
    r"headquartered|founder|nationality|originally from|political party|net worth|salary|"
    # An office, as asked of a country or a body ("the president of Djibouti", "Kiribati's
    # president"; not "what did the president say", where the article may name him only).
    rf"(?P<office>(?:(?:vice|deputy|acting|interim)[\s-]+)?{_OFFICE}(?=\s+of\b)|"
    rf"(?:(?<='s\s)|(?<=\u2019s\s))"
    rf"(?:(?:vice|deputy|acting|interim)[\s-]+)?{_OFFICE}|"
    # "Turkey's energy minister": a minister of a country, in the possessive only ("what
    # did the foreign minister say" asks what was said).
    r"(?:(?<='s\s)|(?<=\u2019s\s))(?:[a-z]+\s+){0,2}(?:minister|secretary|ambassador)))\b",
    re.I)
# Whose office it is: the name before "'s" or after "of" ("Turkey's energy minister", "the
# director-general of the FAO").
_HOLDER_BEFORE = re.compile(r"((?:[A-Z][\w-]*\s+){0,2}[\w-]+)['\u2019]s\s+$")
WHO = re.compile(r"\bwho(?:'?s|\s+(?:is|was|are|were|will|would))?\b", re.I)
_HOLDER_AFTER = re.compile(r"\s+of\s+((?:[\w'\u2019-]+\s*){1,4})")
_QUESTION_WORD = re.compile(r"\b(?:who|whom|whose|what|which|where|when|how)\b", re.I)
_TYPE_OF = re.compile(r"(?:which|what)(?:\s+(?!(?:is|was|are|were|do|does|did|the|a|an)\b)"
                      r"[\w'\u2019-]+){0,2}\s+$", re.I)


def office_holder(question: str, m: re.Match) -> frozenset[str]:
    """Stems of whose office the question asks ("Turkey's energy minister": turkey)."""
    before = _HOLDER_BEFORE.search(question, 0, m.start())
    if before:
        return frozenset(tokenize(before.group(1)))
    after = _HOLDER_AFTER.match(question, m.end())
    return frozenset(tokenize(_HOLDER_END.split(after.group(1))[0])) if after else (
        frozenset())


# Where the holder named after "of" ends: "the CEO of OpenAI following Sam Altman's sacking"
# is OpenAI's.
_HOLDER_END = re.compile(r"[?.!,;:]|\b(?:following|after|before|since|during|when|while|"
                         r"(?:right\s+)?now|"
                         r"currently|today|these|this|who|that|which|amid|despite)\b", re.I)


# "the tower in the new capital", "the target for the new capital": the attribute's word
# names where or what the question is about, not what it asks.
_PLACE_OF = re.compile(r"\b(?:in|at|to|into|from|for|near|around|outside|inside|across|"
                       r"through|towards?|with|about|over|behind|on)\s+"
                       r"(?:(?:the|a|an|its|their|his|her|this|that)\s+)?"
                       r"(?:[\w-]+\s+){0,2}$", re.I)


def asks_attribute(question: str, m: re.Match) -> bool:
    """Is the attribute what the question asks: after a question word of its sentence ("who
    succeeded Abe", "what is the capital of …"), not context before it ("Pelosi's husband
    was attacked. In which city …"), and not the type of a name asked for ("which currency
    fell": the answer says "the pound", maybe never "currency")?"""
    start = max(question.rfind(c, 0, m.start()) for c in ".!?;") + 1
    before = [w for w in _QUESTION_WORD.finditer(question, start, m.start())]
    if not before or _PLACE_OF.search(question, start, m.start()):
        return False
    return m.group(0).lower() == "political party" or not _TYPE_OF.fullmatch(
        question, before[-1].start(), m.start())
