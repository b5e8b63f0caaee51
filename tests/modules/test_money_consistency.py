"""The start page and the settlements page tell the same money: owed, overdue since when, next due, for any ledger."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.core.records import Settlements
from gateway import clock
from tests.modules.ledgers import DUE_AFTER, RECEIVED, erp_ledgers
from tests.portal.doubles import ScriptedBilling

TODAY = date(2026, 11, 27)
PROPERTY = settings(max_examples=40, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# First issue dates that put some due dates behind the day, some ahead, and (shift 0) one on the day itself.
STARTS = st.builds(lambda weeks, shift: TODAY - DUE_AFTER - timedelta(weeks=weeks, days=shift),
                   st.integers(min_value=0, max_value=16), st.sampled_from([0, 1, 3, -2]))


class FixedLedger(ScriptedBilling):
    """The demo customer's ERP, answering with a given ledger."""

    def __init__(self, inner, settlements: Settlements) -> None:
        super().__init__(inner)
        self.settlements = settlements

    def get_settlements(self, customer_id):
        return self.settlements


def _figures(page: str) -> dict[str, str]:
    """The dues list as {term: description}, tags dropped and spaces squeezed."""
    block = re.search(r'<dl class="details dues">(.*?)</dl>', page, re.S)
    assert block, "no dues list"
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", block.group(1), re.S)
    return {term: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip() for term, text in pairs}


def _amount(text: str) -> Decimal:
    found = re.search(r"(\d[\d ]*,\d\d) zł", text)
    assert found, text
    return Decimal(found.group(1).replace(" ", "").replace(",", "."))


@dataclass(frozen=True)
class Expected:
    overdue: Decimal
    since: date | None
    next_due: date | None
    next_amount: Decimal


def _expected(settlements: Settlements) -> Expected:
    """The figures worked out here from the ledger's records: what charges still owe, by due date."""
    owed = [(entry.due_on, entry.remaining) for entry in settlements.entries
            if entry.kind not in RECEIVED and entry.remaining > 0 and entry.due_on is not None]
    late = [(due, left) for due, left in owed if due < TODAY]
    ahead = [(due, left) for due, left in owed if due >= TODAY]
    next_due = min((due for due, _ in ahead), default=None)
    return Expected(
        overdue=sum((left for _, left in late), Decimal(0)),
        since=min((due for due, _ in late), default=None),
        next_due=next_due,
        next_amount=sum((left for due, left in ahead if due == next_due), Decimal(0)),
    )


def test_the_start_page_and_the_settlements_page_show_the_same_figures(kowalski, app, billing, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)

    @PROPERTY
    @given(settlements=erp_ledgers(first_issued=STARTS))
    def check(settlements: Settlements) -> None:
        app.extensions["billing"] = FixedLedger(billing.inner, settlements)
        start = _figures(kowalski.get("/").get_data(as_text=True))
        statement = _figures(kowalski.get("/settlements/").get_data(as_text=True))
        assert start == statement
        expected = _expected(settlements)
        owed_term = "Nadpłata" if settlements.balance < 0 else "Do zapłaty"
        assert _amount(start[owed_term]) == abs(settlements.balance)
        if expected.since is not None:
            assert _amount(start["Po terminie"]) == expected.overdue
            assert expected.since.strftime("%d.%m.%Y") in start["Po terminie"]
        else:
            assert "Po terminie" not in start
        next_due = start["Najbliższy termin płatności"]
        if expected.next_due is not None:
            assert next_due.startswith(expected.next_due.strftime("%d.%m.%Y"))
            assert _amount(next_due) == expected.next_amount
        elif expected.since is not None:
            assert next_due.startswith("Innych należności Państwo nie mają"), "all that is owed is overdue"
        else:
            assert next_due == "brak należności"

    check()
