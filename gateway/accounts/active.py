"""The customer id a request shows: an account with linked customers shows one of them at a time.

The customer chooses it in the header's switcher (`session["customer"]`); it is believed only while the account
still holds that link, so a forged or stale value falls back to the account's own customer id.
"""

from __future__ import annotations

from flask import has_request_context, session

from gateway.db.models import Account

# The session's key for the customer id chosen in the header's switcher.
ACTIVE_KEY = "customer"


def customer_ids(account: Account) -> list[str]:
    """The account's own customer id first, then its linked ones."""
    return [account.customer_id, *(link.customer_id for link in account.links)]


def chosen_customer_id() -> str | None:
    """What the session asks for, not yet checked against the account's links."""
    chosen = session.get(ACTIVE_KEY) if has_request_context() else None
    return chosen if isinstance(chosen, str) else None


def active_customer_id(account: Account) -> str:
    """The customer id this request shows: the one chosen, if the account holds it now, else its own."""
    chosen = chosen_customer_id()
    if chosen is None or chosen == account.customer_id:
        return account.customer_id
    return chosen if any(link.customer_id == chosen for link in account.links) else account.customer_id
