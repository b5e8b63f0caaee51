"""Where IT did not turn payments on (the default), no page offers them and their addresses do not exist."""

from __future__ import annotations

UNPAID = "INV-202611-00116"  # K-1001's FV/00116/11/2026, unpaid


def test_nothing_is_offered_or_served_where_payments_are_off(kowalski):
    assert kowalski.get(f"/payments/confirm?invoice={UNPAID}").status_code == 404
    assert kowalski.post("/payments/notify", data=b"{}").status_code == 404
    for page in (f"/invoices/{UNPAID}", "/invoices/", "/", "/settlements/"):
        text = kowalski.get(page).get_data(as_text=True)
        assert "/payments/" not in text and "Zapłać online" not in text and "Płatności online" not in text
