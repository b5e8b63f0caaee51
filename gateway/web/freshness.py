"""Pages say how old the billing system's data is: always when the ERP failed and the last good answer stood in
for it, and when answers the cache kept are over a minute old. The notice speaks of the ERP's data only: the
customer's own writes a page lists are the portal's, and when some are newer than that data the notice says they
are listed apart, so "as of 21:22" never reads as contradicting a message sent at 21:25."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable

from flask import Flask, current_app, g

from adapters.resilience.read_tracking import tracking_reads

STALE_AFTER_SECONDS = 60


@dataclass(frozen=True)
class DataAge:
    read_at: datetime
    erp_failed: bool
    writes_after: bool = False  # the page lists writes of the customer's sent after the ERP's answer


def start_tracking() -> None:
    """Collect the ERP reads behind this page, for its notice of how old its data is."""
    g.erp_reads_block = tracking_reads()
    g.erp_reads = g.erp_reads_block.__enter__()


def stop_tracking(_error: BaseException | None = None) -> None:
    block = g.pop("erp_reads_block", None)
    if block is not None:
        block.__exit__(None, None, None)


def note_own_writes(created: Iterable[datetime]) -> None:
    """The times (naive UTC, as stored) of the customer's own writes this page lists beside the ERP's data."""
    newest = max((time.replace(tzinfo=timezone.utc) for time in created), default=None)
    known = g.get("own_writes_newest")
    if newest is not None and (known is None or newest > known):
        g.own_writes_newest = newest


def data_age() -> DataAge | None:
    """The oldest answer behind this page, when the customer should be told; else None."""
    reads = g.get("erp_reads") or []
    stale = [read.read_at for read in reads if read.stale]
    if stale:
        return _age(min(stale), erp_failed=True)
    if not reads:
        return None
    oldest = min(read.read_at for read in reads)
    limit = timedelta(seconds=float(current_app.config.get("DATA_AGE_NOTICE_SECONDS", STALE_AFTER_SECONDS)))
    return _age(oldest, erp_failed=False) if datetime.now(timezone.utc) - oldest > limit else None


def _age(read_at: datetime, erp_failed: bool) -> DataAge:
    newest = g.get("own_writes_newest")
    return DataAge(read_at, erp_failed, writes_after=newest is not None and newest > read_at)


def _context() -> dict[str, Any]:
    return {"data_age": data_age}


def init_freshness(app: Flask) -> None:
    app.context_processor(_context)
