"""The cross-customer sweep: every route that takes an identifier, given another customer's, is a 404 that
shows nothing of it, and the ERP is never asked about that id. New routes are swept automatically; a route
whose id kind is unknown here fails the sweep until it is added to OTHER_CUSTOMERS_IDS."""

from __future__ import annotations

import re

import pytest

from fixtures.simulator.store import DemoStore

STRANGER = "K-1002"
# Route arguments that are not customer data: the public terms and the reset link's signed token.
# Not ERP ids: terms, reset tokens, static files; and the portal's own row number of a waiting reading, whose
# owner the outbox row names (test_reading_corrections.py tries another customer's); likewise an online payment's
# session id, whose owner the payments row names (tests/hostile/test_payments.py tries another customer's).
NOT_CUSTOMER_DATA = {"key", "token", "filename", "item_id", "session_id"}


def _stranger_ids() -> dict[str, str]:
    store = DemoStore.load()
    personal = [d for d in store.list_documents(STRANGER)["documents"] if not d["isPublic"]]
    return {
        "invoice_id": store.list_invoices(STRANGER)["invoices"][0]["invoiceId"],
        "meter_id": store.list_meters(STRANGER)["meters"][0]["meterId"],
        "contract_id": store.list_contracts(STRANGER)["contracts"][0]["contractId"],
        "document_id": personal[0]["documentId"],
        "message_id": store.list_messages(STRANGER)["messages"][0]["messageId"],
        "premise_id": store.get_customer(STRANGER)["premises"][0]["premiseId"],
    }


def _stranger_texts() -> list[str]:
    """What a page would show of the other customer's objects: numbers, serials, subjects, titles, address."""
    store = DemoStore.load()
    personal = [d for d in store.list_documents(STRANGER)["documents"] if not d["isPublic"]]
    return [
        store.list_invoices(STRANGER)["invoices"][0]["invoiceNumber"],
        store.list_meters(STRANGER)["meters"][0]["serialNumber"],
        store.list_contracts(STRANGER)["contracts"][0]["contractNumber"],
        personal[0]["title"],
        store.list_messages(STRANGER)["messages"][0]["subject"],
        store.get_customer(STRANGER)["premises"][0]["address"]["street"],
        store.get_customer(STRANGER)["fullName"],
    ]


OTHER_CUSTOMERS_IDS = _stranger_ids()
OTHER_CUSTOMERS_TEXTS = _stranger_texts()


def _routes_with_ids(app):
    for rule in app.url_map.iter_rules():
        arguments = set(rule.arguments) - NOT_CUSTOMER_DATA
        if arguments and rule.arguments.isdisjoint(NOT_CUSTOMER_DATA):
            yield rule


def test_every_route_with_an_id_is_covered_by_the_sweep(app):
    unknown = {arg for rule in _routes_with_ids(app) for arg in rule.arguments} - set(OTHER_CUSTOMERS_IDS)
    assert not unknown, f"add another customer's id for {sorted(unknown)} to the sweep"


def test_another_customers_ids_give_404_everywhere_and_reach_no_erp_call(app, kowalski, billing):
    swept = []
    for rule in _routes_with_ids(app):
        url = rule.build({arg: OTHER_CUSTOMERS_IDS[arg] for arg in rule.arguments})[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            billing.calls.clear()
            response = kowalski.open(url, method=method)
            # The language switch carries the requested path back; that echo shows nothing of the object.
            page = re.sub(r'name="next" value="[^"]*"', "", response.get_data(as_text=True))
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
            assert not any(value in page for value in OTHER_CUSTOMERS_IDS.values()), f"{method} {url} shows an id"
            assert not any(text in page for text in OTHER_CUSTOMERS_TEXTS), f"{method} {url} shows their data"
            asked = [call for call in billing.calls if set(map(str, call[1])) & set(OTHER_CUSTOMERS_IDS.values())]
            assert not asked, f"{method} {url} asked the ERP about another customer's id: {asked}"
            swept.append(f"{method} {rule.rule}")
    assert len(swept) >= len(OTHER_CUSTOMERS_IDS), f"too few routes swept: {swept}"


@pytest.mark.parametrize("kind", sorted(OTHER_CUSTOMERS_IDS))
def test_the_stranger_ids_really_belong_to_another_customer(kind):
    store = DemoStore.load()
    kowalski_data = str(
        [store.list_invoices("K-1001"), store.list_meters("K-1001"), store.list_contracts("K-1001"),
         store.list_messages("K-1001"), store.get_customer("K-1001")]
    )
    assert OTHER_CUSTOMERS_IDS[kind] not in kowalski_data
