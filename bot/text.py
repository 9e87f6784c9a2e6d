"""Tokenizer, sentence splitter and normalisation: pure functions shared by the whole core.

Passages and questions go through the same `tokenize`, so what is indexed is exactly what
is searched for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import regex
import Stemmer

# A compact English stopword list (Snowball's, plus question words and contractions):
# these words carry no topic, and dropping them keeps BM25 from ranking on "the" and "what".
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do
    does doesn't doing don't down during each few for from further had hadn't has hasn't
    have haven't having he he'd he'll he's her here here's hers herself him himself his how
    how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most
    mustn't my myself no nor not of off on once only or other ought our ours ourselves out
    over own same shan't she she'd she'll she's should shouldn't so some such than that
    that's the their theirs them themselves then there there's these they they'd they'll
    they're they've this those through to too under until up very was wasn't we we'd we'll
    we're we've were weren't what what's when when's where where's which while who who's
    whom why why's with won't would wouldn't you you'd you'll you're you've your yours
    yourself yourselves also did does may might must shall will whose yet s t d ll m re ve
    without within upon whether though although however since unless onto toward towards
    much many
    across along via per among
    dont doesnt didnt cant couldnt wouldnt shouldnt isnt arent wasnt werent havent hasnt
    hadnt mustnt im ive youre youve theyre theyve thats whats whos wheres whens hows whys
    theres heres shes
    """.split()
)

# Irregular past forms the Snowball stemmer leaves apart from their verb ("rose" never meets
# "rise"), mapped before stemming so "how much did attacks rise" finds "attacks rose".
IRREGULAR = dict(
    pair.split(":")
    for pair in """
    arose:arise arisen:arise awoke:awake bore:bear borne:bear beaten:beat became:become
    began:begin begun:begin bent:bend bet:bet bid:bid bitten:bite bled:bleed blew:blow
    blown:blow broke:break broken:break bred:breed brought:bring built:build burnt:burn
    bought:buy caught:catch chose:choose chosen:choose clung:cling came:come crept:creep
    dealt:deal dug:dig drew:draw drawn:draw dreamt:dream drank:drink drunk:drink drove:drive
    driven:drive ate:eat eaten:eat fell:fall fallen:fall fed:feed felt:feel fought:fight
    found:find fled:flee flung:fling flew:fly flown:fly forbade:forbid forbidden:forbid
    forgot:forget forgotten:forget forgave:forgive forgiven:forgive froze:freeze frozen:freeze
    got:get gotten:get gave:give given:give went:go gone:go grew:grow grown:grow hung:hang
    heard:hear hid:hide hidden:hide held:hold hurt:hurt kept:keep knelt:kneel knew:know
    known:know laid:lay led:lead leant:lean leapt:leap lent:lend lit:light
    lost:lose made:make meant:mean met:meet paid:pay ran:run rang:ring rung:ring rode:ride
    ridden:ride rose:rise risen:rise said:say saw:see seen:see sought:seek sold:sell sent:send
    shook:shake shaken:shake shone:shine shot:shoot shrank:shrink shrunk:shrink sang:sing
    sung:sing sank:sink sunk:sink sat:sit slept:sleep slid:slide slain:slay slew:slay
    spoke:speak spoken:speak sped:speed spent:spend spun:spin sprang:spring sprung:spring
    stood:stand stole:steal stolen:steal stuck:stick stung:sting stank:stink strode:stride
    struck:strike stricken:strike strove:strive striven:strive swore:swear sworn:swear
    swept:sweep swam:swim swum:swim swung:swing took:take taken:take taught:teach tore:tear
    torn:tear told:tell thought:think threw:throw thrown:throw trod:tread understood:understand
    woke:wake woken:wake wore:wear worn:wear wove:weave woven:weave wept:weep won:win
    withdrew:withdraw withdrawn:withdraw wrote:write written:write
    """.split()
)

# Paraphrases folded before stemming, so a reader's words meet the article's: country
# adjectives and demonyms to the country ("Japanese" -> japan, "Yemeni" -> yemen), number
# words to digits ("four" -> 4), British spellings to American ones (symbolise, colour,
# centre, defence, analyse). Measured in benchmarks/news.py and benchmarks/retrieval.py.
DEMONYMS = dict(
    pair.split(":")
    for pair in """
    afghan:afghanistan albanian:albania algerian:algeria american:america angolan:angola
    argentine:argentina argentinian:argentina armenian:armenia australian:australia
    austrian:austria azerbaijani:azerbaijan bahraini:bahrain bangladeshi:bangladesh
    belarusian:belarus belgian:belgium bolivian:bolivia bosnian:bosnia brazilian:brazil
    british:britain bulgarian:bulgaria burmese:burma burundian:burundi cambodian:cambodia
    cameroonian:cameroon canadian:canada chadian:chad chilean:chile chinese:china
    colombian:colombia congolese:congo croatian:croatia cuban:cuba cypriot:cyprus
    danish:denmark dutch:netherlands ecuadorian:ecuador egyptian:egypt emirati:emirates
    english:england eritrean:eritrea estonian:estonia ethiopian:ethiopia european:europe
    filipino:philippines finnish:finland french:france georgian:georgia german:germany
    ghanaian:ghana greek:greece guatemalan:guatemala haitian:haiti honduran:honduras
    hungarian:hungary icelandic:iceland indian:india indonesian:indonesia iranian:iran
    iraqi:iraq irish:ireland israeli:israel italian:italy ivorian:ivory jamaican:jamaica
    japanese:japan jordanian:jordan kazakh:kazakhstan kenyan:kenya korean:korea
    kosovar:kosovo kuwaiti:kuwait kyrgyz:kyrgyzstan latvian:latvia lebanese:lebanon
    liberian:liberia libyan:libya lithuanian:lithuania malawian:malawi malaysian:malaysia
    malian:mali maltese:malta mexican:mexico moldovan:moldova mongolian:mongolia
    moroccan:morocco mozambican:mozambique namibian:namibia nepalese:nepal nepali:nepal
    nicaraguan:nicaragua nigerian:nigeria norwegian:norway pakistani:pakistan
    palestinian:palestine panamanian:panama paraguayan:paraguay peruvian:peru polish:poland
    portuguese:portugal qatari:qatar romanian:romania russian:russia rwandan:rwanda
    saudi:saudi scottish:scotland senegalese:senegal serbian:serbia singaporean:singapore
    slovak:slovakia slovenian:slovenia somali:somalia spanish:spain sudanese:sudan
    swedish:sweden swiss:switzerland syrian:syria taiwanese:taiwan tajik:tajikistan
    tanzanian:tanzania thai:thailand tibetan:tibet tunisian:tunisia turkish:turkey
    ugandan:uganda ukrainian:ukraine uruguayan:uruguay uzbek:uzbekistan
    venezuelan:venezuela vietnamese:vietnam welsh:wales yemeni:yemen zambian:zambia
    zimbabwean:zimbabwe asian:asia african:africa
    """.split()
)
# Capitals and seats of government stand for their country in world-affairs writing ("Moscow
# and Tokyo never signed a treaty", "the Kremlin says"): folded like demonyms.
METONYMS = dict(
    pair.split(":")
    for pair in """
    kremlin:russia moscow:russia tokyo:japan beijing:china pyongyang:korea seoul:korea
    kyiv:ukraine kiev:ukraine tehran:iran riyadh:saudi sanaa:yemen ankara:turkey cairo:egypt
    damascus:syria baghdad:iraq kabul:afghanistan islamabad:pakistan khartoum:sudan
    nairobi:kenya abuja:nigeria caracas:venezuela havana:cuba ottawa:canada
    canberra:australia berlin:germany paris:france rome:italy madrid:spain london:britain
    westminster:britain whitehall:britain taipei:taiwan hanoi:vietnam bangkok:thailand
    jakarta:indonesia manila:philippines minsk:belarus warsaw:poland budapest:hungary
    soviet:russia soviets:russia ussr:russia
    """.split()
)
# Words of world-affairs reporting that readers and writers use for one another ("talks" for
# "negotiations", "splitting" for "division"), folded to one word on both sides; and nouns
# whose Snowball stem misses their verb ("agreement" / "agree"). Measured on SQuAD and the
# news questions (benchmarks/retrieval.py, benchmarks/news.py), not on the seed questions.
SYNONYMS = dict(
    pair.split(":")
    for pair in """
    talks:negotiate talk:negotiate talking:negotiate negotiation:negotiate
    negotiations:negotiate negotiating:negotiate negotiated:negotiate
    split:divide splitting:divide division:divide divided:divide dividing:divide
    partition:divide partitioned:divide
    agreement:agree agreements:agree
    fighting:war hostilities:war warfare:war
    start:begin started:begin starting:begin starts:begin
    straightforward:simple easy:simple
    complicated:complex
    truce:ceasefire
    """.split()
)
NUMBER_WORDS = dict(
    pair.split(":")
    for pair in """
    two:2 three:3 four:4 five:5 six:6 seven:7 eight:8 nine:9 ten:10 eleven:11 twelve:12
    thirteen:13 fourteen:14 fifteen:15 sixteen:16 seventeen:17 eighteen:18 nineteen:19
    twenty:20 thirty:30 forty:40 fifty:50 sixty:60 seventy:70 eighty:80 ninety:90
    hundred:100
    """.split()
)
_BRITISH_ROOTS = dict(
    pair.split(":")
    for pair in """
    colour:color honour:honor labour:labor favour:favor neighbour:neighbor
    behaviour:behavior harbour:harbor rumour:rumor armour:armor humour:humor
    flavour:flavor vigour:vigor endeavour:endeavor odour:odor savour:savor parlour:parlor
    vapour:vapor valour:valor rancour:rancor clamour:clamor saviour:savior
    splendour:splendor tumour:tumor candour:candor ardour:ardor fervour:fervor
    centre:center theatre:theater metre:meter litre:liter fibre:fiber calibre:caliber
    sombre:somber spectre:specter meagre:meager lustre:luster sabre:saber
    defence:defense offence:offense licence:license pretence:pretense
    programme:program catalogue:catalog grey:gray tyre:tire jewellery:jewelry
    aluminium:aluminum mould:mold plough:plow sceptic:skeptic manoeuvre:maneuver
    """.split()
)
_BRITISH = re.compile("^(" + "|".join(sorted(_BRITISH_ROOTS, key=len, reverse=True)) + ")")
_ISE = re.compile(r"^(\w{3,}?)(is|ys)(e|ed|es|ing|er|ers|ation|ations)$")
# -ise words that are spelt so in American English too.
_ISE_KEEP = frozenset(
    """
    advertise advise apprise arise chastise circumcise comprise compromise demise despise
    devise disguise enterprise excise exercise expertise franchise improvise incise
    merchandise premise promise revise supervise surmise surprise televise treatise precise
    concise paradise otherwise likewise clockwise noise poise raise praise cruise bruise
    mortise reprise valise porpoise tortoise turquoise chemise enfranchise disenfranchise
    anise appraise louise denise elise eloise cerise
    """.split()
)


def american(word: str) -> str:
    """A word in American spelling; demonyms and capitals as their country, number words as
    digits."""
    if word in DEMONYMS:
        return DEMONYMS[word]
    if word in METONYMS:
        return METONYMS[word]
    if word in SYNONYMS:
        return SYNONYMS[word]
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    if word.endswith("s") and word[:-1] in DEMONYMS:  # Russians, Israelis
        return DEMONYMS[word[:-1]]
    m = _BRITISH.match(word)
    if m:
        return _BRITISH_ROOTS[m.group(1)] + word[m.end():]
    m = _ISE.match(word)
    if m and f"{m.group(1)}{m.group(2)}e" not in _ISE_KEEP:
        return f"{m.group(1)}{m.group(2)[0]}z{m.group(3)}"
    return word


_APOSTROPHES = re.compile("[\u2019\u2018\u02bc\u2032`]")
_WORD = re.compile(r"[^\W_]+(?:['\-\u2010\u2011][^\W_]+)*")
_HYPHENS = re.compile(r"[\-\u2010\u2011]")
_stemmer = Stemmer.Stemmer("english")
_stem_cache: dict[str, tuple[str, ...]] = {}


def normalize(text: str) -> str:
    """NFKC, curly apostrophes folded, lowercase."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _APOSTROPHES.sub("'", text).lower()


def _stem_one(word: str) -> str:
    if word in STOPWORDS:
        return ""
    base = word[:-2] if word.endswith("'s") else word
    base = base.replace("'", "")
    if base in STOPWORDS:
        return ""
    base = american(base)
    return _stemmer.stemWord(IRREGULAR.get(base, base))


# Shorthand readers type for what articles spell out, and Roman numerals of wars and monarchs.
SHORTHAND = {
    "ww2": ("world", "war", "2"), "wwii": ("world", "war", "2"),
    "ww1": ("world", "war", "1"), "wwi": ("world", "war", "1"),
    "ii": ("2",), "iii": ("3",),
}


def _stem(word: str) -> tuple[str, ...]:
    """Stems of one lowercase word, stopwords dropped. A hyphenated compound gives its parts
    and the joined form, so "pre-conditions" matches "preconditions" and "conditions".
    Cached: corpora repeat words a lot."""
    if word in SHORTHAND:
        stems = SHORTHAND[word]
    elif _HYPHENS.search(word):
        parts = [p for p in (_stem_one(w) for w in _HYPHENS.split(word)) if p]
        joined = _stem_one(_HYPHENS.sub("", word))
        stems = tuple(parts + ([joined] if joined and joined not in parts else []))
    else:
        one = _stem_one(word)
        stems = (one,) if one else ()
    if len(_stem_cache) < 2_000_000:
        _stem_cache[word] = stems
    return stems


def tokenize(text: str) -> list[str]:
    """Text -> content-word stems, in order. The one tokenizer for passages and questions."""
    cache = _stem_cache
    out: list[str] = []
    for word in _WORD.findall(normalize(text)):
        stems = cache.get(word)
        if stems is None:
            stems = _stem(word)
        out.extend(stems)
    return out


class TermIds:
    """Text -> vocabulary ids, equal to mapping `tokenize` output, but fast for whole corpora:
    each surface word is stemmed and looked up once, and a paragraph is normalised once."""

    def __init__(self, vocab: dict[str, int]) -> None:
        self.vocab = vocab
        self._codes: dict[str, int] = {}  # word -> id, -1 stopword, <= -2 index into _multi
        self._multi: list[list[int]] = []

    def _add(self, word: str) -> int:
        stems = _stem_cache.get(word)
        if stems is None:
            stems = _stem(word)
        vocab = self.vocab
        ids = [vocab.setdefault(s, len(vocab)) for s in stems]
        if not ids:
            code = -1
        elif len(ids) == 1:
            code = ids[0]
        else:
            code = -2 - len(self._multi)
            self._multi.append(ids)
        self._codes[word] = code
        return code

    def _ids(self, words: list[str]) -> list[int]:
        codes = self._codes
        try:
            found = [codes[w] for w in words]
        except KeyError:
            found = [codes[w] if w in codes else self._add(w) for w in words]
        low = min(found, default=0)
        if low >= 0:
            return found
        if low == -1:  # stopwords only to drop (the common case)
            return [c for c in found if c >= 0]
        out: list[int] = []
        for c in found:
            if c >= 0:
                out.append(c)
            elif c <= -2:
                out.extend(self._multi[-2 - c])
        return out

    def text(self, text: str) -> list[int]:
        return self._ids(_WORD.findall(normalize(text)))

    def spans(self, text: str, spans: list[tuple[int, int]]) -> list[list[int]]:
        """Ids of each (start, end) slice of `text`."""
        norm = normalize(text)
        if len(norm) != len(text):  # normalisation moved offsets: slice first (rare)
            return [self.text(text[a:b]) for a, b in spans]
        return [self._ids(_WORD.findall(norm, a, b)) for a, b in spans]


def word_spans(text: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, stem) for every content word of `text`, offsets into `text` itself.

    NFKC can change lengths, so words are matched on the original text and normalised
    one by one; used to bold the question's words in a quote.
    """
    for m in _WORD.finditer(_APOSTROPHES.sub("'", text)):
        for stem in tokenize(m.group(0)):
            yield m.start(), m.end(), stem


# Words after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof st jr sr gen col lt sgt capt cmdr adm maj sen rep gov pres rev hon fr
    vs etc inc ltd co corp no nos vol pp fig al approx dept est univ ave blvd mt ft jan feb
    mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m d.c u.s.a
    """.split()
)

# A boundary: terminal punctuation, optional closing quotes/brackets, whitespace, then what
# can start a sentence (an optional opening quote/bracket, a capital or a digit).
_BOUNDARY = re.compile(
    r"([.!?\u2026]+[\"'\u201d\u2019)\]]*)\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u024f])"
)
_OPENERS = "\"'(\u201c\u2018["


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split `text` into sentences; returns (start, end) offsets, so pieces stay verbatim.

    Copes with titles ("Mr. Putin"), initials ("J. K."), dotted abbreviations ("U.S."),
    decimals (no space after the dot) and quotations ending a sentence ('."').
    """
    spans: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip())
    for m in _BOUNDARY.finditer(text):
        punct = m.group(1)
        if punct[0] == "." and not punct.startswith("..."):
            # The word before the dot; only the last few characters are looked at.
            before = text[max(start, m.start() - 24) : m.start()].rsplit(None, 1)
            word = before[-1].lstrip(_OPENERS).lower() if before else ""
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        stop = m.end(1)
        if stop > start:
            spans.append((start, stop))
        start = m.end()
    tail = text[start:].rstrip()
    if tail:
        spans.append((start, start + len(tail)))
    return spans


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, each a verbatim slice of it."""
    return [text[a:b] for a, b in sentence_spans(text)]


def clean_whitespace(text: str) -> str:
    """Trim and collapse runs of line breaks inside a paragraph into spaces."""
    return re.sub(r"\s*\n\s*", " ", text.strip())


_GRAPHEME = regex.compile(r"\X")


def truncate(text: str, limit: int, ellipsis: str = "\u2026") -> str:
    """Cut `text` to at most `limit` characters on a word boundary, with an ellipsis.

    The cut falls between grapheme clusters (`\\X`), so an emoji sequence joined by U+200D,
    a flag or a letter with its combining marks is kept whole or dropped whole. Text without
    spaces (CJK, one very long word) is cut at the last whole grapheme that fits.
    """
    if len(text) <= limit:
        return text
    if limit <= len(ellipsis):
        return ellipsis[:limit]
    room = limit - len(ellipsis)
    end = 0  # end of the last whole grapheme that fits
    space = -1  # start of the last whitespace grapheme that fits
    for m in _GRAPHEME.finditer(text, 0, room + 1):
        if m.end() > room:
            break
        if m.group()[0].isspace():
            space = m.start()
        end = m.end()
    if space > limit // 2:
        end = space
    return text[:end].rstrip() + ellipsis


# Invisible controls that reorder or hide text (a "Trojan Source" bidi override can make a
# quote read differently from what it says) and stray zero-width characters. Removed from
# articles when they are stored, so every quote is verbatim from the stored passage.
_ALWAYS_REMOVED = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\u200e\u200f\u061c"  # left-to-right, right-to-left and Arabic letter marks
    "\u200b\ufeff\u2060"  # zero-width space, BOM / zero-width no-break space, word joiner
)
_JOINERS = "\u200c\u200d"  # zero-width non-joiner and joiner: meaningful between some chars
_INVISIBLE = re.compile("[" + "".join(sorted(_ALWAYS_REMOVED)) + _JOINERS + "]")
# Scripts whose letters join or form conjuncts, where ZWJ/ZWNJ choose a shape: Arabic,
# Syriac, Thaana, N'Ko, the Indic scripts, Sinhala, Thai to Tibetan, Myanmar, Khmer,
# Mongolian, and Arabic presentation forms.
_JOINING_RANGES = (
    (0x0600, 0x08FF), (0x0900, 0x0DFF), (0x0E00, 0x0FFF), (0x1000, 0x109F),
    (0x1780, 0x18AF), (0xA8E0, 0xA8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFE),
)
# Emoji and what continues an emoji sequence (variation selector 16, keycap, skin tones
# and tags live inside these ranges or are symbols).
_EMOJI_RANGES = (
    (0x2190, 0x21FF), (0x2300, 0x23FF), (0x2460, 0x27BF), (0x2900, 0x297F),
    (0x2B00, 0x2BFF), (0x1F000, 0x1FAFF), (0xE0020, 0xE007F),
)


def _joinable(ch: str) -> bool:
    """May a zero-width (non-)joiner stand next to this character?"""
    cp = ord(ch)
    if ch in "\ufe0f\u20e3" or unicodedata.category(ch) == "So":
        return True
    if any(a <= cp <= z for a, z in _EMOJI_RANGES):
        return True
    return unicodedata.category(ch)[0] in "LM" and any(a <= cp <= z for a, z in _JOINING_RANGES)


def strip_invisible(text: str) -> str:
    """Remove bidi controls and stray zero-width characters; keep a zero-width (non-)joiner
    only between emoji (👩‍💻) or letters of joining scripts. Pure; idempotent."""
    if not _INVISIBLE.search(text):
        return text
    out: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch in _ALWAYS_REMOVED:
            continue
        if ch in _JOINERS:
            j = i + 1  # the next character that will be kept, skipping removed ones
            while j < n and text[j] in _ALWAYS_REMOVED:
                j += 1
            if not (out and j < n and _joinable(out[-1]) and _joinable(text[j])):
                continue
        out.append(ch)
    return "".join(out)
