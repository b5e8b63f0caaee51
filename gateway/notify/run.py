"""`flask notify run`'s work: the customers accounts with a kind switched on show, in batches; the ERP asked once per
customer for what its accounts' kinds need; each new reminder claimed in the ledger, sent, and marked sent."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Iterator, Mapping
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy.orm import Session

from adapters.sms.errors import SmsBadNumber, SmsError, SmsUnavailable
from adapters.sms.port import SmsGateway
from gateway.accounts.mail import MailError
from gateway.notify import events, ledger
from gateway.notify.audience import Recipient, Subscribed, recipients
from gateway.notify.events import Event, Horizon
from gateway.notify.fetch import Answers, Fetcher
from gateway.notify.kinds import (
    CUSTOMER_OPERATION,
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
from gateway.notify.schedule import window_opened_on
from gateway.notify.sending import send_reminder
from gateway.notify.sms import phone_number, sms_gateway, sms_text

log = logging.getLogger(__name__)


@dataclass
class Totals:
    customers: int = 0
    skipped: int = 0
    sent: int = 0
    refused: int = 0
    sms_sent: int = 0
    sms_failed: int = 0


def needs(batch: list[Recipient], window_open: bool, sms_on: bool) -> dict[str, set[str]]:
    """Per customer, the reads its accounts' kinds need (SMS ones only with SMS on, and then the phone number of
    the account's own customer too); no meters outside a reading window. An account showing several customers
    also reads each one's premises, so its mail can name the building."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for recipient in batch:
        kinds = (set(recipient.kinds) | (set(recipient.sms_kinds) if sms_on else set())) - \
            (set() if window_open else {READING_WINDOW})
        if not kinds:
            continue
        wanted[recipient.customer_id] |= operations_for(kinds)
        if recipient.several:
            wanted[recipient.customer_id].add(CUSTOMER_OPERATION)
        if sms_on and kinds & set(recipient.sms_kinds):
            wanted[recipient.own_customer_id].add(PHONE_OPERATION)
    return dict(wanted)


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
        answers = self.fetcher.batch(needs(batch, self.opened_on is not None, self.sms is not None))
        # An own customer asked only for its phone (its batch is another) is not counted as asked about.
        customers = {recipient.customer_id for recipient in batch} & set(answers)
        self.totals.customers += len(customers)
        self.totals.skipped += sum(1 for customer in customers if answers[customer].failed)
        ids = {recipient.account_id for recipient in batch}
        seen = ledger.known(self.session, ids, EMAIL)
        seen_sms = ledger.known(self.session, ids, SMS) if self.sms is not None else set()
        for recipient in batch:
            answer = answers.get(recipient.customer_id)
            if answer is not None and not answer.failed:
                premises = answer.by_operation.get(CUSTOMER_OPERATION)
                for event in self.new_for(recipient, recipient.kinds, answer, seen):
                    self.deliver(recipient, event, events.premise_line(premises, event))
                self.text(recipient, answer, answers.get(recipient.own_customer_id), seen_sms)

    def new_for(self, recipient: Recipient, kinds: Subscribed, answer: Answers, seen: ledger.Known) -> Iterator[Event]:
        for kind, since in kinds.items():
            for event in found(kind, answer, self.horizon, self.opened_on):
                if (self.horizon.counts(event, since, local_day(since, self.zone))
                        and (recipient.account_id, recipient.customer_id, kind, event.key) not in seen):
                    yield event

    def text(self, recipient: Recipient, answer: Answers, own: Answers | None, seen: ledger.Known) -> None:
        """The SMS reminders, when SMS is on and the ERP holds a phone number for the account's own customer (none:
        no SMS). A linked customer's SMS goes to that number too: the account's holder switched it on, not
        whoever the ERP lists for the linked customer."""
        customer = own.by_operation.get(PHONE_OPERATION) if own is not None and not own.failed else None
        number = phone_number(customer.phone) if self.sms is not None and customer is not None else None
        if self.sms is None or number is None:
            return
        for event in self.new_for(recipient, recipient.sms_kinds, answer, seen):
            self.send_sms(self.sms, recipient, number, event)

    def send_sms(self, sms: SmsGateway, recipient: Recipient, number: str, event: Event) -> None:
        """Claimed first, as an e-mail is. Refused: nothing went, so the claim is freed for the next run, unless the
        number is none (kept undeliverable). No answer: it may have gone, so the claim stays (listed as stuck) and it
        is never sent again."""
        entry = ledger.claim(self.session, recipient.account_id, recipient.customer_id, event.kind, event.key, SMS)
        if entry is None:
            return
        try:
            sms.send(number, sms_text(event, recipient.customer_id, recipient.language))
        except SmsError as error:
            # The number is personal data: the line names the kind and the error's kind only.
            log.warning("notify: a %s SMS failed (%s)", event.kind, type(error).__name__)
            if isinstance(error, SmsBadNumber):
                ledger.mark_undeliverable(self.session, entry)
            elif not isinstance(error, SmsUnavailable):
                ledger.release(self.session, entry)
            self.totals.sms_failed += 1
            return
        ledger.mark_sent(self.session, entry)
        self.totals.sent += 1
        self.totals.sms_sent += 1

    def deliver(self, recipient: Recipient, event: Event, premise: str | None) -> None:
        """Claimed first: another run holding it means this one does not send; a refusal frees it for the next."""
        entry = ledger.claim(self.session, recipient.account_id, recipient.customer_id, event.kind, event.key, EMAIL)
        if entry is None:
            return
        try:
            send_reminder(recipient.account_id, recipient.email, event, recipient.customer_id, premise,
                          recipient.language)
        except MailError:
            # Its text may name the address: the line says only which kind, and that it is tried again.
            log.warning("notify: a %s reminder was not taken by the mail server; the next run tries again", event.kind)
            ledger.release(self.session, entry)
            self.totals.refused += 1
            return
        ledger.mark_sent(self.session, entry)
        self.totals.sent += 1
