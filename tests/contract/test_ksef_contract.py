"""KSeF over the contract: the bakery's invoices carry their numbers, hashes and the offline flag through both
protocols, and get_invoice_xml hands out FA(3) files valid against the Ministry's schema whose SHA-256 is the
invoice's hash. The recordings hold consumers only (outside KSeF), so the bakery is asked of the fake and the
live simulator."""

from __future__ import annotations

import pytest

from adapters.core.errors import ErpNotFound
from adapters.core.ksef import file_hash
from tests.fa3_schema import fa3_errors

BAKERY, CONSUMER = "K-1004", "K-1001"
OFFLINE = "INV-202611-00153"  # FV/00153/11/2026, issued while KSeF was unreachable: no number yet
NUMBERED = "INV-202610-00182"  # FV/00182/10/2026


@pytest.fixture
def bakery_port(port, kind):
    if kind.endswith("-replay"):
        pytest.skip("the recorded scenario holds consumers only, whose invoices are outside KSeF")
    return port


def test_the_bakerys_invoices_carry_their_ksef_fields(bakery_port):
    invoices = {invoice.id: invoice for invoice in bakery_port.list_invoices(BAKERY)}
    offline, numbered = invoices[OFFLINE], bakery_port.get_invoice(BAKERY, NUMBERED)
    assert (offline.ksef_number, offline.ksef_offline) == (None, True)
    assert offline.ksef_hash == "imYSIrrySXLIWvCglW9hawNzo4tHVOaAfqwfr3DNDLs="
    assert (numbered.ksef_number, numbered.ksef_offline) == ("7561000001-20261005-06359AE5CBA9-B2", False)
    assert numbered.ksef_hash == "kOGtrGxjRLTLqG7v4sXkrEPHXNin0DBb9XEi1rTwJ8Q="


def test_the_invoice_xml_is_valid_fa3_and_the_file_its_hash_names(bakery_port):
    summary = next(i for i in bakery_port.list_invoices(BAKERY) if i.id == NUMBERED)
    file = bakery_port.get_invoice_xml(BAKERY, NUMBERED)
    assert (file.content_type, file.filename) == ("application/xml", "FV-00182-10-2026.xml")
    assert fa3_errors(file.content) == []
    assert b"<P_2>FV/00182/10/2026</P_2>" in file.content and b"<NIP>7562000003</NIP>" in file.content
    assert file_hash(file.content) == summary.ksef_hash == "kOGtrGxjRLTLqG7v4sXkrEPHXNin0DBb9XEi1rTwJ8Q="


def test_a_consumers_invoice_has_no_xml(port):
    invoice = port.list_invoices(CONSUMER)[0]
    assert (invoice.ksef_number, invoice.ksef_hash, invoice.ksef_offline) == (None, None, False)
    with pytest.raises(ErpNotFound):
        port.get_invoice_xml(CONSUMER, invoice.id)


def test_another_customers_invoice_xml_is_not_found(bakery_port):
    with pytest.raises(ErpNotFound):
        bakery_port.get_invoice_xml(CONSUMER, NUMBERED)
