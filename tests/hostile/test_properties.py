"""Property: whatever a browser (or a script) puts in any query parameter or form field of any page, the
portal answers below 500 and shows no stack trace. Hypothesis draws the values: valid ones, near misses,
huge and negative numbers, impossible dates, markup, control characters, repeated parameters."""

from __future__ import annotations

import string
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.portal_fixtures import PASSWORD

PROPERTY = settings(max_examples=50, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# Any character a browser can send (no lone surrogates: they cannot be encoded at all).
CHARACTERS = st.characters(exclude_categories=["Cs"])
TRICKY = ["", " ", "0", "-1", "1e9", "99999999999999999999", "1.5", "NaN", "inf", "2026-02-30", "0000-01-01",
          "9999-12-31", "31.12.9999", "<script>alert(1)</script>", "{{7*7}}", "' OR 1=1 --", "../../etc/passwd",
          "%00", "\x00", "\r\nX: y", "żółć", "K-1002", "INV-202611-00132", "W-1002-1", "P-1002-1", "desc", "asc",
          "paid", "unpaid", "all", "invoice", "payment", "personal", "tariff", "complaint", "active", "removed",
          "issue_date", "gross", str(uuid.uuid4()), "//evil.example", "javascript:alert(1)", "x" * 5000]


def values(*valid: str) -> st.SearchStrategy[str]:
    """A parameter's valid values, tricky ones, numbers, dates and free text."""
    return st.one_of(
        st.sampled_from([*valid, *TRICKY]),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.dates().map(lambda day: day.strftime("%d.%m.%Y") if day.day % 2 else day.isoformat()),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.text(CHARACTERS, max_size=300),
    )


def params(fields: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Some of the fields, maybe repeated, maybe an unknown one too, in any order."""
    known = st.sampled_from(sorted(fields)).flatmap(lambda name: st.tuples(st.just(name), fields[name]))
    unknown = st.tuples(st.text(string.ascii_letters + "_[]", min_size=1, max_size=12), values())
    return st.lists(st.one_of(known, known, unknown), max_size=8)


def assert_fine(response: Any) -> None:
    page = response.get_data(as_text=True) if response.mimetype.startswith("text/") else ""
    assert response.status_code < 500, page[:1000]
    assert "Traceback" not in page


PAGE = values("1", "2", "4")
QUERIES = {
    "/meters/": {"serial": values("SW19", "0042187", "GRD"), "status": values("active", "removed", "legalisation_due"),
                 "page": PAGE},
    "/readings/": {"page": PAGE},
    "/readings/W-1001-2": {"year": values("2024", "2025", "2026"), "page": PAGE},
    "/invoices/": {"year": values("2024", "2026"), "status": values("paid", "unpaid", "partly_paid"),
                   "sort": values("issue_date", "due_date", "gross"), "order": values("asc", "desc"), "page": PAGE},
    "/settlements/": {"issued_from": values("2025-01-01", "01.01.2025"), "issued_to": values("2026-12-31"),
                      "kind": values("invoice", "payment", "correction"), "state": values("all", "settled", "open"),
                      "page": PAGE},
    "/settlements/export.csv": {"issued_from": values("2025-01-01"), "issued_to": values("31.12.2026"),
                                "kind": values("invoice"), "state": values("open")},
    "/downloads/": {"category": values("personal", "form", "tariff", "regulation")},
    "/messages/": {"page": PAGE},
    "/messages/new": {"premise": values("P-1001-1", "P-1001-2"), "invoice": values("INV-202611-00117")},
}


@pytest.mark.parametrize("url", QUERIES)
def test_no_query_breaks_a_page(kowalski, url):
    @PROPERTY
    @given(query=params(QUERIES[url]))
    def check(query):
        assert_fine(kowalski.get(url, query_string=query))

    check()


KEY = values(str(uuid.uuid4()))
FORMS = {
    "/readings/W-1001-2": {"reading_date": values("2026-11-26", "26.11.2026"), "value": values("220,5", "215.1"),
                           "note": values("Odczyt"), "confirm": values("y"), "reason": values("Przeciek"),
                           "idempotency_key": KEY},
    "/messages/new": {"kind": values("complaint", "inquiry", "request"), "subject": values("Temat"),
                      "body": values("Treść"), "premise_id": values("P-1001-1"),
                      "invoice_id": values("INV-202611-00117"), "idempotency_key": KEY},
    "/settings/password": {"current_password": values(PASSWORD), "new_password": values("Another-long-phrase-7"),
                           "confirm_password": values("Another-long-phrase-7")},
    "/settings/e-invoice": {"enable": values("1"), "disable": values("1"), "idempotency_key": KEY},
    "/language": {"language": values("pl", "en"), "next": values("/", "/invoices/")},
}
ANONYMOUS_FORMS = {
    "/sign-in": {"login": values("kowalski", "KOWALSKI "), "password": values(PASSWORD)},
    "/password-reset": {"login_or_email": values("kowalski", "jan.kowalski@example.com")},
    "/password-reset/not-a-token": {"new_password": values("Another-long-phrase-7"),
                                    "confirm_password": values("Another-long-phrase-7")},
}


@pytest.mark.parametrize("url", FORMS)
def test_no_form_breaks_a_signed_in_page(kowalski, url):
    @PROPERTY
    @given(form=params(FORMS[url]))
    def check(form):
        assert_fine(kowalski.post(url, data=MultiDict(form)))

    check()


@pytest.mark.parametrize("url", ANONYMOUS_FORMS)
def test_no_form_breaks_a_public_page(app, make_account, url):
    make_account()

    @PROPERTY
    @given(form=params(ANONYMOUS_FORMS[url]), next_=st.one_of(st.none(), values("/", "/settings/")))
    def check(form, next_):
        client = app.test_client()
        assert_fine(client.post(url, data=MultiDict(form), query_string={"next": next_} if next_ is not None else None))

    check()
