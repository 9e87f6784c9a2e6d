"""The patterns every kind check reads: months, ordinals, words with their figures, and
capitalised words (names), shared by the question side and the passage side."""

from __future__ import annotations

import re

# A month's name, in full or short, capitalised ("may" is a verb).
MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|"
         r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)")
ORDINAL = r"\d{1,2}(?:st|nd|rd|th)"
WORDS = re.compile(r"[\w$\u00a3\u20ac\u00a5%.,'\u2019-]*\w")
# A capitalised word: a name (a person, a place, a body); at the start of a sentence only
# when it is not a common English word ("Tesla", not "However").
CAPITAL = re.compile(r"(?<![\w'\u2019.-])[A-Z][\w'\u2019.-]*")
OPENING = re.compile(r"^\W*$")
