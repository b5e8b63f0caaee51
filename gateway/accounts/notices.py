"""The notice e-mailed after what signs a customer in has changed: the password or the account's e-mail address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import copy_current_request_context, current_app, render_template
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gateway.accounts import audit
from gateway.accounts.mail import MailError, in_language, send_mail
from gateway.db.database import db
from gateway.db.models import Account

# What changed, and the kind of action that changed it: the mail names both.
PASSWORD, EMAIL = "password", "email"
SETTINGS, RESET, OFFICE = "settings", "reset", "office"


@dataclass(frozen=True)
class Change:
    """What changed, through which action, and when (naive UTC, as the database keeps times)."""

    what: str
    via: str
    at: datetime


def _subject(change: Change) -> str:
    if change.what == PASSWORD:
        return _("Your password in the customer portal (IBOK) has been changed")
    return _("The e-mail address of your account in the customer portal (IBOK) has been changed")


def send_notice(account: Account, change: Change, previous_email: str | None = None) -> bool:
    """Sent once the change is stored, in the customer's language, to the account's address (or to the address it
    replaced): a mail server that is down leaves the change standing, logged without personal data and audited.
    The caller commits the audit."""
    to = previous_email or account.email
    with in_language(account.language):
        subject = _subject(change)
        # The old mailbox sees the new address as "n…@example.org": enough to recognise it, not to write to it.
        body = render_template("mail/credentials_changed.txt", account=account, change=change,
                               to_previous=previous_email is not None,
                               new_address=audit.masked_addresses(account.email))
    recipient = "previous address" if previous_email else "account address"
    try:
        send_mail(to, subject, body)
    except MailError as error:
        current_app.logger.error("notice of a %s change (%s) for account %d not sent to its %s: the mail server "
                                 "did not take it (the audit log has why)", change.what, change.via, account.id,
                                 recipient)
        audit.record("account.change_notice_failed", account, change=change.what, via=change.via,
                     recipient=recipient, error=str(error))
        return False
    audit.record("account.change_notice_sent", account, change=change.what, via=change.via, recipient=recipient)
    return True


def notice_after(response: Response, account_id: int, change: Change) -> None:
    """The customer's answer does not wait for the mail server: the notice goes once it is out, in a copy of the
    request."""

    @copy_current_request_context
    def send() -> None:
        account = db().get(Account, account_id)
        if account is not None:
            send_notice(account, change)
            db().commit()

    response.call_on_close(send)
