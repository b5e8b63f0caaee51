"""When a page shows answers the cache kept for over a minute, it says when they were read."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from flask import Flask, current_app, g

from adapters.cached import tracking_reads

STALE_AFTER = timedelta(seconds=60)


def _start_tracking() -> None:
    g.erp_reads_block = tracking_reads()
    g.erp_reads = g.erp_reads_block.__enter__()


def _stop_tracking(_error: BaseException | None = None) -> None:
    block = g.pop("erp_reads_block", None)
    if block is not None:
        block.__exit__(None, None, None)


def data_read_at() -> datetime | None:
    """The oldest read behind this page, when it is older than a minute; else None (fresh enough)."""
    reads = g.get("erp_reads") or []
    if not reads:
        return None
    oldest = min(reads)
    limit = float(current_app.config.get("DATA_AGE_NOTICE_SECONDS", STALE_AFTER.total_seconds()))
    return oldest if datetime.now(timezone.utc) - oldest > timedelta(seconds=limit) else None


def _context() -> dict[str, Any]:
    return {"data_read_at": data_read_at}


def init_freshness(app: Flask) -> None:
    app.before_request(_start_tracking)
    app.teardown_request(_stop_tracking)
    app.context_processor(_context)
