"""KSeF over the contract: the bakery's invoices carry their numbers, hashes and the offline flag through both
protocols, and get_invoice_xml hands out FA(3) files valid against the Ministry's schema whose SHA-256 is the
invoice's hash (on the recordings, the hash of the file as anonymised)."""

from __future__ import annotations

import pytest

from adapters.core.errors import ErpNotFound
from adapters.core.ksef import file_hash
from tests.contract.expected import RECORDED_FILE_HASHES
from tests.fa3_schema import fa3_errors

BAKERY, CONSUMER = "K-1004", "K-1001"
OFFLINE = "INV-202611-00153"  # FV/00153/11/2026, issued while KSeF was unreachable: no number yet
NUMBERED = "INV-202610-00182"  # FV/00182/10/2026
NUMBERED_HASH = "kOGtrGxjRLTLqG7v4sXkrEPHXNin0DBb9XEi1rTwJ8Q="


@pytest.fixture
def file_hash_of(kind):
    """The SHA-256 the file handed out has: the invoice's own, or on a replay the anonymised file's."""
    return RECORDED_FILE_HASHES.get if kind.endswith("-replay") else lambda value: value


def test_the_bakerys_invoices_carry_their_ksef_fields(port, expect):
    invoices = {invoice.id: invoice for invoice in port.list_invoices(BAKERY)}
    offline, numbered = invoices[OFFLINE], port.get_invoice(BAKERY, NUMBERED)
    assert (offline.ksef_number, offline.ksef_offline) == (None, True)
    assert offline.ksef_hash == "imYSIrrySXLIWvCglW9hawNzo4tHVOaAfqwfr3DNDLs="
    assert (numbered.ksef_number, numbered.ksef_offline) == (expect("7561000001-20261005-06359AE5CBA9-B2"), False)
    assert numbered.ksef_hash == NUMBERED_HASH


def test_the_invoice_xml_is_valid_fa3_and_the_file_its_hash_names(port, expect, file_hash_of):
    summary = next(i for i in port.list_invoices(BAKERY) if i.id == NUMBERED)
    file = port.get_invoice_xml(BAKERY, NUMBERED)
    assert (file.content_type, file.filename) == ("application/xml", "FV-00182-10-2026.xml")
    assert fa3_errors(file.content) == []
    assert b"<P_2>FV/00182/10/2026</P_2>" in file.content
    assert f"<NIP>{expect('7562000003')}</NIP>".encode() in file.content
    assert summary.ksef_hash == NUMBERED_HASH and file_hash(file.content) == file_hash_of(NUMBERED_HASH)


def test_a_consumers_invoice_has_no_xml(port):
    invoice = port.list_invoices(CONSUMER)[0]
    assert (invoice.ksef_number, invoice.ksef_hash, invoice.ksef_offline) == (None, None, False)
    with pytest.raises(ErpNotFound):
        port.get_invoice_xml(CONSUMER, invoice.id)


def test_another_customers_invoice_xml_is_not_found(port):
    with pytest.raises(ErpNotFound):
        port.get_invoice_xml(CONSUMER, NUMBERED)
