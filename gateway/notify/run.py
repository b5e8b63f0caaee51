"""`flask notify run`'s work: accounts with a kind switched on, in batches; the ERP asked once per customer for what
their kinds need; each new reminder claimed in the ledger, sent, and marked sent."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Iterator, Mapping
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.sms.errors import SmsError, SmsUnavailable
from adapters.sms.port import SmsGateway
from gateway.accounts.mail import MailError
from gateway.db.models import Account
from gateway.notify import events, ledger
from gateway.notify.events import Event, Horizon
from gateway.notify.fetch import Answers, Fetcher
from gateway.notify.kinds import (
    DUE_SOON,
    EMAIL,
    NEW_INVOICE,
    OVERDUE,
    PHONE_OPERATION,
    READING_WINDOW,
    REPLY,
    SMS,
    operations_for,
)
from gateway.notify.model import Subscription
from gateway.notify.schedule import window_opened_on
from gateway.notify.sending import send_reminder
from gateway.notify.sms import phone_number, sms_gateway, sms_text

log = logging.getLogger(__name__)
Subscribed = dict[str, datetime]  # kind -> switched on at (naive UTC)


@dataclass(frozen=True)
class Recipient:
    account_id: int
    customer_id: str
    email: str
    kinds: Subscribed
    sms_kinds: Subscribed = field(default_factory=dict)


@dataclass
class Totals:
    customers: int = 0
    skipped: int = 0
    sent: int = 0
    refused: int = 0
    sms_sent: int = 0
    sms_failed: int = 0


def recipients(session: Session, batch_size: int) -> Iterator[list[Recipient]]:
    """Accounts with any kind on, not locked, with an e-mail address; by id, a batch at a time (keyset paging,
    so a large table is never held at once)."""
    last = 0
    while True:
        ids = list(session.scalars(select(Subscription.account_id).where(Subscription.account_id > last)
                                   .group_by(Subscription.account_id).order_by(Subscription.account_id)
                                   .limit(batch_size)))
        if not ids:
            return
        last = ids[-1]
        rows = session.execute(
            select(Account.id, Account.customer_id, Account.email, Subscription.kind, Subscription.channel,
                   Subscription.since)
            .join(Subscription, Subscription.account_id == Account.id)
            .where(Account.id.in_(ids), Account.locked.is_(False), Account.email != "")
            .order_by(Account.id))
        grouped: dict[int, Recipient] = {}
        for account_id, customer_id, email, kind, channel, since in rows:
            recipient = grouped.setdefault(account_id, Recipient(account_id, customer_id, email, {}))
            (recipient.sms_kinds if channel == SMS else recipient.kinds)[kind] = since
        yield list(grouped.values())


def needs(batch: list[Recipient], window_open: bool, sms_on: bool) -> dict[str, set[str]]:
    """Per customer, the reads its accounts' kinds need (SMS ones only with SMS on, and then the phone number
    too); no meters outside a reading window."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for recipient in batch:
        kinds = (set(recipient.kinds) | (set(recipient.sms_kinds) if sms_on else set())) - \
            (set() if window_open else {READING_WINDOW})
        wanted[recipient.customer_id] |= operations_for(kinds)
        if sms_on and kinds & set(recipient.sms_kinds):
            wanted[recipient.customer_id].add(PHONE_OPERATION)
    return {customer: operations for customer, operations in wanted.items() if operations}


def found(kind: str, answers: Answers, horizon: Horizon, opened_on: date | None) -> list[Event]:
    """What the answers hold for one kind, before the account's switch-on time and the ledger are applied."""
    got: Mapping[str, Any] = answers.by_operation
    if kind == NEW_INVOICE:
        return events.new_invoices(got["list_invoices"])
    if kind == DUE_SOON:
        return events.due_soon(got["get_settlements"], horizon)
    if kind == OVERDUE:
        return events.overdue(got["get_settlements"], horizon)
    if kind == REPLY:
        return events.replies(got["list_messages"])
    return events.reading_window(got["list_meters"], opened_on) if opened_on else []


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.replace(tzinfo=UTC).astimezone(zone).date()


class Run:
    """One pass over every recipient; the ERP's failure for one customer skips that customer only."""

    def __init__(self, session: Session, fetcher: Fetcher, today: date) -> None:
        config = current_app.config
        self.session, self.fetcher, self.totals = session, fetcher, Totals()
        self.horizon = Horizon(today, int(config["NOTIFY_LOOKBACK_DAYS"]), int(config["REMINDER_DUE_DAYS"]))
        self.opened_on = window_opened_on(today, config)
        self.zone = ZoneInfo(str(config["BABEL_DEFAULT_TIMEZONE"]))
        self.batch_size = int(config["NOTIFY_BATCH_SIZE"])
        self.sms: SmsGateway | None = sms_gateway(config) if config["SMS_ENABLED"] else None

    def __call__(self) -> Totals:
        for batch in recipients(self.session, self.batch_size):
            self.batch(batch)
            self.session.expunge_all()  # a batch's rows are done with: memory stays flat over 10,000 customers
        return self.totals

    def batch(self, batch: list[Recipient]) -> None:
        wanted = needs(batch, self.opened_on is not None, self.sms is not None)
        answers = self.fetcher.batch(wanted)
        self.totals.customers += len(answers)
        self.totals.skipped += sum(1 for answer in answers.values() if answer.failed)
        ids = [recipient.account_id for recipient in batch]
        seen = ledger.known(self.session, ids, EMAIL)
        seen_sms = ledger.known(self.session, ids, SMS) if self.sms is not None else set()
        for recipient in batch:
            answer = answers.get(recipient.customer_id)
            if answer is not None and not answer.failed:
                for event in self.new_for(recipient.account_id, recipient.kinds, answer, seen):
                    self.deliver(recipient, event)
                self.text(recipient, answer, seen_sms)

    def new_for(self, account_id: int, kinds: Subscribed, answer: Answers, seen: ledger.Known) -> Iterator[Event]:
        for kind, since in kinds.items():
            for event in found(kind, answer, self.horizon, self.opened_on):
                if (self.horizon.counts(event, since, local_day(since, self.zone))
                        and (account_id, kind, event.key) not in seen):
                    yield event

    def text(self, recipient: Recipient, answer: Answers, seen: ledger.Known) -> None:
        """The SMS reminders, when SMS is on and the ERP holds a phone number for the customer (none: no SMS)."""
        customer = answer.by_operation.get(PHONE_OPERATION)
        number = phone_number(customer.phone) if self.sms is not None and customer is not None else None
        if self.sms is None or number is None:
            return
        for event in self.new_for(recipient.account_id, recipient.sms_kinds, answer, seen):
            self.send_sms(self.sms, recipient.account_id, number, event)

    def send_sms(self, sms: SmsGateway, account_id: int, number: str, event: Event) -> None:
        """Claimed first, as an e-mail is. Refused: nothing went, so the claim is freed for the next run. No answer:
        it may have gone, so the claim stays (listed as stuck) and it is never sent again."""
        entry = ledger.claim(self.session, account_id, event.kind, event.key, SMS)
        if entry is None:
            return
        try:
            sms.send(number, sms_text(event))
        except SmsError as error:
            # The number is personal data: the line names the kind and the error's kind only.
            log.warning("notify: a %s SMS failed (%s)", event.kind, type(error).__name__)
            if not isinstance(error, SmsUnavailable):
                ledger.release(self.session, entry)
            self.totals.sms_failed += 1
            return
        ledger.mark_sent(self.session, entry)
        self.totals.sent += 1
        self.totals.sms_sent += 1

    def deliver(self, recipient: Recipient, event: Event) -> None:
        """Claimed first: another run holding it means this one does not send; a refusal frees it for the next."""
        entry = ledger.claim(self.session, recipient.account_id, event.kind, event.key, EMAIL)
        if entry is None:
            return
        try:
            send_reminder(recipient.account_id, recipient.email, event)
        except MailError:
            # Its text may name the address: the line says only which kind, and that it is tried again.
            log.warning("notify: a %s reminder was not taken by the mail server; the next run tries again", event.kind)
            ledger.release(self.session, entry)
            self.totals.refused += 1
            return
        ledger.mark_sent(self.session, entry)
        self.totals.sent += 1
