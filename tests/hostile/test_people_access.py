"""A signed-in customer reaching for another's data: the cross-customer sweep of tests/modules extended to
query strings and form fields, extra fields that try to set a customer id, and another customer's
idempotency key. Whatever is sent, the ERP is never asked about K-1002 or any of its objects, no write
is kept or delivered for anyone but the signed-in customer, and no page shows K-1002's data."""

from __future__ import annotations

import logging
import uuid

import pytest
from sqlalchemy import select

from gateway.db.database import db
from gateway.outbox.model import OutboxItem
from tests.hostile.checks import assert_safe, timed
from tests.modules.test_cross_customer import (
    NOT_CUSTOMER_DATA,
    OTHER_CUSTOMERS_IDS,
    OTHER_CUSTOMERS_TEXTS,
    STRANGER,
    _routes_with_ids,
)
from tests.portal_fixtures import portal_day, sign_in

OWNER = "K-1001"
OWN_IDS = {"invoice_id": "INV-202611-00117", "meter_id": "W-1001-2", "contract_id": "U-1001-1",
           "document_id": "DOC-1001-1", "message_id": "MSG-1001-3", "premise_id": "P-1001-1",
           "key": "regulamin-ibok", "token": "not-a-token", "filename": "css/portal.css", "item_id": "1",
           "session_id": "0" * 32}
# Every name a query string or a form could carry an id under, each with K-1002's.
STRANGERS_FIELDS = {
    "customer": STRANGER, "customer_id": STRANGER, "customerId": STRANGER, "account_id": "2", "account": "2",
    "premise": OTHER_CUSTOMERS_IDS["premise_id"], "invoice": OTHER_CUSTOMERS_IDS["invoice_id"],
    "meter": OTHER_CUSTOMERS_IDS["meter_id"], "contract": OTHER_CUSTOMERS_IDS["contract_id"],
    "document": OTHER_CUSTOMERS_IDS["document_id"], "message": OTHER_CUSTOMERS_IDS["message_id"],
    **OTHER_CUSTOMERS_IDS, "serial": "SW22-0063321", "login": "nowak",
}
STRANGERS_VALUES = {STRANGER, "SW22-0063321", *OTHER_CUSTOMERS_IDS.values()}


def asked_about_stranger(billing) -> list:
    return [call for call in billing.calls if set(map(str, call[1])) & STRANGERS_VALUES]


def page_without_echo(page: str) -> str:
    """What the page shows of its own: the values sent may come back in form fields and links."""
    for value in STRANGERS_VALUES:
        page = page.replace(value, "")
    return page


def kept_writes(app) -> list[OutboxItem]:
    with app.app_context():
        return list(db().scalars(select(OutboxItem)))


def assert_nothing_for_the_stranger(app, billing, deliver) -> None:
    """Neither asked nor written, also once the outbox has delivered what it holds."""
    deliver()
    assert not asked_about_stranger(billing)
    for item in kept_writes(app):
        assert item.customer_id == OWNER
        assert not any(value in item.payload for value in STRANGERS_VALUES), item.payload
    writes = [call for call in billing.calls if call[0] in ("submit_reading", "send_message", "set_einvoice_consent")]
    assert all(call[1][0] == OWNER for call in writes)


def routes(app, method: str):
    for rule in app.url_map.iter_rules():
        if method in rule.methods and rule.endpoint != "static":
            yield rule, rule.build({arg: OWN_IDS[arg] for arg in rule.arguments})[1]


def test_own_ids_cover_every_route_argument(app):
    arguments = {arg for rule in app.url_map.iter_rules() for arg in rule.arguments}
    assert arguments <= set(OWN_IDS) | NOT_CUSTOMER_DATA


def test_another_customers_ids_in_the_path_of_every_route(app, kowalski, billing, logs):
    """The module suite's sweep (tests/modules/test_cross_customer.py), held to this suite's checks too."""
    for rule in _routes_with_ids(app):
        url = rule.build({arg: OTHER_CUSTOMERS_IDS[arg] for arg in rule.arguments})[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            result = timed(kowalski.open, url, method=method)
            assert_safe(result, logs, statuses=(404,), log_level=logging.WARNING)
            assert not [text for text in OTHER_CUSTOMERS_TEXTS if text in page_without_echo(result.page)], url
    assert not asked_about_stranger(billing)


def test_another_customers_ids_in_the_query_of_every_page(app, kowalski, billing, deliver, logs):
    swept = []
    for rule, url in routes(app, "GET"):
        billing.calls.clear()
        result = timed(kowalski.get, url, query_string=STRANGERS_FIELDS)
        assert_safe(result, logs, statuses=(200, 302, 400, 404))
        page = page_without_echo(result.page)
        assert not [text for text in OTHER_CUSTOMERS_TEXTS if text in page], f"GET {url} shows K-1002's data"
        assert not asked_about_stranger(billing), f"GET {url} asked the ERP about K-1002"
        swept.append(rule.rule)
    assert len(swept) > 20
    assert_nothing_for_the_stranger(app, billing, deliver)


def form_for_everything(app) -> dict[str, str]:
    """One body that fills every form of the portal, every id field with K-1002's."""
    yesterday = portal_day(app, -1)
    return {**STRANGERS_FIELDS, "reading_date": yesterday, "value": "220,5", "idempotency_key": str(uuid.uuid4()),
            "kind": "complaint", "subject": "Temat", "body": "Treść", "enable": "1", "language": "pl",
            "next": "/", "login_or_email": "nowak", "current_password": "wrong", "password": "wrong"}


def test_another_customers_ids_in_every_form(app, make_account, billing, deliver, logs):
    make_account()
    for _rule, url in routes(app, "POST"):
        client = app.test_client()
        assert sign_in(client).status_code == 302
        billing.calls.clear()
        result = timed(client.post, url, data=form_for_everything(app))
        assert_safe(result, logs, statuses=(200, 302, 400, 404, 422))
        assert not [text for text in OTHER_CUSTOMERS_TEXTS if text in page_without_echo(result.page)], url
        assert not asked_about_stranger(billing), f"POST {url} asked the ERP about K-1002"
    assert_nothing_for_the_stranger(app, billing, deliver)


@pytest.mark.parametrize("field", ["premise", "invoice"])
def test_a_message_link_to_another_customers_object_is_404(kowalski, billing, logs, field):
    result = timed(kowalski.get, "/messages/new", query_string={field: STRANGERS_FIELDS[field]})
    assert_safe(result, logs, statuses=(404,), log_level=logging.WARNING)
    assert not asked_about_stranger(billing)


@pytest.mark.parametrize("field", ["premise_id", "invoice_id"])
def test_a_message_tied_to_another_customers_object_is_refused(app, kowalski, billing, deliver, logs, field):
    data = {"kind": "complaint", "subject": "Temat", "body": "Treść", "idempotency_key": str(uuid.uuid4()),
            field: STRANGERS_FIELDS[field]}
    result = timed(kowalski.post, "/messages/new", data=data)
    assert_safe(result, logs, statuses=(400,), log_level=logging.WARNING)
    assert not kept_writes(app)
    assert_nothing_for_the_stranger(app, billing, deliver)


EXTRA = {"customer_id": STRANGER, "customerId": STRANGER, "customer": STRANGER, "account_id": "2",
         "CustomerId": STRANGER, "customer_id[]": STRANGER}


def test_a_reading_with_a_customer_id_added_goes_to_the_signed_in_customer(app, kowalski, billing, deliver, logs):
    data = {"reading_date": portal_day(app, -1), "value": "220,5", "idempotency_key": str(uuid.uuid4()), **EXTRA}
    result = timed(kowalski.post, "/readings/W-1001-2", data=data)
    assert_safe(result, logs, statuses=(302,))
    assert [item.customer_id for item in kept_writes(app)] == [OWNER]
    assert_nothing_for_the_stranger(app, billing, deliver)
    assert [call[1][0] for call in billing.calls if call[0] == "submit_reading"] == [OWNER]


def test_a_message_with_a_customer_id_added_goes_to_the_signed_in_customer(app, kowalski, billing, deliver, logs):
    data = {"kind": "inquiry", "subject": "Temat", "body": "Treść", "idempotency_key": str(uuid.uuid4()),
            "premise_id": "P-1001-1", **EXTRA}
    result = timed(kowalski.post, "/messages/new", data=data)
    assert_safe(result, logs, statuses=(302,))
    assert_nothing_for_the_stranger(app, billing, deliver)
    assert [call[1][0] for call in billing.calls if call[0] == "send_message"] == [OWNER]


def test_an_e_invoice_switch_with_a_customer_id_added_changes_only_the_signed_in_customer(
        app, kowalski, billing, deliver, logs):
    data = {"enable": "1", "idempotency_key": str(uuid.uuid4()), **EXTRA}
    result = timed(kowalski.post, "/settings/e-invoice", data=data)
    assert_safe(result, logs, statuses=(302,))
    assert_nothing_for_the_stranger(app, billing, deliver)
    assert [call[1][0] for call in billing.calls if call[0] == "set_einvoice_consent"] == [OWNER]


def test_another_customers_idempotency_key_neither_shows_nor_replaces_their_write(
        app, kowalski, nowak, billing, deliver, logs):
    """Keys are drawn per form; one a stranger copied (from a shared screen, a log) must not touch theirs."""
    today = portal_day(app)
    key = str(uuid.uuid4())
    theirs = nowak.post(f"/readings/{OTHER_CUSTOMERS_IDS['meter_id']}",
                        data={"reading_date": today, "value": "289,875", "idempotency_key": key})
    assert theirs.status_code == 302, theirs.get_data(as_text=True)
    before = [(item.id, item.customer_id, item.payload, item.idempotency_key) for item in kept_writes(app)]
    result = timed(kowalski.post, "/readings/W-1001-2",
                   data={"reading_date": today, "value": "220,5", "idempotency_key": key})
    assert_safe(result, logs, statuses=(302,))
    assert "289,875" not in kowalski.get("/readings/W-1001-2").get_data(as_text=True)
    items = kept_writes(app)
    assert [(i.id, i.customer_id, i.payload, i.idempotency_key) for i in items if i.customer_id == STRANGER] == before
    assert [i.idempotency_key != key for i in items if i.customer_id == OWNER] == [True]
