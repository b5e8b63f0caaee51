"""The portal with payments on over the Przelewy24 simulator, reached through `responses` (no socket); the
simulator's notifications reach the portal's own test client."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterator
from urllib.parse import urlsplit

import pytest
import responses
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select

from adapters.testing.fake import FakeBilling
from fixtures.p24.app import create_p24
from fixtures.simulator.store import DemoStore
from gateway.app import create_app
from gateway.db.database import db, engine_of
from gateway.db.models import AuditEntry
from gateway.outbox.model import OutboxItem
from gateway.payments.model import Payment
from tests.infra.databases import Databases
from tests.portal.doubles import ScriptedBilling
from tests.portal_fixtures import add_account, sign_in

P24_URL = "http://p24.test"
PAYMENT_SETTINGS = {"PAYMENTS_ENABLED": True, "P24_URL": P24_URL, "PAYMENT_PUBLIC_URL": "http://portal.test",
                    "P24_CONNECT_TIMEOUT": 0.3, "P24_TIMEOUT": 0.3, "P24_DEADLINE": 0.6}
UNPAID = "INV-202611-00116"  # K-1001's FV/00116/11/2026: unpaid, 166,01 zł, overdue since 19.11.2026
PARTLY = "INV-202611-00117"  # K-1001's FV/00117/11/2026: 17,14 zł left of 34,29 zł, overdue
PAID = "INV-202610-00140"  # K-1001's FV/00140/10/2026: paid
NOWAKS = "INV-202611-00132"  # K-1002's, unpaid


@dataclass
class Operator:
    """The simulator app, its test client (the payer's browser at the operator) and the notifications it sent."""

    app: Flask
    client: FlaskClient
    portal: FlaskClient | None = None
    answers: list[int] | None = None
    sent: list[bytes] | None = None

    def modes(self, **modes: Any) -> None:
        assert self.client.post("/_p24/modes", json=modes).status_code == 200

    def transactions(self) -> list[dict[str, Any]]:
        return self.client.get("/_p24/transactions").get_json()["transactions"]

    def choose(self, redirect_url: str, choice: str) -> str:
        """The payer's click on the operator's page; where the operator sends them back."""
        path = urlsplit(redirect_url).path
        assert self.client.get(path).status_code == 200
        reply = self.client.post(path, data={"choice": choice})
        assert reply.status_code == 303
        return reply.headers["Location"]


def _forward(client: FlaskClient) -> Any:
    def forward(request: Any) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(request.url)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
        reply = client.open(parts.path, method=request.method, data=request.body, headers=headers)
        return reply.status_code, {"Content-Type": reply.headers.get("Content-Type", "")}, reply.get_data()

    return forward


@pytest.fixture
def config(config: dict[str, Any]) -> dict[str, Any]:
    """The portal's test settings with payments on, pointed at the simulator behind `responses`."""
    return {**config, **PAYMENT_SETTINGS}


@pytest.fixture(scope="module")
def paying_app(databases: Databases, smtp_server: Any) -> Iterator[Flask]:
    """One portal per module and backend, kowalski and nowak in it: each test starts from no payments (`app`)."""
    app = create_app({"PROFILE": "testing", "DATABASE_URL": databases.new(), "MAIL_PORT": smtp_server.port,
                      **PAYMENT_SETTINGS}, billing=ScriptedBilling(FakeBilling(DemoStore.load())))
    add_account(app)
    add_account(app, login="nowak", customer_id="K-1002", email="nowak@example.com")
    yield app
    engine_of(app).dispose()


@pytest.fixture
def app(paying_app: Flask) -> Flask:
    """The module's portal without the payments and audit entries of earlier tests."""
    with paying_app.app_context():
        db().execute(delete(Payment))
        db().execute(delete(OutboxItem))
        db().execute(delete(AuditEntry))
        db().commit()
    return paying_app


@pytest.fixture(scope="module")
def signed_in(paying_app: Flask) -> dict[str, FlaskClient]:
    clients = {}
    for login in ("kowalski", "nowak"):
        clients[login] = paying_app.test_client()
        assert sign_in(clients[login], login=login).status_code == 302
    return clients


@pytest.fixture
def kowalski(app: Flask, signed_in: dict[str, FlaskClient]) -> FlaskClient:
    """K-1001, signed in once per module."""
    return signed_in["kowalski"]


@pytest.fixture
def nowak(app: Flask, signed_in: dict[str, FlaskClient]) -> FlaskClient:
    """K-1002: the other customer."""
    return signed_in["nowak"]


@pytest.fixture
def operator(app: Flask) -> Iterator[Operator]:
    """The Przelewy24 simulator answering the portal's requests; its notifications posted to the portal."""
    made = Operator(create_p24(notifier=lambda url, body: notify(url, body)), None)  # type: ignore[arg-type]
    made.client, made.portal, made.answers, made.sent = made.app.test_client(), app.test_client(), [], []

    def notify(url: str, body: bytes) -> None:
        assert made.portal is not None and made.answers is not None and made.sent is not None
        made.sent.append(body)
        reply = made.portal.post(urlsplit(url).path, data=body, content_type="application/json")
        made.answers.append(reply.status_code)

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for method in (responses.POST, responses.PUT, responses.GET):
            mock.add_callback(method, re.compile(re.escape(P24_URL) + "/.*"), callback=_forward(made.client))
        yield made


def payments(app: Flask) -> list[Payment]:
    with app.app_context():
        return list(db().scalars(select(Payment).order_by(Payment.id)))


def audit_actions(app: Flask) -> list[tuple[str, dict[str, Any]]]:
    with app.app_context():
        entries = db().scalars(select(AuditEntry).where(AuditEntry.action.like("payment.%")).order_by(AuditEntry.id))
        return [(entry.action, json.loads(entry.detail)) for entry in entries]


def start_payment(client: FlaskClient, *invoice_ids: str, overdue: bool = False) -> Any:
    """Open the confirmation page and submit it as the customer would; the portal's answer to the submit."""
    query = "overdue=1" if overdue else "&".join(f"invoice={i}" for i in invoice_ids)
    page = client.get(f"/payments/confirm?{query}").get_data(as_text=True)
    return client.post("/payments/start", data=confirm_form(page))


def confirm_form(page: str) -> dict[str, Any]:
    """The hidden fields of the confirmation page's form, as the browser sends them."""
    fields = re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
    data: dict[str, Any] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data
