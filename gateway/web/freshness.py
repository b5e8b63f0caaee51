"""Pages say how old their data is: always when the ERP failed and the last good answer stood in for it,
and when answers the cache kept are over a minute old."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from flask import Flask, current_app, g

from adapters.resilience.read_tracking import tracking_reads

STALE_AFTER_SECONDS = 60


@dataclass(frozen=True)
class DataAge:
    read_at: datetime
    erp_failed: bool


def start_tracking() -> None:
    """Collect the ERP reads behind this page, for its notice of how old its data is."""
    g.erp_reads_block = tracking_reads()
    g.erp_reads = g.erp_reads_block.__enter__()


def stop_tracking(_error: BaseException | None = None) -> None:
    block = g.pop("erp_reads_block", None)
    if block is not None:
        block.__exit__(None, None, None)


def data_age() -> DataAge | None:
    """The oldest answer behind this page, when the customer should be told; else None."""
    reads = g.get("erp_reads") or []
    stale = [read.read_at for read in reads if read.stale]
    if stale:
        return DataAge(min(stale), erp_failed=True)
    if not reads:
        return None
    oldest = min(read.read_at for read in reads)
    limit = timedelta(seconds=float(current_app.config.get("DATA_AGE_NOTICE_SECONDS", STALE_AFTER_SECONDS)))
    return DataAge(oldest, erp_failed=False) if datetime.now(timezone.utc) - oldest > limit else None


def _context() -> dict[str, Any]:
    return {"data_age": data_age}


def init_freshness(app: Flask) -> None:
    app.context_processor(_context)
