"""Builds the configured ERP adapter once per app and hands it to views through one accessor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

from flask import Flask, current_app

from adapters.core.port import BillingPort, check_not_offered, check_offered
from adapters.core.registry import resolve_adapter
from adapters.core.settings import ErpOptions, ErpSettings, SettingsError
from adapters.resilience.breakers import BreakerBilling
from adapters.resilience.cached import CachedBilling
from adapters.resilience.deadline import DeadlineBilling
from adapters.resilience.fallback import FallbackStore
from adapters.resilience.narrowed import NarrowedBilling
from adapters.resilience.stores import CacheStore, MemoryStore

EXTENSION_KEY = "billing"
# The adapter name that builds the demo dataset in-process; production refuses it (config_check.py).
DEMO_ADAPTER = "fake"
REPLAY_URL = "http://erp-replay.invalid/erp"


def erp_settings(config: Mapping[str, Any], adapter: type | None = None) -> ErpSettings:
    """Translate the portal's ERP_* keys into the adapter's plain settings; the adapter class names the
    options it keeps secret (`secret_options`), besides those whose names say so."""
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
        auth=str(config.get("ERP_AUTH") or "basic"),
        username=config.get("ERP_USERNAME"),
        password=config.get("ERP_PASSWORD"),
        token=config.get("ERP_TOKEN"),
        api_key_header=str(config.get("ERP_API_KEY_HEADER") or "X-API-Key"),
        api_key=config.get("ERP_API_KEY"),
        wsse_username=config.get("ERP_WSSE_USERNAME"),
        wsse_password=config.get("ERP_WSSE_PASSWORD"),
        pool_size=int(config["ERP_POOL_SIZE"]),
        options=ErpOptions(erp_options(config), secret=getattr(adapter, "secret_options", ())),
    )


def erp_options(config: Mapping[str, Any]) -> Mapping[str, Any]:
    """ERP_OPTIONS from the config file, or IBOK_ERP_OPTIONS as a JSON object; the error never quotes the value,
    which may hold credentials."""
    raw = config.get("ERP_OPTIONS") or {}
    if isinstance(raw, str):  # an IBOK_ variable that did not parse as JSON is kept as text
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as error:
            raise SettingsError(f"IBOK_ERP_OPTIONS is not valid JSON (line {error.lineno}, column {error.colno})"
                                ) from None
    if not isinstance(raw, Mapping):
        raise SettingsError("ERP_OPTIONS (or IBOK_ERP_OPTIONS) must be a mapping of names to values (a JSON object)")
    return raw


def build_adapter(config: Mapping[str, Any]) -> BillingPort:
    """The fake runs the demo dataset in-process; every other name is resolved by the adapter registry."""
    name = str(config["ERP_ADAPTER"])
    if name == DEMO_ADAPTER:  # the demo's and the test tooling's modules are imported only where they are used
        from adapters.testing.fake import FakeBilling
        from fixtures.simulator.store import DemoStore

        return FakeBilling(DemoStore.load())
    adapter = resolve_adapter(name)
    # Every adapter is built as Class(settings, *, http=None) (docs/adapters.md), and each port operation gets
    # one deadline for all its exchanges, even in a plugin's hand-written methods.
    built = adapter(erp_settings(config, adapter))  # type: ignore[call-arg]
    return DeadlineBilling(built, float(config["ERP_DEADLINE"]))


def offered_adapter(config: Mapping[str, Any]) -> BillingPort:
    """The adapter, narrowed by IT's ERP_NOT_OFFERED; refused when it leaves out a required operation."""
    adapter = build_adapter(config)
    check_offered(adapter.offered_operations, f"the adapter {config['ERP_ADAPTER']!r}")
    return narrowed(adapter, config)


def not_offered_setting(config: Mapping[str, Any]) -> frozenset[str]:
    """ERP_NOT_OFFERED as a set (a list, or names separated by commas in one IBOK_ variable), checked."""
    value = config.get("ERP_NOT_OFFERED") or ()
    names = [name.strip() for name in value.split(",")] if isinstance(value, str) else list(value)
    return check_not_offered([name for name in names if name], "ERP_NOT_OFFERED")


def build_billing(config: Mapping[str, Any]) -> BillingPort:
    """The configured adapter behind circuit breakers, and those behind the cache (unless CACHE_ENABLED is
    off), so an open breaker is answered from the last good answers."""
    guarded = BreakerBilling(
        offered_adapter(config),
        fail_max=int(config["BREAKER_FAIL_MAX"]),
        reset_timeout=float(config["BREAKER_RESET_SECONDS"]),
    )
    if not config.get("CACHE_ENABLED", True):
        return guarded
    return CachedBilling(guarded, store=build_store(config))


def build_store(config: Mapping[str, Any]) -> CacheStore:
    """This process's own cache; with CACHE_URL, Redis shared by every process, and the own cache while
    Redis does not answer."""
    local = MemoryStore(config.get("CACHE_TTL_SECONDS"), config.get("CACHE_MAX_ENTRIES"),
                        float(config["CACHE_STALE_SECONDS"]))
    if not config.get("CACHE_URL"):
        return local
    # Imported only where Redis is used: redis-py takes about 7 MB in every process that imports it.
    from adapters.resilience.redis_store import RedisStore, connect

    shared = RedisStore(
        connect(str(config["CACHE_URL"]), float(config["CACHE_TIMEOUT_SECONDS"])),
        ttl=config.get("CACHE_TTL_SECONDS"),
        stale_ttl=float(config["CACHE_STALE_SECONDS"]),
        lock_seconds=float(config["CACHE_LOCK_SECONDS"]),
        prefix=str(config["CACHE_KEY_PREFIX"]),
    )
    return FallbackStore(shared, local, retry_seconds=float(config["CACHE_RETRY_SECONDS"]))


def _layer(kind: type) -> Any:
    """The decorator of this kind in the app's port, or None (tests' doubles have none)."""
    port: Any = current_app.extensions[EXTENSION_KEY]
    while port is not None and not isinstance(port, kind):
        port = getattr(port, "inner", None)
    return port


def breaker_states() -> dict[str, str]:
    """Each breaker group's state, for /readyz; empty when the port has no breakers (tests' doubles)."""
    breakers = _layer(BreakerBilling)
    return {} if breakers is None else breakers.states()


def cache_state() -> str:
    """Where ERP answers are kept, for /readyz: "in-process", "redis" or "redis unavailable"; "none" uncached."""
    cached = _layer(CachedBilling)
    return "none" if cached is None else cached.store.state()


def init_billing(app: Flask, billing: BillingPort | None = None) -> None:
    """Use the port given (tests), else build the configured one, answering from recordings if asked."""
    if billing is None and app.config.get("ERP_REPLAY_DIR"):
        start_replay(app)
    app.extensions[EXTENSION_KEY] = build_billing(app.config) if billing is None else narrowed(billing, app.config)


def narrowed(port: BillingPort, config: Mapping[str, Any]) -> BillingPort:
    """A port given whole (tests, benchmarks) is checked and narrowed like a built one."""
    check_offered(port.offered_operations, type(port).__name__)
    not_offered = not_offered_setting(config)
    return NarrowedBilling(port, not_offered) if not_offered else port


def start_replay(app: Flask) -> None:
    """Answer every ERP request from recorded files for the rest of the process: no ERP needed."""
    from adapters.testing.replay import replaying  # `responses` is for replay only: no worker of a real ERP loads it

    app.config["ERP_URL"] = app.config.get("ERP_URL") or REPLAY_URL
    mock = replaying(Path(app.config["ERP_REPLAY_DIR"]), app.config["ERP_URL"])
    mock.start()
    app.extensions["erp_replay"] = mock


def billing() -> BillingPort:
    """The one way a view reaches the ERP."""
    return current_app.extensions[EXTENSION_KEY]
