"""Builds the configured ERP adapter once per app and hands it to views through one accessor."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from flask import Flask, current_app

from adapters.core.port import BillingPort
from adapters.core.registry import resolve_adapter
from adapters.core.settings import ErpSettings
from adapters.resilience.breakers import BreakerBilling
from adapters.resilience.cached import CachedBilling
from adapters.testing.fake import FakeBilling
from adapters.testing.replay import replaying

EXTENSION_KEY = "billing"
# The adapter name that builds the demo dataset in-process; production refuses it (config_check.py).
DEMO_ADAPTER = "fake"
REPLAY_URL = "http://erp-replay.invalid/erp"


def erp_settings(config: Mapping[str, Any]) -> ErpSettings:
    """Translate the portal's ERP_* keys into the adapter's plain settings."""
    return ErpSettings(
        url=config.get("ERP_URL") or "",
        connect_timeout=float(config["ERP_CONNECT_TIMEOUT"]),
        read_timeout=float(config["ERP_TIMEOUT"]),
        deadline=float(config["ERP_DEADLINE"]),
        max_response_bytes=int(config["ERP_MAX_RESPONSE_BYTES"]),
        verify_tls=bool(config["ERP_VERIFY_TLS"]),
        ca_bundle=config.get("ERP_CA_BUNDLE"),
        client_cert=config.get("ERP_CLIENT_CERT"),
        client_key=config.get("ERP_CLIENT_KEY"),
        username=config.get("ERP_USERNAME"),
        password=config.get("ERP_PASSWORD"),
        wsse_username=config.get("ERP_WSSE_USERNAME"),
        wsse_password=config.get("ERP_WSSE_PASSWORD"),
        pool_size=int(config["ERP_POOL_SIZE"]),
    )


def build_adapter(config: Mapping[str, Any]) -> BillingPort:
    """The fake runs the demo dataset in-process; every other name is resolved by the adapter registry."""
    name = str(config["ERP_ADAPTER"])
    if name == DEMO_ADAPTER:
        from fixtures.simulator.store import DemoStore

        return FakeBilling(DemoStore.load())
    return resolve_adapter(name)(erp_settings(config))  # type: ignore[call-arg]


def build_billing(config: Mapping[str, Any]) -> BillingPort:
    """The configured adapter behind circuit breakers, and those behind the cache (unless CACHE_ENABLED is
    off), so an open breaker is answered from the last good answers."""
    guarded = BreakerBilling(
        build_adapter(config),
        fail_max=int(config["BREAKER_FAIL_MAX"]),
        reset_timeout=float(config["BREAKER_RESET_SECONDS"]),
    )
    if not config.get("CACHE_ENABLED", True):
        return guarded
    return CachedBilling(
        guarded,
        ttl=config.get("CACHE_TTL_SECONDS"),
        max_entries=config.get("CACHE_MAX_ENTRIES"),
        stale_ttl=float(config["CACHE_STALE_SECONDS"]),
    )


def breaker_states() -> dict[str, str]:
    """Each breaker group's state, for /readyz; empty when the port has no breakers (tests' doubles)."""
    port: Any = current_app.extensions[EXTENSION_KEY]
    while port is not None:
        if isinstance(port, BreakerBilling):
            return port.states()
        port = getattr(port, "inner", None)
    return {}


def init_billing(app: Flask, billing: BillingPort | None = None) -> None:
    """Use the port given (tests), else build the configured one, answering from recordings if asked."""
    if billing is None and app.config.get("ERP_REPLAY_DIR"):
        start_replay(app)
    app.extensions[EXTENSION_KEY] = billing or build_billing(app.config)


def start_replay(app: Flask) -> None:
    """Answer every ERP request from recorded files for the rest of the process: no ERP needed."""
    app.config["ERP_URL"] = app.config.get("ERP_URL") or REPLAY_URL
    mock = replaying(Path(app.config["ERP_REPLAY_DIR"]), app.config["ERP_URL"])
    mock.start()
    app.extensions["erp_replay"] = mock


def billing() -> BillingPort:
    """The one way a view reaches the ERP."""
    return current_app.extensions[EXTENSION_KEY]
