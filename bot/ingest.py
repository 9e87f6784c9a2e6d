"""Ingesting targets (files now, URLs via bot.sources.web) into the service's store."""

from __future__ import annotations

from pathlib import Path

from bot.errors import FootnoteError, UsageError
from bot.models import IngestReport
from bot.service import Service


def ingest_targets(service: Service, targets: list[str], kind: str = "auto",
                   full: bool = False) -> list[IngestReport]:
    """One report per target; a failing target never stops the others."""
    reports = []
    for target in targets:
        if target.startswith(("http://", "https://")):
            from bot.sources.web import ingest_url_sync

            if kind == "file":
                raise UsageError("--kind file takes paths, not URLs")
            reports.append(ingest_url_sync(service, target, kind, full))
            continue
        try:
            report, _ = service.ingest_paths([Path(target)])
        except FootnoteError as e:
            report = IngestReport(source=target, failed=1, errors=[str(e)])
        reports.append(report)
    return reports


def refresh_sources(service: Service, progress: bool = False,
                    full: bool = False) -> list[IngestReport]:
    """Re-ingest every configured source (console entry point)."""
    from bot.sources.web import refresh_all_sync

    return refresh_all_sync(service, progress, full)
