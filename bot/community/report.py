"""The editors' report: what readers ask that the site does not answer yet. Pure."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from bot.community.feedback import AskRecord
from bot.community.grouping import group_questions


@dataclass(frozen=True)
class ReportRow:
    count: int
    question: str  # the most frequent wording
    wordings: tuple[str, ...]
    nearest: str  # the article closest to what they asked, if any
    none: int  # got nothing
    closest: int  # got passages that may not answer
    voted_down: int  # got an answer that was voted down

    def to_json(self) -> dict:
        return {
            "count": self.count, "question": self.question, "wordings": list(self.wordings),
            "nearest_article": self.nearest, "none": self.none, "closest": self.closest,
            "voted_down": self.voted_down,
        }


def build_report(records: list[AskRecord]) -> list[ReportRow]:
    """Group paraphrases of one question; most frequent first."""
    groups = group_questions([r.question for r in records])
    rows = []
    for g in groups:
        members = [records[i] for i in g.indices]
        nearest = Counter(r.nearest for r in members if r.nearest).most_common(1)
        rows.append(ReportRow(
            count=g.count, question=g.label, wordings=tuple(g.questions[:5]),
            nearest=nearest[0][0] if nearest else "",
            none=sum(r.status == "none" for r in members),
            closest=sum(r.status == "closest" for r in members),
            voted_down=sum(r.status == "answered" and r.down > r.up for r in members),
        ))
    return rows


CSV_HEADER = ("count", "question", "nearest_article", "none", "closest", "voted_down",
              "other_wordings")


def report_csv(rows: list[ReportRow]) -> str:
    """A header row, then one row per group (opens in a spreadsheet)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow((r.count, r.question, r.nearest, r.none, r.closest, r.voted_down,
                         " | ".join(r.wordings[1:])))
    return out.getvalue()


NOTHING_RECORDED = ("No questions on record yet: Footnote records the questions asked in "
                    "Discord (not those asked at the console).")


def report_text(rows: list[ReportRow], limit: int = 50, recorded: int | None = None) -> str:
    """A plain list for a terminal or a Discord message. `recorded`: how many questions are
    on record, so that an empty report says whether there was anything to report on."""
    if not rows:
        if recorded == 0:
            return NOTHING_RECORDED
        return "Nothing unanswered: every recorded question got a confident answer."
    lines = []
    for r in rows[:limit]:
        how = ", ".join(f"{n} {what}" for n, what in
                        ((r.none, "none"), (r.closest, "closest"), (r.voted_down, "voted down"))
                        if n)
        near = f" (nearest: {r.nearest})" if r.nearest else ""
        lines.append(f"{r.count}× {r.question} [{how}]{near}")
    if len(rows) > limit:
        lines.append(f"… and {len(rows) - limit} more groups")
    return "\n".join(lines)
