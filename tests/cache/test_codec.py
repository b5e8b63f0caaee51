"""The shared cache's codec: every answer of the port survives JSON, and nothing but the port's records comes out."""

from __future__ import annotations

import json
import pickle
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from adapters.core.operations import OPERATIONS
from adapters.core.records import Address, Customer, FileContent, Premise, PremiseKind, TaxIdKind
from adapters.resilience import codec
from adapters.testing.fake import FakeBilling
from fixtures.simulator.store import DemoStore

KOWALSKI = Customer("K-1001", "Jan Kowalski", Address("ul. Długa 5", "47-100", "Strzelce Opolskie"), None,
                    "+48 600 100 200", "85010112345", TaxIdKind.PESEL,
                    (Premise("P-1", Address("ul. Długa 5", "47-100", "Strzelce Opolskie"), PremiseKind.HOUSE),))


def test_a_record_comes_back_equal_with_its_types():
    back = codec.loads(codec.dumps(KOWALSKI))
    assert back == KOWALSKI
    assert type(back.tax_id_kind) is TaxIdKind and type(back.premises) is tuple


def test_money_dates_and_files_keep_their_types():
    values = [Decimal("183.15"), date(2026, 11, 27), datetime(2026, 11, 27, 9, 30, tzinfo=timezone.utc),
              FileContent("faktura.pdf", "application/pdf", b"%PDF-1.7\x00\xff")]
    assert codec.loads(codec.dumps(values)) == values
    assert '"183.15"' in codec.dumps(Decimal("183.15")), "money is written as its decimal text, never a float"


def test_every_read_of_a_demo_customer_survives_the_round_trip():
    erp = FakeBilling(DemoStore.load())
    invoice = erp.list_invoices("K-1001")[0]
    meter = erp.list_meters("K-1001")[0]
    answers = [erp.get_customer("K-1001"), erp.list_contracts("K-1001"), erp.list_meters("K-1001", None),
               erp.list_readings("K-1001", meter.id), erp.list_invoices("K-1001"),
               erp.get_invoice("K-1001", invoice.id), erp.get_invoice_pdf("K-1001", invoice.id),
               erp.get_settlements("K-1001"), erp.list_documents("K-1001"), erp.list_messages("K-1001")]
    assert {"get_customer", "get_settlements", "list_messages"} <= set(OPERATIONS)
    for answer in answers:
        assert codec.loads(codec.dumps(answer)) == answer


def test_what_is_no_record_of_the_port_is_not_written():
    class Outsider:
        pass

    with pytest.raises(TypeError):
        codec.dumps([Outsider()])


@pytest.mark.parametrize("stored", [
    pickle.dumps(KOWALSKI),
    json.dumps({"$record": ["Popen", {"args": ["sh"]}]}).encode(),
    json.dumps({"$record": ["Customer", {"id": "K-1001"}]}).encode(),
    json.dumps({"__class__": "Customer"}).encode(),
    json.dumps({"$decimal": "not money"}).encode(),
])
def test_anything_else_read_back_is_refused(stored):
    with pytest.raises(codec.UnreadableEntry):
        codec.loads(stored)
