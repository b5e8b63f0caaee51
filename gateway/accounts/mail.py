"""E-mail to customers: over SMTP (STARTTLS, TLS or plain, with credentials) or, in the demo, into a folder."""

from __future__ import annotations

import smtplib
import ssl
import sys
from contextlib import AbstractContextManager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Any, Mapping

from flask import current_app
from flask_babel import force_locale

from gateway.clock import utcnow


class MailError(Exception):
    """The message could not be handed over; the text says why, fit for staff to read."""


def in_language(chosen: str | None) -> AbstractContextManager[None]:
    """Renders a mail or SMS to an account in the language its customer chose in the portal (Account.language):
    the utility's default for one who never chose, or chose one the portal no longer offers."""
    config = current_app.config
    return force_locale(chosen if chosen in config["LANGUAGES"] else str(config["BABEL_DEFAULT_LOCALE"]))


def build_message(to: str, subject: str, body: str, config: Mapping[str, Any],
                  headers: Mapping[str, str] | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    domain = parseaddr(str(config["MAIL_FROM"]))[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    for name, value in (headers or {}).items():  # e.g. a reminder's List-Unsubscribe (RFC 8058)
        message[name] = value
    message.set_content(body)
    return message


def send_mail(to: str, subject: str, body: str, headers: Mapping[str, str] | None = None) -> None:
    """Send one plain-text message with the configured backend; MailError if it was not accepted."""
    config = current_app.config
    message = build_message(to, subject, body, config, headers)
    backend = config["MAIL_BACKEND"]
    if backend == "folder":
        _write_to_folder(message, Path(config["MAIL_FOLDER"] or Path(current_app.instance_path) / "mail"))
    elif backend == "smtp":
        _send_smtp(message, config)
    else:
        raise MailError(f"unknown MAIL_BACKEND {backend!r}: use 'smtp' or 'folder'")


def _connect(config: Mapping[str, Any]) -> smtplib.SMTP:
    host, port, timeout = config["MAIL_SERVER"], int(config["MAIL_PORT"]), float(config["MAIL_TIMEOUT"])
    security = str(config["MAIL_SECURITY"]).lower()
    if security == "tls":
        return smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    if security not in ("starttls", "none"):
        raise MailError(f"unknown MAIL_SECURITY {security!r}: use 'starttls', 'tls' or 'none'")
    smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    except BaseException:
        smtp.close()
        raise
    return smtp


def _send_smtp(message: EmailMessage, config: Mapping[str, Any]) -> None:
    try:
        with _connect(config) as smtp:
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        code, reason = next(iter(error.recipients.values()))
        raise MailError(f"the mail server refused {message['To']}: {code} {_text(reason)}") from None
    except smtplib.SMTPResponseException as error:
        raise MailError(f"the mail server answered {error.smtp_code} {_text(error.smtp_error)}") from None
    except smtplib.SMTPException as error:
        raise MailError(f"the mail server {_where(config)} did not take the message: {error}") from None
    except OSError as error:
        raise MailError(f"cannot reach the mail server {_where(config)}: {error}") from None


def _where(config: Mapping[str, Any]) -> str:
    return f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"


def _text(reason: bytes | str) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


def _write_to_folder(message: EmailMessage, folder: Path) -> None:
    """The demo's mailbox: one .eml file per message, and the message on the console as well."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{utcnow():%Y%m%d-%H%M%S-%f}-{message['To'].split('@')[0]}.eml"
    path = folder / "".join(char if char.isalnum() or char in "-_." else "_" for char in name)
    path.write_bytes(bytes(message))
    print(f"--- e-mail written to {path} ---\n{readable(message)}--- end of e-mail ---", file=sys.stderr)


def readable(message: EmailMessage) -> str:
    """The message as a person reads it: headers decoded, the text itself rather than its quoted-printable or
    base64 transfer encoding, which breaks long links and Polish letters on a console."""
    headers = "".join(f"{name}: {message[name]}\n" for name in ("From", "To", "Subject", "Date") if message[name])
    text = message.get_content()
    return f"{headers}\n{text}" if text.endswith("\n") else f"{headers}\n{text}\n"
