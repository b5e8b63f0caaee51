"""Ledgers as an ERP keeps them, for property-based tests of the pages that read them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from hypothesis import strategies as st

from adapters.core.records import SettlementEntry, SettlementKind, Settlements

RECEIVED = {SettlementKind.PAYMENT, SettlementKind.PREPAYMENT, SettlementKind.OVERPAYMENT}
# Due dates come fourteen days after issue, as on the demo's invoices.
DUE_AFTER = timedelta(days=14)
CENT = Decimal("0.01")
FIRST_ISSUED = st.just(date(2024, 1, 1))


@st.composite
def erp_ledgers(draw: st.DrawFn, first_issued: st.SearchStrategy[date] = FIRST_ISSUED) -> Settlements:
    """A ledger as an ERP keeps one (fixtures/demo/ledger.py): money received, and corrections that take money
    away, pay the open charges in order, in full or in part; settled + remaining = amount on every entry; the
    balance is what the charges still owe minus what the money received still holds."""
    start = draw(first_issued)
    rows: list[dict[str, Any]] = []
    for number in range(draw(st.integers(min_value=0, max_value=30))):
        kind = draw(st.sampled_from(SettlementKind))
        amount = draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2))
        negative = kind is SettlementKind.CORRECTION and draw(st.booleans())
        rows.append({"kind": kind, "amount": -amount if negative else amount, "settled": Decimal("0.00"),
                     "issued": start + timedelta(days=7 * number)})
    for money_in in [row for row in rows if row["kind"] in RECEIVED or row["amount"] < 0]:
        usable = (abs(money_in["amount"]) * draw(st.sampled_from([0, 1, 2, 4])) / 4).quantize(CENT, ROUND_DOWN)
        for charge in [row for row in rows if row["kind"] not in RECEIVED and row["amount"] > 0]:
            part = min(usable, charge["amount"] - charge["settled"])
            charge["settled"] += part
            money_in["settled"] += part if money_in["amount"] > 0 else -part
            usable -= part
    made = tuple(SettlementEntry(row["kind"], f"D/{n}", row["issued"], row["issued"] + DUE_AFTER, None,
                                 row["amount"], row["settled"], row["amount"] - row["settled"])
                 for n, row in enumerate(rows))
    balance = sum((-item.remaining if item.kind in RECEIVED else item.remaining for item in made), Decimal("0.00"))
    return Settlements(balance, made)
