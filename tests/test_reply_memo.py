"""An ERP answer that repeats byte for byte is not parsed again: the same record objects come back (the pages'
fragment cache knows records by identity), and any change, error or other customer is read anew."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import responses

from adapters.core.errors import ErpBadResponse
from adapters.core.settings import ErpSettings
from adapters.rest.billing import RestBilling
from adapters.soap.billing import SoapBilling
from adapters.testing.replay import replaying
from adapters.wire.memo import REPLY_MEMO
from tests import rest_bodies as bodies
from tests.contract.conftest import RECORDED, REPLAY_URL

BASE = "https://erp.memo.example/api/v1"


def _invoices(*amounts: str) -> bytes:
    rows = [{**bodies.INVOICE_SUMMARY, "invoiceId": f"F-{n}", "grossAmount": gross} for n, gross in enumerate(amounts)]
    return json.dumps({"invoices": rows}).encode()


@pytest.fixture
def billing() -> RestBilling:
    REPLY_MEMO.kept.clear()
    return RestBilling(ErpSettings(url=BASE))


def _answer(mock: responses.RequestsMock, customer: str, body: bytes, status: int = 200) -> None:
    mock.get(f"{BASE}/customers/{customer}/invoices", body=body, status=status, content_type="application/json")


def test_the_same_bytes_give_the_same_records(billing):
    with responses.RequestsMock() as mock:
        _answer(mock, "K-1001", _invoices("10.00", "20.00"))
        first, again = billing.list_invoices("K-1001"), billing.list_invoices("K-1001")
        assert len(mock.calls) == 2  # the ERP is still asked: only the parsing is saved
    assert again is first


def test_a_changed_answer_is_read_anew(billing):
    with responses.RequestsMock() as mock:
        _answer(mock, "K-1001", _invoices("10.00"))
        first = billing.list_invoices("K-1001")
        mock.replace(responses.GET, f"{BASE}/customers/K-1001/invoices", body=_invoices("12.50"),
                     content_type="application/json")
        changed = billing.list_invoices("K-1001")
    assert [i.gross for i in first] == [Decimal("10.00")] and [i.gross for i in changed] == [Decimal("12.50")]


def test_another_customer_never_gets_the_first_ones_objects(billing):
    with responses.RequestsMock() as mock:
        _answer(mock, "K-1001", _invoices("10.00"))
        _answer(mock, "K-1002", _invoices("10.00"))
        mine, theirs = billing.list_invoices("K-1001"), billing.list_invoices("K-1002")
    assert mine == theirs and mine is not theirs
    assert {key[0] for key in REPLY_MEMO.kept.keys() if isinstance(key, tuple)} == {"K-1001", "K-1002"}


def test_a_reply_that_does_not_fit_is_never_kept(billing):
    with responses.RequestsMock() as mock:
        _answer(mock, "K-1001", b'{"invoices": [{"invoiceId": 7}]}')
        with pytest.raises(ErpBadResponse):
            billing.list_invoices("K-1001")
        with pytest.raises(ErpBadResponse):
            billing.list_invoices("K-1001")
    assert not REPLY_MEMO.kept


def test_soap_answers_are_kept_the_same_way() -> None:
    REPLY_MEMO.kept.clear()
    with replaying(RECORDED / "soap", REPLAY_URL):
        port = SoapBilling(ErpSettings(url=REPLAY_URL))
        first, again = port.list_invoices("K-1001"), port.list_invoices("K-1001")
    assert first and again is first
