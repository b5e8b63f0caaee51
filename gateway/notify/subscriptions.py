"""Switching a kind of reminder on or off: the switch itself, a consent record (given or withdrawn, when, from
where) and an audit entry, committed together."""

from __future__ import annotations

from sqlalchemy import select

from gateway.accounts import audit
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.db.models import Account, ConsentRecord
from gateway.notify.kinds import CONSENT_VERSION, EMAIL, KINDS
from gateway.notify.model import Subscription


def switched_on(account_id: int, channel: str = EMAIL) -> set[str]:
    """The kinds this account receives now on one channel."""
    return set(db().scalars(select(Subscription.kind).where(Subscription.account_id == account_id,
                                                            Subscription.channel == channel)))


def switch(account: Account, kind: str, on: bool, via: str, channel: str = EMAIL) -> bool:
    """Turn one kind on or off on one channel; False (and nothing recorded) when it already was. `via` names the
    page, for the audit log. The caller commits."""
    row = db().get(Subscription, (account.id, kind, channel))
    if (row is not None) == on:
        return False
    now = utcnow()
    if on:
        db().add(Subscription(account_id=account.id, kind=kind, channel=channel, since=now))
    else:
        db().delete(row)
    account.consents.append(ConsentRecord(document=KINDS[kind].consent_document_for(channel),
                                          version=CONSENT_VERSION, granted=on, recorded_at=now,
                                          client_address=audit.client_address()))
    audit.record("notify.switched_on" if on else "notify.switched_off", account, kind=kind, channel=channel, via=via)
    return True


def apply_choices(account: Account, chosen: set[str], via: str, channel: str = EMAIL) -> list[str]:
    """The settings form's switches for one channel: each kind that changed is recorded; returns those, in the
    page's order."""
    return [kind for kind in KINDS if switch(account, kind, kind in chosen, via, channel)]
