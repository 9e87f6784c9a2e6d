"""A question about the recent past ("which storm hit Florida this week?") is answered from
an article of that time: when the best passage's article is dated long before, a passage
nearly as good from an article of the question's span goes first (last year's storm shares
as many words with the question as this week's). What counts as recent:
bot/kinds/recency.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import numpy as np

from bot.kinds import recency
from bot.rerank import Ranked

RIVALS = 5  # the next best passages looked at
SHARE = 0.5  # of the question's weight the best passage holds, at least


def recent_first(ranked: Ranked, date_of: Callable[[int], str], asked: datetime,
                 days: int) -> Ranked:
    """The ranking with the first of the next RIVALS passages dated within `days` before
    `asked` that holds at least SHARE of what the best one holds first, when the best one
    is dated outside them. `date_of`: a passage id's article date."""
    ids = ranked.ids
    if not len(ids) or not recency.stale(date_of(int(ids[0])), asked, days):
        return ranked
    floor = SHARE * float(ranked.held[0])
    for j in range(1, min(len(ids), RIVALS + 1)):
        if float(ranked.held[j]) >= floor and recency.within(date_of(int(ids[j])), asked,
                                                               days):
            return ranked.first(np.arange(len(ids)) == j)
    return ranked
