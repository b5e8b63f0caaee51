"""The payments table: each payment the portal started, written before the customer leaves for the operator."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.clock import utcnow
from gateway.db.database import Base

# started: written, the customer sent to the operator; paid: a verified notification says the money came (the ERP
# has yet to book it from the bank statement); failed: the operator did not take the registration; cancelled: the
# customer gave up, or left it unpaid past PAYMENT_ABANDON_MINUTES.
STARTED, PAID, FAILED, CANCELLED = "started", "paid", "failed", "cancelled"
OVER = (FAILED, CANCELLED)
KIND_INVOICES, KIND_OVERDUE = "invoices", "overdue"


class Payment(Base):
    """One payment: what for (invoices, or the overdue balance), how much, and where it stands at the operator."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The portal's name for the transaction at the operator (its sessionId): random, never guessable.
    session_id: Mapped[str] = mapped_column(String(64), unique=True)
    # From the confirmation form: a second submit of the same form finds this row instead of paying twice.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[str] = mapped_column(String(64), index=True)
    account_id: Mapped[int | None] = mapped_column(Integer, default=None)
    kind: Mapped[str] = mapped_column(String(16))
    # The invoice ids paid for, sorted and space-separated (for a reminder: "paid at the operator").
    invoice_ids: Mapped[str] = mapped_column(Text, default="")
    # Set while started, to customer id and what is paid for: two tabs cannot start two payments for the same
    # invoices at once (a unique column; NULL once the payment is over, and NULLs never clash).
    open_target: Mapped[str | None] = mapped_column(String(400), unique=True, default=None)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3), default="PLN")
    status: Mapped[str] = mapped_column(String(16), default=STARTED, index=True)
    operator: Mapped[str] = mapped_column(String(32))
    redirect_url: Mapped[str | None] = mapped_column(String(300), default=None)
    order_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime, default=None, index=True)

    @property
    def invoices(self) -> list[str]:
        return self.invoice_ids.split()
