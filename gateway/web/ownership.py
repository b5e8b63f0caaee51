"""The signed-in customer's own objects: every id from a URL or form is looked up here before use.

Each finder lists the customer's objects (a cached call) and returns the one with that id, or ends the
request with 404, the same answer for another customer's object as for one that does not exist.
"""

from __future__ import annotations

import re
from typing import Iterable, Protocol, TypeVar

from flask import abort, flash, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from adapters.core.records import Contract, DocumentInfo, InvoiceSummary, Message, Meter, Premise
from gateway.accounts import audit
from gateway.accounts.active import ACTIVE_KEY, active_customer_id, chosen_customer_id, customer_ids
from gateway.db.database import db
from gateway.erp.billing import billing
from gateway.web.sessions import signed_in_account

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=HasId)


def customer_id() -> str:
    """The customer id every page, cache key, outbox row, payment and audit entry of this request belongs to:
    the one chosen in the switcher while the account holds that link, else the account's own."""
    return active_customer_id(signed_in_account())


def check_chosen_customer() -> None:
    """Runs on every request after the account is loaded: a customer no longer linked is dropped, and said so."""
    chosen = chosen_customer_id()
    if chosen is None or request.endpoint == "static" or not current_user.is_authenticated:
        return  # static files never load the account
    if chosen not in customer_ids(signed_in_account()):
        session.pop(ACTIVE_KEY, None)
        flash(_l("You no longer have access to customer number %(number)s; your own account is shown.",
                 number=chosen), "info")


def choose_customer(wanted: str | None) -> str:
    """Show another of the account's customers from now on; an id it does not hold is a 404."""
    account = signed_in_account()
    if wanted not in customer_ids(account):
        abort(404)
    session[ACTIVE_KEY] = wanted
    audit.record("account.customer_chosen", account, customer_id=wanted)
    db().commit()
    return str(wanted)


def well_formed(object_id: str | None) -> bool:
    """Ids the ERP could have issued: no slashes, dots-only, spaces or anything longer than 64."""
    return bool(object_id) and ID_PATTERN.fullmatch(str(object_id)) is not None


def find_own(items: Iterable[T], object_id: str | None) -> T:
    """The item with that id among the customer's own, else 404 (never a hint that it exists elsewhere)."""
    if well_formed(object_id):
        for item in items:
            if item.id == object_id:
                return item
    abort(404)


def own_premise(premise_id: str | None) -> Premise:
    return find_own(billing().get_customer(customer_id()).premises, premise_id)


def own_contract(contract_id: str | None) -> Contract:
    return find_own(billing().list_contracts(customer_id()), contract_id)


def own_meter(meter_id: str | None) -> Meter:
    return find_own(billing().list_meters(customer_id()), meter_id)


def own_invoice(invoice_id: str | None) -> InvoiceSummary:
    return find_own(billing().list_invoices(customer_id()), invoice_id)


def own_document(document_id: str | None) -> DocumentInfo:
    return find_own(billing().list_documents(customer_id()), document_id)


def own_message(message_id: str | None) -> Message:
    return find_own(billing().list_messages(customer_id()), message_id)
