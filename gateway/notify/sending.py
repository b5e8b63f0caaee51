"""One reminder e-mail: its text from templates/mail/, the unsubscribe link in the text and in the headers."""

from __future__ import annotations

from flask import render_template

from gateway.accounts.mail import in_language, send_mail
from gateway.notify.events import Event
from gateway.notify.kinds import KINDS
from gateway.notify.tokens import unsubscribe_link


def send_reminder(account_id: int, email: str, event: Event, customer_id: str, premise: str | None = None,
                  language: str | None = None) -> None:
    """In the language the customer chose (Account.language; None: the utility's default). It names the customer
    number (and the premise's address when known), so an account showing several customers knows which one.
    MailError when the mail server did not take it. RFC 8058: a mail client may offer one-click unsubscribe from
    the headers."""
    kind = KINDS[event.kind]
    link = unsubscribe_link(account_id, event.kind)
    with in_language(language):
        subject = str(kind.subject)
        body = render_template(kind.template, link=link, kind_label=kind.label, customer_id=customer_id,
                               premise=premise, **event.facts)
    headers = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    send_mail(email, subject, body, headers)
