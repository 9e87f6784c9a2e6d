"""First-stage retrieval that changes incrementally (not wired into the bot yet)."""

from bot.retrieval.incremental import SegmentIndex
from bot.retrieval.segment import Segment

__all__ = ["Segment", "SegmentIndex"]
