"""Question word weights for the answer policy: corpus idf blended with English word
frequency, chatter and a preamble's words damped (bot/policy/__init__.py judges with them)."""

from __future__ import annotations

import math
import re

from bot.index import Index
from bot.text import tokenize, word_spans
from bot.typos import COMMON_ZIPF, common_spelling
from bot.typos import zipf as _zipf

# Passages at which the corpus idf and the background prior weigh the same: a 6-passage site
# leans on the prior, a 10k-passage one on its own statistics.
PRIOR_PASSAGES = 200
# Words of conversation, not of the topic: they keep a small weight so "hey bot, why ..."
# is judged on the rest.
CHATTER_WEIGHT = 0.15
CHATTER = frozenset(
    tokenize(
        """hey hi hello hiya yo greetings bot footnote thanks thank please pls question
        questions quick wondering wonder curious know knows knew tell telling explain
        read reading heard hear hearing saw see seen article articles anyone somebody
        someone guys folks ok okay um well really actually exactly basically just
        remind confused understand idea care mean ask asking lol nah yeah yep ok stuff
        thing things sort kind bit lot loads anyway literally totally rn tbh btw pretty
        noob reckon author writer piece site story post blog something anything
        everything interesting cool q ngl imo idk thx ty else whatever even quote quoted quotes
        quoting mention mentioned mentions according main supposedly apparently
        reportedly allegedly bloke blokes guy chap fella dude sorry dumb stupid silly"""
    )
)
# Phrases of conversation whose words are topic words elsewhere ("which islands are we
# talking about": not negotiations; "what did the leaders talk about" is about talks): their
# words weigh as chatter.
# So do a question's references back to the article's two sides ("the tension between the two
# countries", "both leaders", "each other"): they name whoever the article is about, and a
# passage that happens to say "the two countries" is no more about the question. "What is
# causing …" asks why, as "why" does: an answer gives the cause, it rarely says "causing"
# (but "a virus causing which disease" is about the virus's doing).
_CHAT_PHRASES = re.compile(r"\b(?:we|you|i)(?:'re|'m|re|m)?\s+(?:\w+\s+)?talk(?:ing|in)?\s+"
                           r"(?:about|abt|bout)\b|\bgoing on\b|\bfind out\b|\bmake sense\b|"
                           r"\bwait\b|\b(?:the\s+(?:two|2)|both(?:\s+the)?)\s+(?:countries|"
                           r"nations|states|sides|parties|governments|leaders|men|camps)\b|"
                           r"\beach\s+other\b|\bone\s+another\b|(?:(?<=\bwhat's\s)|(?<=\bwhats\s)|"
                           r"(?<=\bwhat\sis\s)|(?<=\bthat's\s)|(?<=\bthats\s)|(?<=\bthing\s)|"
                           r"(?<=\bthings\s)|(?<=\bfactor\s))causing\b|(?:(?<=ese\s)|(?<=an\s)|"
                           r"(?<=sh\s)|(?<=ch\s)|(?<=i\s)|(?<=\bother\s)|(?<=\bopposing\s))"
                           r"sides?\b|"
                           # "what happens if the lake gets even lower": the frame of a
                           # consequence asked for, and "get" as "become", name nothing.
                           r"\bwhat\s+(?:happens|happened|will\s+happen|would\s+happen|"
                           r"could\s+happen)(?=\s+(?:if|when|once|after)\b)|"
                           r"\b(?:get|gets|getting|got)(?=\s+(?:even\s+|much\s+|any\s+)?"
                           r"(?:\w+er|worse|better)\b)", re.I)
# A time just past, the reader's ("this week", "recently", "last month"): when the news
# happened, which an article written then seldom words so; weighed as chatter. (A time
# ahead, "this weekend", "next week", "soon", is what articles written before cannot say.)
_JUST_PAST = re.compile(r"\b(?:(?:this|last|past|earlier\s+this)\s+(?:week|month)|"
                        r"recent(?:ly)?|lately)\b", re.I)
# A preamble before a colon or a dash ("For my uni essay on Japan-Russia relations: why …",
# "quick q - …") says who asks and why; the question after it is what is judged, so words
# only the preamble holds weigh this share.
PREAMBLE_WEIGHT = 0.15
_SEPARATOR = re.compile(r"(?::|\s[-\u2013\u2014]+)\s+")
_ASKING = re.compile(r"(?:who|whom|whose|what|whats|which|when|whens|where|wheres|why|how|is|"
                     r"are|was|were|do|does|did|can|could|would|will|should|has|have|had)\b",
                     re.I)
MIN_ASKED_WORDS = 3
ASKED = re.compile(r"\W*(?:(?:so|and|but|ok|okay|wait|hey|hi|yo|then|um+|hmm+|bot)\b\W*)*"
                    + _ASKING.pattern, re.I)


def background_idf(word: str, spell: bool = False) -> float:
    """An idf-like weight from English word frequency (zipf scale: 7 is "the", 3 is rare):
    roughly the idf the word would have in a large collection of 100-word passages. A word
    English does not know that is a slip of a common one ("argueing", "artical") weighs as
    that word (`spell`: looked up only for words the site lacks, where it matters): a typo
    is not the rarest word of the question."""
    zipf = _zipf(word)
    if spell and zipf < COMMON_ZIPF:
        zipf = max(zipf, _zipf(common_spelling(word)))
    if len(word) >= 3 and word[:1].isdigit():
        # A year or a figure is common in English text at large but names one event in
        # a site's articles ("back in 2016, what did …").
        zipf = min(zipf, YEAR_ZIPF)
    return min(12.0, max(0.2, (7.0 - zipf) * math.log(10)))


YEAR_ZIPF = 3.5
COMMONEST_ZIPF = 5.5  # time, day, year, new, people: a word too common to search by alone

def preamble(question: str) -> str:
    """The text before the question proper ("For my uni essay on X: why …?" -> "For my uni
    essay on X"), or "": the last colon or spaced dash followed by a question of
    MIN_ASKED_WORDS words or more that starts with a question word or ends with "?". Text
    that is itself a question ("What was the Kremlin's reason for X - was it about the
    military?") is no preamble: the part after the dash narrows it."""
    if _ASKING.match(question.lstrip(" \"'\u201c(")):
        return ""
    for m in reversed(list(_SEPARATOR.finditer(question))):
        before, after = question[: m.start()], question[m.end():]
        if "?" in before or len(after.split()) < MIN_ASKED_WORDS:
            continue
        if _ASKING.match(after) or after.rstrip().endswith("?"):
            return "" if _topic(before) else before
    return ""


TOPIC_WORDS = 4  # a heading this short, of no context words, names what is asked about
_CONTEXT = re.compile(r"\b(?:i|i'm|im|i've|my|me|we|our|us|you|your|for|hey|hi|yo|so|ok|okay|"
                      r"read|saw|seen|heard|reading|essay|homework|quick|q|question|btw|lol|"
                      r"bot|footnote|asking|wondering)\b", re.I)


def _topic(before: str) -> bool:
    """Is the text before the question a heading naming its topic ("marco temporal - what's
    the cutoff date", "Nusantara: how much did it cost?"), which the question refers back
    to, and not the reader's context ("for my essay:", "hey bot -")?"""
    words = before.split()
    return 0 < len(words) <= TOPIC_WORDS and not _CONTEXT.search(before)


def question_weights(index: Index, question: str, tokens: list[str],
                     titled: frozenset[str] = frozenset()) -> dict[str, float]:
    """Each distinct question word's weight: corpus idf blended with the background prior,
    chatter words and words only a preamble holds damped (but not those of `titled`: a
    preamble naming an article's title, "the Yemen deadlock piece - …", says which one)."""
    surface: dict[str, str] = {}
    share: dict[str, float] = {}  # a hyphenated word's parts and joined form share its weight
    spans: dict[tuple[int, int], list[str]] = {}
    for a, b, stem in word_spans(question):
        word = question[a:b].lower().replace("\u2019", "'")
        surface.setdefault(stem, word[:-2] if word.endswith("'s") else word)
        spans.setdefault((a, b), []).append(stem)
    for stems in spans.values():
        for stem in stems:
            share[stem] = max(share.get(stem, 0.0), 1.0 / len(stems))
    corpus = index.query_weights(tokens)
    n = index.size
    before = preamble(question)
    aside = set(tokenize(before)) - set(tokenize(question[len(before):])) - titled if before \
        else set()
    chat = set()
    for pattern in (_CHAT_PHRASES, _JUST_PAST):
        said = set(tokenize(" ".join(m.group(0) for m in pattern.finditer(question))))
        if said:
            chat |= said - set(tokenize(pattern.sub(" ", question)))
    out = {}
    for t, cw in corpus.items():
        bg = background_idf(surface.get(t, t), spell=t not in index.vocab)
        w = (n * cw + PRIOR_PASSAGES * bg) / (n + PRIOR_PASSAGES) * share.get(t, 1.0)
        out[t] = w * CHATTER_WEIGHT if t in CHATTER or t in chat else w
        if t in aside:
            out[t] *= PREAMBLE_WEIGHT
    return out
