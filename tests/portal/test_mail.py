"""E-mail: SMTP in production and tests, a folder of .eml files (and the console) in the demo."""

from __future__ import annotations

import email
from email import policy

import pytest

from gateway.accounts.mail import MailError, send_mail


def test_smtp_delivers_a_plain_text_utf8_message(app, mailbox):
    with app.app_context():
        send_mail("klient@example.com", "Zażółć gęślą jaźń", "Treść z ogonkami: ąćęłńóśźż")
    (message,) = mailbox.received
    assert message["Subject"] == "Zażółć gęślą jaźń"
    assert message["From"] == "IBOK SWiK <ibok@swik.com.pl>"
    assert message["Message-ID"].endswith("@swik.com.pl>")
    assert message.get_content().strip() == "Treść z ogonkami: ąćęłńóśźż"


def test_the_folder_backend_writes_eml_files_and_prints_them(app, tmp_path, capsys):
    app.config.update(MAIL_BACKEND="folder", MAIL_FOLDER=str(tmp_path / "mail"))
    with app.app_context():
        send_mail("klient@example.com", "Temat", "Treść")
    (path,) = (tmp_path / "mail").glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"] == "klient@example.com" and message.get_content().strip() == "Treść"
    assert str(path) in capsys.readouterr().err


def test_the_folder_defaults_to_instance_mail(app, config, billing):
    from gateway.app import create_app

    demo = create_app({**config, "PROFILE": "demo", "MAIL_FOLDER": ""}, billing=billing)
    assert demo.config["MAIL_BACKEND"] == "folder"
    assert demo.instance_path.endswith("instance")


@pytest.mark.parametrize(("key", "value", "message"), [
    ("MAIL_BACKEND", "pigeon", "unknown MAIL_BACKEND 'pigeon'"),
    ("MAIL_SECURITY", "maybe", "unknown MAIL_SECURITY 'maybe'"),
])
def test_misconfiguration_is_named_clearly(app, key, value, message):
    app.config[key] = value
    with app.app_context(), pytest.raises(MailError, match=message):
        send_mail("klient@example.com", "Temat", "Treść")


def test_starttls_to_a_server_without_it_fails_clearly(app):
    app.config["MAIL_SECURITY"] = "starttls"
    with app.app_context(), pytest.raises(MailError, match="did not take the message: STARTTLS extension"):
        send_mail("klient@example.com", "Temat", "Treść")


def test_credentials_are_offered_when_configured(app, mailbox):
    app.config.update(MAIL_USERNAME="ibok", MAIL_PASSWORD="secret")
    with app.app_context(), pytest.raises(MailError, match="did not take the message: SMTP AUTH extension"):
        # The test server offers no AUTH over plain text, so smtplib refuses to log in: proof it tried.
        send_mail("klient@example.com", "Temat", "Treść")
    assert mailbox.received == []
