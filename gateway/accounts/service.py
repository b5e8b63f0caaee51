"""What staff do with accounts: create one for an ERP customer, send a new one-time password, lock, delete."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from adapters.core.errors import ErpBadResponse, ErpError, ErpNotFound
from adapters.core.records import Customer
from gateway.accounts import audit
from gateway.accounts.mail import MailError, in_language, send_mail
from gateway.accounts.notices import EMAIL, OFFICE, Change, send_notice
from gateway.accounts.passwords import generate_one_time_password, passwords
from gateway.accounts.throttle import forget_login
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.db.models import Account, AccountLink
from gateway.erp.billing import billing

LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(Exception):
    """A staff action that cannot be done; the message says why."""


def find_account(login: str) -> Account | None:
    return db().scalar(select(Account).where(func.lower(Account.login) == login.strip().lower()))


def get_account(login: str) -> Account:
    account = find_account(login)
    if account is None:
        raise AccountError(f"no account with login {login!r}")
    return account


def erp_customer(customer_id: str) -> Customer:
    """The customer must exist in the ERP: an account for nobody would only show errors."""
    try:
        return billing().get_customer(customer_id)
    except ErpNotFound:
        raise AccountError(f"the ERP has no customer {customer_id!r}") from None
    except ErpBadResponse as error:  # lasting, not passing: IT must mend the adapter or the ERP's data
        raise AccountError(f"the ERP's answer about {customer_id!r} does not fit the contract: {error}") from None
    except ErpError as error:
        raise AccountError(f"cannot check customer {customer_id!r} in the ERP now: {error}") from None


def check_invoice_number(customer_id: str, invoice_number: str) -> None:
    """The number of one of the customer's invoices, as printed on the paper the customer brings, must be among
    theirs in the ERP: proof that the customer number on the agreement is theirs, which needs no PESEL or NIP
    (many ERPs hold neither)."""
    wanted = invoice_number.strip().casefold()
    try:
        invoices = billing().list_invoices(customer_id)
    except ErpError as error:
        raise AccountError(f"cannot check the invoices of customer {customer_id!r} in the ERP now: {error}") from None
    if not wanted or not any(invoice.number.casefold() == wanted for invoice in invoices):
        raise AccountError(f"customer {customer_id!r} has no invoice {invoice_number!r} in the ERP: "
                           "check the customer number and the invoice number")


def _generated_login(customer_id: str) -> str:
    """The customer id without punctuation ("k1001"), with -2, -3 … when already taken."""
    base = re.sub(r"[^a-z0-9]", "", customer_id.lower()) or "klient"
    candidate, number = base, 1
    while find_account(candidate) is not None:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _checked_login(login: str | None, customer_id: str) -> str:
    if not login:
        return _generated_login(customer_id)
    login = login.strip().lower()
    if not LOGIN_PATTERN.match(login):
        raise AccountError(
            f"login {login!r} is not allowed: 3–64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit"
        )
    if find_account(login) is not None:
        raise AccountError(f"login {login!r} is already taken")
    return login


def _checked_email(email: str | None, customer: Customer) -> str:
    email = (email or customer.email or "").strip()
    if not email:
        raise AccountError(f"the ERP holds no e-mail address for {customer.id}: give one with --email")
    if not EMAIL_PATTERN.match(email):
        raise AccountError(f"{email!r} is not an e-mail address")
    return email


def _send_one_time_password(account: Account, password: str, template: str) -> None:
    """In the customer's language (the utility's default for a new account); MailError means nothing was changed."""
    with in_language(account.language):
        subject = _("Your access to the customer portal (IBOK)")
        days = current_app.config["ONE_TIME_PASSWORD_DAYS"]
        body = render_template(template, account=account, password=password, days=days)
    send_mail(account.email, subject, body)


def create_account(customer_id: str, email: str | None = None, login: str | None = None,
                   invoice_number: str | None = None) -> Account:
    """Create the account and e-mail the one-time password; if the mail is refused, no account remains. With
    `invoice_number`, the customer must first prove the customer number theirs by one of their invoices."""
    customer = erp_customer(customer_id)
    if invoice_number is not None:
        check_invoice_number(customer.id, invoice_number)
    account = Account(
        login=_checked_login(login, customer.id),
        customer_id=customer.id,
        email=_checked_email(email, customer),
        password_is_one_time=True,
        locked=False,
        session_version=1,
    )
    password = generate_one_time_password()
    account.password_hash = passwords().hash(password)
    account.password_set_at = utcnow()
    db().add(account)
    db().flush()
    _deliver_or_roll_back(account, password, "mail/account_created.txt")
    audit.record("account.created", account, customer_id=customer.id, email=account.email)
    db().commit()
    return account


def _deliver_or_roll_back(account: Account, password: str, template: str) -> None:
    try:
        _send_one_time_password(account, password, template)
    except MailError as error:
        db().rollback()
        raise AccountError(f"e-mail not sent, nothing changed: {error}") from None


def reset_password(login: str) -> Account:
    """A new one-time password by e-mail: the old password and every session stop working."""
    account = get_account(login)
    password = generate_one_time_password()
    account.password_hash = passwords().hash(password)
    account.password_is_one_time = True
    account.password_set_at = utcnow()
    account.end_sessions()
    _deliver_or_roll_back(account, password, "mail/one_time_password.txt")
    forget_login(account.login)
    audit.record("account.one_time_password_sent", account, email=account.email)
    db().commit()
    return account


def set_email(login: str, email: str) -> tuple[Account, list[str]]:
    """The customer asked the office for another address: reset links and one-time passwords go there, links
    sent to the old one die with it, and every session ends (whoever held the old mailbox may hold one). Both
    addresses are told, after the change is stored: the old one in case the request was not the customer's.
    Returns the account and the addresses the mail server did not take a notice for, so the office can call."""
    account = get_account(login)
    email = email.strip()
    if not EMAIL_PATTERN.match(email):
        raise AccountError(f"{email!r} is not an e-mail address")
    previous = account.email
    audit.record("account.email_changed", account, old=previous, new=email)
    account.email = email
    account.end_sessions()
    db().commit()
    change = Change(EMAIL, OFFICE, utcnow())
    told = {}
    if previous.strip().lower() != email.lower():
        told[previous] = send_notice(account, change, previous_email=previous)
    told[email] = send_notice(account, change)
    db().commit()
    return account, [address for address, sent in told.items() if not sent]


def set_locked(login: str, locked: bool) -> Account:
    account = get_account(login)
    account.locked = locked
    if locked:
        account.end_sessions()
    else:
        forget_login(account.login)
    audit.record("account.locked" if locked else "account.unlocked", account)
    db().commit()
    return account


def delete_account(login: str) -> None:
    """Remove the account and its consents; the audit log keeps its entries (they name the login)."""
    account = get_account(login)
    audit.record("account.deleted", account, customer_id=account.customer_id)
    db().delete(account)
    db().commit()


def list_accounts(customer_id: str | None = None) -> list[Account]:
    """Accounts by login; with a customer id, those showing it as their own or as a linked customer."""
    query = select(Account).options(selectinload(Account.links)).order_by(Account.login)
    if customer_id:
        linked = select(AccountLink.account_id).where(AccountLink.customer_id == customer_id)
        query = query.where(or_(Account.customer_id == customer_id, Account.id.in_(linked)))
    return list(db().scalars(query))


def one_time_password_expired(account: Account) -> bool:
    days = int(current_app.config["ONE_TIME_PASSWORD_DAYS"])
    return account.password_is_one_time and utcnow() - account.password_set_at > timedelta(days=days)
