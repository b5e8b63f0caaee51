"""Capabilities: an adapter says what its ERP offers; "not offered" is its own answer, passed on by every
decorator and never retried, cached as a failure or counted by a breaker."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.core.errors import ErpNotOffered, ErpUnavailable
from adapters.core.operations import OPERATIONS, REQUIRED
from adapters.core.port import BillingPort, MissingOperations, check_not_offered, check_offered
from adapters.resilience.breakers import BreakerBilling
from adapters.resilience.cached import CachedBilling
from adapters.resilience.narrowed import NarrowedBilling
from adapters.rest.billing import RestBilling
from adapters.soap.billing import SoapBilling
from adapters.testing.fake import FakeBilling
from fixtures.simulator.store import DemoStore

CUSTOMER = "K-1001"


class RequiredOnly(FakeBilling):
    """An ERP with no meters, readings, scans, PDFs, documents or messages, as stock ERPs often are."""

    offered_operations = REQUIRED

    def __init__(self) -> None:
        super().__init__(DemoStore.load())
        self.asked: list[str] = []

    def perform(self, operation: str, customer_id: str, *args: Any) -> Any:
        self.asked.append(operation)
        return super().perform(operation, customer_id, *args)


class Forgetful(BillingPort):
    """A hand-written adapter that claims everything but answers only the customer: the port's own
    `perform` says "not offered" for the rest."""

    def __init__(self) -> None:
        self.asked = 0

    def list_meters(self, customer_id: str, serial_contains: str | None = None) -> Any:
        self.asked += 1
        return super().list_meters(customer_id, serial_contains)


def test_the_reference_adapters_and_the_fake_offer_every_operation():
    for adapter in (RestBilling, SoapBilling, FakeBilling):
        assert adapter.offered_operations is BillingPort.offered_operations, adapter.__name__
    fake = FakeBilling(DemoStore.load())
    assert fake.offered_operations == frozenset(OPERATIONS)
    assert len(fake.offered_operations) == 17 and fake.offers("get_contract_scan") and fake.offers("get_invoice_xml")


def test_an_operation_the_adapter_does_not_implement_is_not_offered_rather_than_missing_or_down():
    with pytest.raises(ErpNotOffered, match="Forgetful does not offer get_invoice_pdf") as raised:
        Forgetful().get_invoice_pdf(CUSTOMER, "INV-1")
    assert not isinstance(raised.value, ErpUnavailable)


def test_required_operations_cannot_be_left_out():
    with pytest.raises(MissingOperations, match="my ERP leaves out required operations: list_invoices, get_invoice"):
        check_offered(REQUIRED - {"list_invoices", "get_invoice"}, "my ERP")
    with pytest.raises(MissingOperations, match="my ERP names unknown operations: list_bills"):
        check_offered(REQUIRED | {"list_bills"}, "my ERP")
    assert check_offered(REQUIRED, "my ERP") == REQUIRED
    assert REQUIRED == {"get_customer", "list_contracts", "list_invoices", "get_invoice", "get_settlements"}


def test_what_it_does_not_want_may_not_be_required_or_unknown():
    with pytest.raises(MissingOperations, match="ERP_NOT_OFFERED leaves out required operations: get_settlements"):
        check_not_offered(["get_contract_scan", "get_settlements"], "ERP_NOT_OFFERED")
    with pytest.raises(MissingOperations, match="ERP_NOT_OFFERED names unknown operations: get_scan"):
        check_not_offered(["get_scan"], "ERP_NOT_OFFERED")
    assert check_not_offered(["get_contract_scan"], "ERP_NOT_OFFERED") == {"get_contract_scan"}


def test_cache_and_breakers_pass_the_capabilities_on_and_answer_not_offered_without_a_call():
    adapter = RequiredOnly()
    breakers = BreakerBilling(adapter, fail_max=2)
    port = CachedBilling(breakers)
    assert port.offered_operations == breakers.offered_operations == REQUIRED
    for _ in range(5):
        with pytest.raises(ErpNotOffered):
            port.list_meters(CUSTOMER)
    with pytest.raises(ErpNotOffered):
        port.send_message(CUSTOMER, None)  # type: ignore[arg-type]
    assert adapter.asked == []
    assert set(breakers.states().values()) == {"closed"}
    assert port.store.failures("list_meters", (CUSTOMER, None)).count == 0
    assert port.get_customer(CUSTOMER).name == "Jan Kowalski"


def test_not_offered_from_the_adapter_itself_is_neither_cached_nor_counted():
    adapter = Forgetful()
    breakers = BreakerBilling(adapter, fail_max=2)
    port = CachedBilling(breakers)
    for _ in range(4):
        with pytest.raises(ErpNotOffered):
            port.list_meters(CUSTOMER)
    assert adapter.asked == 4, "each call asks again: a lasting answer is not a failure to share or retry"
    assert breakers.states()["meters"] == "closed"
    assert port.store.failures("list_meters", (CUSTOMER, None)).count == 0
    assert port.peek("list_meters", CUSTOMER, None) is None


def test_it_narrows_what_the_adapter_offers_and_keeps_the_rest():
    adapter = RequiredOnly()
    port = CachedBilling(BreakerBilling(NarrowedBilling(FakeBilling(DemoStore.load()),
                                                        {"get_contract_scan", "list_messages"})))
    assert port.offered_operations == frozenset(OPERATIONS) - {"get_contract_scan", "list_messages"}
    with pytest.raises(ErpNotOffered):
        port.list_messages(CUSTOMER)
    assert [meter.serial for meter in port.list_meters(CUSTOMER)][:1] == ["SW19-0042187"]
    narrowed = NarrowedBilling(adapter, {"get_contract_scan"})
    assert narrowed.offered_operations == REQUIRED
    assert narrowed.get_settlements(CUSTOMER).balance is not None and adapter.asked == ["get_settlements"]
