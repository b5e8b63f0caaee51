"""The hostile suite's fixtures: the portal with its real ERP chain (adapter, breakers, cache) over a hostile
ERP, signed in as kowalski (K-1001); the portal over the in-process fake for the attacks from people."""

from __future__ import annotations

import logging
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable, Iterator

import pytest
import responses
from flask import Flask
from flask.testing import FlaskClient

from fixtures.simulator.auth import DEMO
from fixtures.simulator.server import running_simulator
from fixtures.simulator.store import DemoStore
from gateway.accounts import throttle
from gateway.accounts.passwords import passwords
from gateway.accounts.terms import accept_terms, current_terms
from gateway.app import create_app
from gateway.cli.db import upgrade_database
from gateway.clock import utcnow
from gateway.db.database import db, engine_of
from gateway.db.models import Account
from gateway.web.logs import CorrelationFilter
from tests.hostile.checks import Logs
from tests.hostile.erp import HostilePlan, erp_behind_responses, erp_url, simulator
from tests.infra.databases import Databases
from tests.modules.conftest import kowalski, nowak, sign_in_as
from tests.portal_fixtures import PASSWORD, sign_in

# kowalski (K-1001) and nowak (K-1002), signed in over the in-process fake, as in the module tests.
__all__ = ["kowalski", "nowak", "sign_in_as"]

# Short limits, so the slow cases stay quick: each is far below the defaults, and each is asserted against.
ERP_LIMITS = {"ERP_CONNECT_TIMEOUT": 0.5, "ERP_TIMEOUT": 0.5, "ERP_DEADLINE": 1.0, "PAGE_DEADLINE": 4.0}


@dataclass
class Portal:
    """The portal over a hostile ERP: its plan, the app, kowalski's client, and the ERP's requests."""

    protocol: str
    plan: HostilePlan
    app: Flask
    client: FlaskClient
    mock: responses.RequestsMock | None = None

    def erp_requests(self) -> int:
        assert self.mock is not None, "only the ERP behind `responses` counts its requests"
        return len(self.mock.calls)


def add_account(app: Flask, login: str = "kowalski", customer_id: str = "K-1001") -> None:
    with app.app_context():
        account = Account(login=login, customer_id=customer_id, email=f"{login}@example.com", locked=False,
                          session_version=1, password_hash=passwords().hash(PASSWORD), password_is_one_time=False,
                          password_set_at=utcnow())
        accept_terms(account, list(current_terms().values()), "127.0.0.1")
        db().add(account)
        db().commit()


def signed_in_client(app: Flask, login: str = "kowalski", customer_id: str = "K-1001") -> FlaskClient:
    add_account(app, login, customer_id)
    client = app.test_client()
    assert sign_in(client, login=login).status_code == 302
    return client


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Logs:
    """Every record of the test, stamped with the correlation id of the request that wrote it."""
    caplog.handler.addFilter(CorrelationFilter())
    caplog.set_level(logging.INFO)
    return Logs(caplog)


def build_portal(stack: ExitStack, config: dict[str, Any], protocol: str, store: DemoStore | None = None,
                 socket: bool = False, url: str | None = None, plan: HostilePlan | None = None,
                 **overrides: Any) -> Portal:
    """The app built by create_app WITHOUT a billing argument, so build_billing puts the real adapter behind
    breakers and the cache; the ERP is the simulator behind `responses`, on a socket, or at `url` (with its
    `plan`, when the caller runs it)."""
    plan = plan or HostilePlan()
    mock = None
    if url is None and socket:
        url = erp_url(protocol, stack.enter_context(running_simulator(store or DemoStore.load(), plan)))
    elif url is None:
        mock = stack.enter_context(erp_behind_responses(simulator(store, plan)))
        url = erp_url(protocol)
    settings = {**config, **ERP_LIMITS, **DEMO.portal_config(), "ERP_ADAPTER": protocol, "ERP_URL": url, **overrides}
    app = create_app(settings)
    upgrade_database(app)
    return Portal(protocol, plan, app, signed_in_client(app), mock)


@pytest.fixture
def portal(config: dict[str, Any], mailbox: Any) -> Iterator[Callable[..., Portal]]:
    """portal("soap" | "rest", store=None, socket=False, url=None, plan=None, **config): a fresh portal
    (fresh breakers and cache) for one test."""
    with ExitStack() as stack:
        yield lambda protocol, **options: build_portal(stack, config, protocol, **options)


@pytest.fixture(scope="module")
def module_portal(databases: Databases, smtp_server: Any) -> Iterator[Callable[..., Portal]]:
    """As `portal`, shared by a module's tests that only read (one app per protocol, its cache warm)."""
    config = {"PROFILE": "testing", "MAIL_PORT": smtp_server.port}
    built: list[Portal] = []
    with ExitStack() as stack:

        def build(protocol: str, **options: Any) -> Portal:
            built.append(build_portal(stack, {**config, "DATABASE_URL": databases.new()}, protocol, **options))
            return built[-1]

        yield build
    for portal in built:
        engine_of(portal.app).dispose()


@pytest.fixture
def later(monkeypatch):
    """Moves the throttle's clock forward, cumulatively."""
    offset = timedelta()

    def advance(seconds: float) -> None:
        nonlocal offset
        offset += timedelta(seconds=seconds)

    monkeypatch.setattr(throttle, "utcnow", lambda: utcnow() + offset)
    return advance
