"""A hint on the account row, which every signed-in request reads anyway: when did any of its customers (its
own and those linked to it) last start a payment. Pages skip the payments query when that is older than the
window they show, so customers who never pay online cost nothing extra."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import func, or_, select, update

from gateway.accounts.active import customer_ids
from gateway.db.database import db, engine_of
from gateway.db.models import Account, AccountLink
from gateway.payments.model import Payment

# Stored once a query found no payment at all: older than any window, unlike NULL ("not yet known").
NO_PAYMENT = datetime(2000, 1, 1)


def may_have_payments_since(account: Account, since: datetime) -> bool:
    """False only when the hint is known and older than `since`: then the query would find nothing."""
    hint = account.last_payment_at
    return hint is None or hint >= since


def note_started(customer_id: str, at: datetime) -> None:
    """Every account showing the customer, its own or by a link, learns of the payment in the transaction
    that writes it."""
    linked = select(AccountLink.account_id).where(AccountLink.customer_id == customer_id)
    db().execute(update(Account).where(or_(Account.customer_id == customer_id, Account.id.in_(linked)))
                 .values(last_payment_at=at))


def learn(account: Account) -> None:
    """The first page that shows payments for an account stores its hint; a payment started meanwhile wins."""
    if account.last_payment_at is not None:
        return
    shown = customer_ids(account)
    with engine_of(current_app).begin() as connection:  # its own transaction: the page's session only reads
        latest = connection.scalar(select(func.max(Payment.created_at)).where(Payment.customer_id.in_(shown)))
        connection.execute(update(Account).where(Account.id == account.id, Account.last_payment_at.is_(None))
                           .values(last_payment_at=latest or NO_PAYMENT))
