"""The community features over the one Service: auto-answers, follow-ups, feedback, the
editors' report, channel modes and announcements. Never imports discord; blocking (the store,
ranking): the Discord layer calls it through asyncio.to_thread."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from bot.community.announce import Announcement, Announcements
from bot.community.feedback import Feedback
from bot.community.modes import ChannelModes
from bot.community.questions import is_question
from bot.community.report import ReportRow, build_report
from bot.community.threads import AutoState
from bot.errors import FootnoteError
from bot.models import Answer, IngestReport
from bot.store.connection import Database
from bot.summarize import summarize

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Where:
    """Where a question was asked, and by whom (the id is only ever stored hashed)."""

    guild_id: int | None
    channel_id: int
    user_id: int
    parent_id: int | None = None  # a thread's or forum post's parent channel


def status_of(ans: Answer) -> str:
    """answered / closest / none."""
    return getattr(ans, "status", "answered" if ans.answered else "none")


class Community:
    """One object per process, shared by the bot's cogs (and `footnote report`)."""

    def __init__(self, db: Database, service, retention_days: float = 90.0,
                 mode_defaults: dict[int, dict[int, str]] | None = None,
                 allowlists: dict[int, tuple[int, ...]] | None = None,
                 default_mode: str = "commands") -> None:
        self.db = db
        self.service = service
        self.feedback = Feedback(db, retention_days)
        self.modes = ChannelModes(db, mode_defaults, allowlists, default_mode)
        self.announcements = Announcements(db)
        self.auto = AutoState(db)

    # -- answers
    def ask(self, question: str, where: Where, top: int, context: str = "",
            service=None) -> tuple[Answer, int]:
        """Answer and record it (for votes and the report); (answer, record id). A failure
        to record never fails the answer: the id is then 0 and vote buttons are left out.
        `service`: the Service of `where`, when the caller looked it up already."""
        if service is None:
            service = (self.service.for_guild(where.guild_id) if where.guild_id is not None
                       else self.service.corpora.outside_servers())  # the server's own corpus
        ans = service.ask(question, top)
        if context and status_of(ans) != "answered":
            # A follow-up ("and when did that happen?") read with the thread's first question.
            with_context = service.ask(f"{context} {question}", top)
            if _rank(with_context) > _rank(ans):
                ans = with_context
        return ans, self.record(ans, where)

    def record(self, ans: Answer, where: Where) -> int:
        """Keep the question, its outcome and the passages shown; 0 when the store fails."""
        try:
            passages = [[h.article_id, h.paragraph, h.title] for h in ans.hits[:5]]
            nearest = ans.hits[0].title if ans.hits else (ans.suggestions or ("",))[0]
            return self.feedback.record_ask(
                ans.question, status_of(ans), getattr(ans, "confidence", 0.0), passages,
                nearest, where.guild_id or 0, where.channel_id, where.user_id)
        except FootnoteError as e:
            log.warning("could not record a question: %s", e)
            return 0

    def auto_answer(self, text: str, where: Where, top: int, context: str = "",
                    message_id: int | None = None, any_text: bool = False
                    ) -> tuple[Answer, int] | None:
        """An answer worth posting unasked: only a confident one, else None (silence).
        Only questions (any text with `any_text`: a forum post asks by being posted); with
        `message_id`, only the first call for that message answers (the claim is stored)."""
        if not any_text and not is_question(text):
            return None
        if message_id is not None and not self.auto.claim(message_id):
            return None
        ans, record = self.ask(text, where, top, context)
        return (ans, record) if status_of(ans) == "answered" else None

    def thread_context(self, thread_id: int) -> str:
        """The first question of a thread Footnote answered in ("" for any other thread)."""
        return self.auto.thread_question(thread_id) or ""

    def remember_thread(self, thread_id: int, question: str) -> None:
        """Footnote answered in this thread: its follow-ups are read with `question`."""
        self.auto.remember_thread(thread_id, question)

    # -- feedback and report
    def vote(self, record_id: int, user_id: int, vote: int, guild_id: int | None = None
             ) -> bool:
        """False when the record is gone (too old to rate), or was made in another server."""
        return self.feedback.vote(record_id, user_id, vote, guild_id=guild_id)

    def record_in(self, record_id: int, guild_id: int | None):
        """A recorded answer, only in the server it was given in (None elsewhere)."""
        rec = self.feedback.ask(record_id)
        return rec if rec is not None and rec.guild_id == (guild_id or 0) else None

    def report(self, since: float = 0.0, guild_id: int | None = None) -> list[ReportRow]:
        """Grouped questions the site does not answer yet, most asked first."""
        self.prune()
        return build_report(self.feedback.unanswered(since, guild_id))

    def recorded(self, since: float = 0.0, guild_id: int | None = None) -> int:
        """How many questions are on record, answered or not."""
        return self.feedback.recorded(since, guild_id)

    def prune(self, now: float | None = None) -> None:
        """Apply the retention to every record (and drop announcements long delivered)."""
        now = time.time() if now is None else now
        self.feedback.prune(now)
        self.announcements.prune(now)
        days = self.feedback.retention_days
        self.auto.prune(now - (days if days > 0 else 3650) * 86400)

    def forget_user(self, user_id: int, guild_id: int | None = None) -> tuple[int, int]:
        """Remove one person's questions and votes (in one server only, with `guild_id`)."""
        return self.feedback.forget_user(user_id, guild_id)

    # -- modes
    def mode(self, where: Where) -> str:
        """off / commands / auto for this channel."""
        return self.modes.mode(where.guild_id, where.channel_id, where.parent_id)

    # -- announcements
    def due_announcements(self, guild_id: int, limit: int = 5) -> list[Announcement]:
        """New articles of this server's corpora to post in it (claimed: never twice)."""
        reads = self.service.for_guild(guild_id).reads
        return self.announcements.claim(guild_id, limit, reads)

    def queue_new_articles(self, report: IngestReport) -> int:
        """The store's after-ingest hook: queue the articles a refresh added; how many."""
        queued = 0
        for art in report.added:
            try:
                summary = " ".join(summarize(art.title, art.paragraphs, 2))
            except FootnoteError:  # too long or empty to summarise: announced without one
                summary = ""
            queued += self.announcements.enqueue(art.key, art.title, art.url, art.author,
                                                 art.date, summary, corpus=report.corpus)
        return queued


def _rank(ans: Answer) -> tuple[int, float]:
    order = {"none": 0, "closest": 1, "answered": 2}
    return order.get(status_of(ans), 0), float(getattr(ans, "confidence", 0.0))
