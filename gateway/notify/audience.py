"""Who hears about which customer: every customer id an account with a kind on shows (its own and each linked one),
a batch of customers at a time, each with the accounts showing it.

Paging by customer rather than by account means a customer shown by several accounts (its own, a property
manager's) is asked once per run; a link removed is simply not found by the next run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterator

from sqlalchemy import Subquery, exists, select, union_all
from sqlalchemy.orm import Session

from gateway.db.models import Account, AccountLink
from gateway.notify.kinds import SMS
from gateway.notify.model import Subscription

Subscribed = dict[str, datetime]  # kind -> switched on at (naive UTC)


@dataclass(frozen=True)
class Recipient:
    """One account hearing about one customer it shows; `own_customer_id` is the account's own (its phone's)."""

    account_id: int
    customer_id: str
    email: str
    kinds: Subscribed
    sms_kinds: Subscribed = field(default_factory=dict)
    own_customer_id: str = ""
    several: bool = False  # the account shows more than one customer: its mail names the premise too
    language: str | None = None  # the one its customer chose in the portal (None: the utility's default)

    @property
    def linked(self) -> bool:
        return self.customer_id != self.own_customer_id


def _reachable() -> Subquery:
    """Accounts a reminder may go to: a kind on, not locked, an e-mail address."""
    return (select(Account.id).where(Account.locked.is_(False), Account.email != "",
                                     Account.id.in_(select(Subscription.account_id))).subquery())


def _shown(customer_ids: list[str] | None = None) -> Subquery:
    """(account, customer) for every customer each account shows, optionally only for some customers."""
    own = select(Account.id.label("account_id"), Account.customer_id.label("customer_id"))
    linked = select(AccountLink.account_id.label("account_id"), AccountLink.customer_id.label("customer_id"))
    if customer_ids is not None:
        own = own.where(Account.customer_id.in_(customer_ids))
        linked = linked.where(AccountLink.customer_id.in_(customer_ids))
    return union_all(own, linked).subquery()


def _customer_page(session: Session, after: str, size: int) -> list[str]:
    """The next `size` customer ids some reachable account shows, in order (keyset paging)."""
    shown, reachable = _shown(), _reachable()
    ids = select(shown.c.customer_id).where(shown.c.account_id.in_(select(reachable.c.id))).distinct().subquery()
    return list(session.scalars(select(ids.c.customer_id).where(ids.c.customer_id > after)
                                .order_by(ids.c.customer_id).limit(size)))


def recipients(session: Session, batch_size: int) -> Iterator[list[Recipient]]:
    """A batch of customers at a time, as the (account, customer) pairs reminders go to; a large table is never
    held at once."""
    last = ""
    while True:
        customer_ids = _customer_page(session, last, batch_size)
        if not customer_ids:
            return
        last = customer_ids[-1]
        shown, reachable = _shown(customer_ids), _reachable()
        rows = session.execute(
            select(Account.id, shown.c.customer_id, Account.email, Account.customer_id,
                   exists().where(AccountLink.account_id == Account.id), Subscription.kind, Subscription.channel,
                   Subscription.since, Account.language)
            .join(shown, shown.c.account_id == Account.id)
            .join(Subscription, Subscription.account_id == Account.id)
            .where(Account.id.in_(select(reachable.c.id)))
            .order_by(shown.c.customer_id, Account.id))
        grouped: dict[tuple[int, str], Recipient] = {}
        for account_id, customer_id, email, own, several, kind, channel, since, language in rows:
            recipient = grouped.setdefault((account_id, customer_id),
                                           Recipient(account_id, customer_id, email, {}, {}, own, bool(several),
                                                     language))
            (recipient.sms_kinds if channel == SMS else recipient.kinds)[kind] = since
        yield list(grouped.values())
