"""`flask accounts link` and `unlink`: the office links further ERP customer ids to an account."""

from __future__ import annotations

from sqlalchemy import select

from gateway.accounts import audit
from gateway.accounts.active import customer_ids
from gateway.accounts.service import AccountError, check_invoice_number, erp_customer, get_account
from gateway.db.database import db
from gateway.db.models import Account, AccountLink


def link_customer(login: str, customer_id: str, invoice_number: str | None = None) -> AccountLink:
    """Link one more customer to an account, on the same proof `accounts create` asks for."""
    account = get_account(login)
    customer = erp_customer(customer_id)
    if invoice_number is not None:
        check_invoice_number(customer.id, invoice_number)
    if customer.id in customer_ids(account):
        raise AccountError(f"{account.login} already shows customer {customer.id}")
    link = AccountLink(customer_id=customer.id)
    account.links.append(link)
    account.last_payment_at = None  # the payment hint (gateway/payments/hint.py) learns the new customer's too
    audit.record("account.linked", account, customer_id=customer.id)
    db().commit()
    return link


def unlink_customer(login: str, customer_id: str) -> Account:
    """Remove a link: the account's sessions showing that customer fall back to its own on their next request."""
    account = get_account(login)
    link = db().scalar(select(AccountLink).where(AccountLink.account_id == account.id,
                                                 AccountLink.customer_id == customer_id.strip()))
    if link is None:
        raise AccountError(f"{account.login} is not linked to customer {customer_id.strip()!r}")
    db().delete(link)
    audit.record("account.unlinked", account, customer_id=link.customer_id)
    db().commit()
    return account
