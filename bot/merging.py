"""Folding a Service's index deltas (bot/live.py) in a background thread: into a fresh full
index (`merge`: built off the lock, caught up with what changed meanwhile, swapped in) or
into one delta (`compact`), on a timer (`merge_later`).

Apart from bot/service.py, which decides when (its MERGE_SHARE, MAX_LAYERS and
MERGE_IDLE_SECONDS, after each change): this is how, a mixin the Service inherits, so it
swaps the Service's own corpus under its locks.
"""

from __future__ import annotations

import logging
import threading

from bot import live
from bot.corpus import Corpus
from bot.errors import EmptyCorpusError

log = logging.getLogger(__name__)


class Merging:
    """The Service's background merges (bot/service.py inherits it; bot/loading.py gives
    the `_fresh` and `_catch_up` it builds with)."""

    _corpus: Corpus | None
    _build_lock: threading.Lock
    _merging: threading.Lock
    _merge_timer: threading.Timer | None
    _merges_stopped = False

    def stop_merging(self) -> None:
        """Before the stores close: no merge starts any more, and a running one is waited
        for (it reads the stores: closed under it, it would fail in its thread)."""
        self._merges_stopped = True
        self.unload()
        with self._merging:
            pass  # a merge that took its turn before this has finished

    def unload(self) -> None:
        """No longer held (bot.corpora's bound): a pending merge is not needed."""
        if self._merge_timer is not None:
            self._merge_timer.cancel()

    def merge_later(self, seconds: float, full: bool = True) -> None:
        """Merge (`full=False`: fold the deltas into one) in a background thread after
        `seconds`."""
        if self._merges_stopped:
            return
        timer = threading.Timer(seconds, self._merge_quietly, (full,))
        timer.daemon = True
        timer.name = "footnote-merge"
        self._merge_timer = timer
        timer.start()

    def _merge_quietly(self, full: bool = True) -> None:
        try:
            if full:
                self.merge()
            else:
                self.compact()
        except Exception:  # noqa: BLE001 - a background thread: log, keep the current corpus
            log.exception("merging the index deltas failed")

    def merge(self) -> bool:
        """Fold the deltas into a fresh full index (built off the lock: questions keep
        being answered from the current corpus), catch it up with what changed meanwhile,
        and swap it in; False if there was nothing to fold or a merge is running."""
        if not self._merging.acquire(blocking=False):
            return False
        try:
            if self._merges_stopped:
                return False
            if not isinstance(getattr(self._corpus, "index", None), live.LiveIndex):
                return False
            try:
                fresh = self._fresh(resume=False)
            except EmptyCorpusError:
                return False  # the next reload says so
            with self._build_lock:
                if not isinstance(getattr(self._corpus, "index", None), live.LiveIndex):
                    return False  # a reload rebuilt it meanwhile
                try:
                    self._corpus = self._catch_up(fresh) or self._fresh(resume=False)
                except live.Mismatch:
                    self._corpus = self._fresh(resume=False)
                except EmptyCorpusError:
                    self._corpus = None
            log.info("merged the index deltas")
            return True
        finally:
            self._merging.release()

    def compact(self) -> bool:
        """Fold the deltas into one delta layer (built off the lock) and swap it in, unless
        the corpus changed meanwhile (the next change asks again); False if not swapped."""
        if not self._merging.acquire(blocking=False):
            return False
        try:
            if self._merges_stopped:
                return False
            current = self._corpus
            folded = live.compact(current) if current is not None else current
            with self._build_lock:
                if folded is current or self._corpus is not current:
                    return False
                self._corpus = folded
            log.info("folded the index deltas into one")
            return True
        except live.Mismatch:
            pass  # a full merge instead, below (not holding the merge's turn)
        finally:
            self._merging.release()
        return self.merge()
