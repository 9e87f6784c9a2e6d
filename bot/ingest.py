"""Ingesting targets (files now, URLs via bot.sources.web) into the service's store."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bot.errors import FootnoteError, StoreError, UsageError
from bot.models import IngestReport
from bot.service import SEEDS_DIR, Service


def ingest_targets(service: Service, targets: list[str], kind: str = "auto",
                   full: bool = False) -> list[IngestReport]:
    """One report per target; a failing target never stops the others."""
    reports = []
    for target in targets:
        target = _local_or_url(target)
        if target.startswith(("http://", "https://")):
            from bot.sources.web import ingest_url_sync

            if kind == "file":
                raise UsageError("--kind file takes paths, not URLs")
            report = ingest_url_sync(service, target, kind, full)
        else:
            report = _ingest_files(service, target)
        service.set_seeds_aside(report)
        reports.append(report)
    return reports


def _ingest_files(service: Service, target: str) -> IngestReport:
    if target.rstrip("/") == "seeds" and not Path(target).exists():
        target = str(SEEDS_DIR)  # what the "set aside" note says to type, from any folder
    try:
        report, _ = service.ingest_paths([Path(target)])
    except StoreError:
        raise  # not this target's fault: every other would fail the same way
    except FootnoteError as e:
        report = IngestReport(source=target, failed=1, errors=[str(e)])
    # Recorded in the store (not in this process) so that `status` shows it later; a path
    # that gave nothing at all (missing, unreadable) is not a source.
    if report.ok or report.new or report.updated or report.unchanged:
        service.store.set_source_state(report.source, "ok (file)" if report.ok
                                       else f"{report.failed} failed (file)")
    return report


def _local_or_url(target: str) -> str:
    """A file:// URL as its path; other URL schemes refused by name (never read as a path:
    "ftp://host/x" is not a folder called "ftp:")."""
    m = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", target)
    if not m:
        return target
    scheme = m.group(1).lower()
    if scheme == "file":
        return unquote(urlsplit(target).path)
    if scheme not in ("http", "https"):
        raise UsageError(f"{target}: only http(s) URLs and local paths can be ingested")
    if not urlsplit(target).hostname:
        raise UsageError(f"{target}: the URL has no host name")
    return target


def refresh_sources(service: Service, progress: bool = False,
                    full: bool = False) -> list[IngestReport]:
    """Re-ingest every configured source (console entry point)."""
    from bot.sources.web import refresh_all_sync

    return refresh_all_sync(service, progress, full)
