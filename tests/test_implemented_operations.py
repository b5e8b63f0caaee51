"""An adapter that overrides only some typed methods offers only those: the portal hides the rest."""

from __future__ import annotations

from adapters.core.operations import OPERATIONS, REQUIRED
from adapters.core.port import BillingPort, implemented_operations
from adapters.core.records import Customer, InvoiceSummary
from adapters.testing.fake import FakeBilling


class TwoMethods(BillingPort):
    def get_customer(self, customer_id: str) -> Customer:
        raise AssertionError("not called")

    def list_invoices(self, customer_id: str) -> list[InvoiceSummary]:
        return []


class Stated(TwoMethods):
    offered_operations = REQUIRED


def test_a_hand_written_adapter_offers_the_typed_methods_it_overrides():
    assert TwoMethods().offered_operations == {"get_customer", "list_invoices"}
    assert TwoMethods().offers("list_invoices") and not TwoMethods().offers("list_meters")


def test_an_adapter_answering_through_perform_offers_every_operation():
    assert "offered_operations" not in vars(FakeBilling) and len(OPERATIONS) == 17
    assert implemented_operations(FakeBilling) == frozenset(OPERATIONS)


def test_an_adapter_may_state_what_it_offers():
    assert Stated().offered_operations == REQUIRED
