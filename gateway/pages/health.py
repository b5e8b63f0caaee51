"""/healthz (the process answers) and /readyz (the database answers; how the ERP breakers and the cache stand).

Both are for the utility's monitoring: plain JSON, no secrets, no host names, never cached.
"""

from __future__ import annotations

from typing import Mapping

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from gateway.db.database import engine_of
from gateway.erp.billing import breaker_states, cache_state

bp = Blueprint("health", __name__)


def _json(payload: Mapping[str, object], status: int) -> Response:
    response = jsonify(payload)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz() -> Response:
    return _json({"status": "ok"}, 200)


@bp.get("/readyz")
def readyz() -> Response:
    """Not ready without the database; an open ERP breaker or an unavailable Redis is reported, but the
    portal still serves (what it kept; its own cache), so it stays ready."""
    try:
        with engine_of(current_app).connect() as connection:
            connection.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        current_app.logger.error("readiness: the database does not answer")
        database = "unavailable"
    ready = database == "ok"
    payload = {"status": "ready" if ready else "not ready", "database": database, "erp_breakers": breaker_states(),
               "cache": cache_state()}
    return _json(payload, 200 if ready else 503)
