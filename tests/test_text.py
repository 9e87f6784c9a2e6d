import pytest

from bot.text import normalize, split_sentences, tokenize, truncate


def test_tokenize_folds_curly_apostrophes_and_drops_stopwords():
    assert tokenize("Why haven’t Japan and Russia signed it?") == ["japan", "russia", "sign"]
    assert tokenize("Russia’s navy") == tokenize("Russia's navy") == ["russia", "naval"]


def test_tokenize_nfkc_and_case():
    # Full-width letters and the "ﬁ" ligature become plain ASCII before stemming.
    assert tokenize("ＰＥＡＣＥ") == tokenize("peace")
    assert tokenize("ﬁnancial") == tokenize("financial")
    assert normalize("A\u00a0B") == "a b"


def test_tokenize_folds_the_accents_of_latin_letters_only():
    # Readers type without accents: "cafe" finds "café", "Grindavik" finds "Grindavík".
    assert tokenize("the café in Grindavík") == tokenize("the cafe in Grindavik") == [
        "cafe", "grindavik"]
    assert tokenize("São Paulo résumé") == ["sao", "paulo", "resum"]
    # A Japanese voicing mark makes another word: kept.
    assert tokenize("が") != tokenize("か")


def test_tokenize_stems_and_hyphen_compounds():
    assert tokenize("treaties treaty") == ["treati", "treati"]
    assert "precondit" in tokenize("pre-conditions")
    assert "precondit" in tokenize("preconditions")
    assert tokenize("Super_Bowl_50") == ["super", "bowl", "50"]


def test_tokenize_only_stopwords_is_empty():
    assert tokenize("what is the of and to") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr. Putin met Dr. Abe. They talked.", ["Mr. Putin met Dr. Abe.", "They talked."]),
        ("The U.S. economy grew. Then it fell.", ["The U.S. economy grew.", "Then it fell."]),
        ("Growth was 3.5 percent. Next year.", ["Growth was 3.5 percent.", "Next year."]),
        ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
        ("“We will win.” Abe said so.", ["“We will win.”", "Abe said so."]),
        ("J. K. Rowling wrote it. Fine!", ["J. K. Rowling wrote it.", "Fine!"]),
        ("Is it? Yes. no split here.", ["Is it?", "Yes. no split here."]),
        ("It has, however, been a pause in", ["It has, however, been a pause in"]),
    ],
)
def test_split_sentences_hard_cases(text, expected):
    assert split_sentences(text) == expected


def test_sentences_are_verbatim_slices():
    text = "One  two.   Three four! Five?"
    for s in split_sentences(text):
        assert s in text


def test_truncate_on_word_boundary():
    assert truncate("alpha beta gamma delta", 12) == "alpha beta…"
    assert len(truncate("x" * 50, 10)) == 10
    assert truncate("short", 10) == "short"


def test_irregular_past_forms_meet_their_verb():
    assert tokenize("attacks rose") == tokenize("attacks rise") == ["attack", "rise"]
    assert tokenize("who won") == tokenize("who wins")
    assert tokenize("a bit of wound") == ["bit", "wound"]  # nouns left alone


def test_quantity_question_words_are_stopwords():
    assert tokenize("how many soldiers, how much money") == ["soldier", "money"]


def test_paraphrases_meet_the_articles_words():
    from bot.text import tokenize

    assert tokenize("the Japanese") == tokenize("Japan")
    assert tokenize("Yemeni") == tokenize("Yemen") and tokenize("Russians") == tokenize("Russia")
    assert tokenize("four islands") == tokenize("4 islands")
    assert tokenize("symbolise") == tokenize("symbolize")
    assert tokenize("colour centre defence") == tokenize("color center defense")
    assert tokenize("17 kilometres deep") == tokenize("17 kilometers deep")
    assert tokenize("organisation analysed") == tokenize("organization analyzed")
    # -ise words that American English spells the same stay apart from anything else.
    assert tokenize("promise exercise") == ["promis", "exercis"]


def test_chat_shorthand_meets_the_spelled_out_words():
    pairs = {"uni": "university", "govt": "government", "gov": "government",
             "PM": "prime minister", "UN": "United Nations", "EU": "European Union",
             "UK": "United Kingdom", "USA": "United States", "intl": "international",
             "WW2": "World War 2", "CO2": "carbon dioxide", "FX": "foreign exchange",
             "yr": "year", "desal": "desalination", "infra": "infrastructure",
             "admin": "administration"}
    for short, long in pairs.items():
        assert tokenize(short) == tokenize(long), short
    assert tokenize("can sailors go thru the strait tbh") == tokenize("can sailors go through "
                                                                      "the strait")


def test_a_decade_shortened_is_also_the_decade_articles_write():
    for short in ("the 90s", "the '90s", "the 90's", "the \u201990s"):
        assert tokenize(short) == ["90s", "1990s"], short
    assert set(tokenize("since the early 1970s")) < set(tokenize("since the early 70s"))
    # ... and stays the figure it is: "in their 60s" may be an age.
    assert "60s" in tokenize("in their 60s")
    # "the 20s" may be an age or the 2020s; a figure of 90 stays a figure.
    assert tokenize("in their 20s") == ["20s"]
    assert tokenize("90 seconds") == ["90", "second"]


def test_cote_divoire_is_the_ivory_coast():
    for name in ("Côte d'Ivoire", "Cote d\u2019Ivoire", "cote divoire"):
        assert set(tokenize("Ivory Coast")) <= set(tokenize(name)), name
    assert tokenize("Ivorian")[0] in tokenize("Côte d'Ivoire")


def test_chat_contractions_without_apostrophes_are_stopwords():
    assert tokenize("theyll wont dont gonna") == []
    # "it'd" lost its apostrophe and became a word no article holds, the rarest of the
    # question ("seems like it'd help exports").
    assert tokenize("it'd that’d who'd itd y'all ya kinda dunno") == []


def test_the_adjectives_of_regions_meet_their_regions():
    for people, place in (("Crimean", "Crimea"), ("Kashmiri", "Kashmir"), ("Texan", "Texas"),
                          ("Tigrayan", "Tigray"), ("Flemish", "Flanders")):
        assert tokenize(people) == tokenize(place), people


def test_a_place_the_table_does_not_know_meets_its_adjective_where_the_site_has_one():
    from bot.english import known_zipf
    from bot.text.phrases import fold_demonyms

    site = set(tokenize("Marovia Velorian media tax")).__contains__
    assert fold_demonyms("what did the marovian president say", site, known_zipf) == \
        "what did the marovia president say"
    assert fold_demonyms("what's the deal with Veloria?", site, known_zipf) == \
        "what's the deal with Velorian?"
    # Common English words are no places ("median" is not "media", "taxi" not "tax"), and
    # a word the site knows stays.
    for q in ("what is the median income", "how much is a taxi", "who won in Marovia"):
        assert fold_demonyms(q, site, known_zipf) == q


def test_the_demonyms_of_small_countries_meet_their_countries():
    for people, country in (("Laotian", "Laos"), ("Beninese", "Benin"), ("Togolese", "Togo"),
                            ("Guyanese", "Guyana"), ("Timorese", "Timor"),
                            ("Sri Lankan", "Sri Lanka")):
        assert tokenize(people) == tokenize(country), people


def test_a_noun_whose_stem_misses_its_verb_meets_it():
    # Snowball leaves "invas" beside "invad": readers ask of the invasion, articles say
    # the army invaded.
    assert tokenize("the invasion") == tokenize("they invaded") == ["invad"]
    assert tokenize("their decisions") == tokenize("it was decided") == ["decid"]
    assert tokenize("an explosion") == tokenize("it exploded") == ["explod"]
