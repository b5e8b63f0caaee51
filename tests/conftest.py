"""Fixtures shared by the whole suite, and the guard that keeps every test off the network."""

from __future__ import annotations

import ipaddress
import os
import socket
import threading
from typing import Any, Iterator

import pytest

from gateway.outbox.runner import stop_in_process_delivery
from gateway.web.templating import Portal
from tests.infra.databases import (
    DATABASES,
    HEAD_TEMPLATE,
    Databases,
    SchemaTemplates,
    connections_closed_at_the_end,
)
from tests.infra.postgres import drop_database, start_postgres
from tests.infra.templates import SessionBytecodeCache

# Read before any test runs: the suite hides every IBOK_ variable from the portal under test.
EXTERNAL_POSTGRES = os.environ.get("IBOK_TEST_POSTGRES_URL", "")

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


class NetworkForbidden(RuntimeError):
    """A test tried to leave loopback."""


def _is_loopback(host: Any) -> bool:
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _check(sock: socket.socket, address: Any) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
        raise NetworkForbidden(f"tests may not connect to {address[0]!r}")


def _guarded_connect(self: socket.socket, address: Any) -> None:
    _check(self, address)
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    _check(self, address)
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if isinstance(host, bytes):
        host = host.decode()
    if not _is_loopback(host):
        raise NetworkForbidden(f"tests may not resolve {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def forbid_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only loopback: the simulator, the SMTP server and the portal under test all live there."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)


@pytest.fixture(scope="session", autouse=True)
def templates_compiled_once() -> Iterator[None]:
    """Every app the suite builds shares one bytecode cache: a page's template is compiled once per language and
    session, not once per test (Jinja's documented `bytecode_cache` option, given through Flask's jinja_options)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Portal, "jinja_options", {**Portal.jinja_options, "bytecode_cache": SessionBytecodeCache()})
        yield


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """One PostgreSQL server for the session (its `postgres` database's URL): IBOK_TEST_POSTGRES_URL's when set
    (a superuser's, to create and drop databases), else a PostgreSQL 15 started from Debian's packages."""
    if EXTERNAL_POSTGRES:
        yield EXTERNAL_POSTGRES
        drop_database(EXTERNAL_POSTGRES, HEAD_TEMPLATE)
        return
    url, stop = start_postgres()
    try:
        yield url
    finally:
        stop()


def pytest_configure(config: pytest.Config) -> None:
    """A misspelt backend would otherwise run SQLite under another name."""
    unknown = set(DATABASES) - {"sqlite", "postgresql"}
    if unknown:
        raise pytest.UsageError(f"IBOK_TEST_DATABASES: unknown {sorted(unknown)}; use sqlite and/or postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test on the portal's database runs on each backend; one marked sqlite_only on SQLite alone. Grouped by
    module, so a module's shared portals are built once per backend."""
    if "database_backend" not in metafunc.fixturenames:
        return
    sqlite_only = metafunc.definition.get_closest_marker("sqlite_only") is not None
    backends = [name for name in DATABASES if name == "sqlite" or not sqlite_only]
    metafunc.parametrize("database_backend", backends, scope="module")


@pytest.fixture(scope="module")
def database_backend() -> str:
    """"sqlite" or "postgresql": set for every test by pytest_generate_tests."""
    raise AssertionError("pytest_generate_tests parametrises database_backend")


@pytest.fixture(scope="session")
def schema_templates(tmp_path_factory: pytest.TempPathFactory) -> SchemaTemplates:
    return SchemaTemplates(tmp_path_factory.mktemp("templates"))


@pytest.fixture(scope="module")
def databases(database_backend: str, tmp_path_factory: pytest.TempPathFactory, schema_templates: SchemaTemplates,
              request: pytest.FixtureRequest) -> Iterator[Databases]:
    server = request.getfixturevalue("postgres_server") if database_backend == "postgresql" else None
    made = Databases(tmp_path_factory, server, schema_templates)
    yield made
    made.drop_all()


@pytest.fixture
def database_url(databases: Databases, request: pytest.FixtureRequest) -> Iterator[str]:
    """A database for one test, on each backend in turn, its schema at head and no rows (the module's, emptied, on
    PostgreSQL); a new one without the schema for a test marked empty_database, dropped after the test."""
    empty = request.node.get_closest_marker("empty_database") is not None
    url = databases.new(at_head=False) if empty else databases.for_a_test()
    with connections_closed_at_the_end(url):
        yield url
        stop_in_process_delivery()
    if empty:
        databases.drop(url)


@pytest.fixture(autouse=True)
def no_outbox_thread_outlives_its_test() -> Iterator[None]:
    """A demo app's deliverer thread left running would write into the next test's database (a module's tests
    share one) and fail loudly once the server is gone."""
    yield
    stop_in_process_delivery()
    left = [thread for thread in threading.enumerate() if thread.name == "outbox"]
    assert not left, f"outbox threads still running after the test: {left}"


pytest_plugins = ["tests.portal_fixtures"]


@pytest.fixture(scope="session")
def sap_umc_url() -> Iterator[str]:
    """One SAP UMC simulator (fixtures/sap_umc) on loopback for the whole run: its OData service root. Tests
    that write reset it (POST /_umc/reset)."""
    umc = pytest.importorskip("fixtures.sap_umc.app", reason="the SAP UMC simulator is not in this tree")
    from fixtures.sap_umc.model import ROOT_PATH
    from fixtures.simulator.server import running_app

    with running_app(umc.create_umc()) as base_url:
        yield base_url + ROOT_PATH
