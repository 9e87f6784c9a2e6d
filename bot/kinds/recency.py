"""Questions about the recent past: "who resigned this week?", "what did the minister say on
Wednesday?", "which storm hit Florida recently?" ask about what happened shortly before they
are asked, so an article dated long before (or after) that time is about another event,
however many words it shares with the question: last year's hot-dog contest, the previous
Artemis launch, another Republican debate. Read by `bot.answer`, which prefers a passage of
an article dated within the question's span and tells the answer policy when the best one
is not (bot/policy/, the `stale` feature).

Only what the question says is read: a question without such words is about any time, and
an article without a date is never stale (nothing says it is)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.sources.normal import parse_date

# Days before the time asked that the words reach back, with a few days' slack for an
# article written the day after the event, or a week's news read over the weekend.
_SPANS = (
    (re.compile(r"\b(?:today|tonight|yesterday|last\s+night|this\s+(?:morning|afternoon|"
                r"evening))\b", re.I), 4),
    (re.compile(r"\b(?:this|last|past)\s+(?:week|weekend)\b|\bon\s+(?:monday|tuesday|"
                r"wednesday|thursday|friday|saturday|sunday)\b|\bearlier\s+this\s+week\b",
                re.I), 10),
    (re.compile(r"\b(?:this|last|past)\s+month\b", re.I), 45),
    (re.compile(r"\b(?:recent(?:ly)?|latest|newly|just\s+(?:been\s+)?\w+ed)\b", re.I), 45),
)
# An article dated up to this long after the time asked is still of its news (a site's
# clock, a time zone, a story updated the next day).
AFTER = timedelta(days=3)


def span(question: str) -> int | None:
    """How many days back the question's words reach ("this week": 10), the narrowest of
    those it uses; None for a question about any time."""
    days = [d for pattern, d in _SPANS if pattern.search(question)]
    return min(days) if days else None


def dated_against(date: str, asked: datetime | None, days: int | None) -> bool | None:
    """Is an article of this date (ISO 8601, or any form `parse_date` reads) outside the
    span of `days` before `asked` (True: stale) or inside it (False)? None when the question
    asks about no time or the article is undated (it may be of any time)."""
    when = _when(date)
    if asked is None or days is None or when is None:
        return None
    return not asked - timedelta(days=days) <= when <= asked + AFTER


def stale(date: str, asked: datetime, days: int) -> bool:
    """Dated, and outside the span. Undated or unreadable: no."""
    return dated_against(date, asked, days) is True


def within(date: str, asked: datetime, days: int) -> bool:
    """Dated, and inside the span."""
    return dated_against(date, asked, days) is False


def anchored(asked: datetime | None, newest: str) -> datetime:
    """The time a question is read against: when it is asked (now by default), or the
    site's newest article when that is older, so that a site that stopped publishing a
    year ago still answers "what did they say recently?" with its latest news."""
    asked = asked or datetime.now(UTC)
    asked = asked if asked.tzinfo else asked.replace(tzinfo=UTC)  # a naive time is UTC
    last = _when(newest)
    return min(asked, last + AFTER) if last is not None else asked


def as_of(value: str) -> datetime | None:
    """A date or a time (any form `parse_date` reads) as the time a question is asked, in
    UTC; a day alone is asked at its end, so that "this week" still takes in that day's
    articles. None when it cannot be read."""
    when = _when(value)
    if when is not None and len(parse_date(value) or "") == 10:
        when += timedelta(days=1) - timedelta(seconds=1)
    return when


def _when(date: str) -> datetime | None:
    iso = parse_date(date)
    if not iso:
        return None
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)
