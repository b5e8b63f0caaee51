"""Polish plural forms wherever a number meets a noun: "1 faktura", "3 faktury", "5 faktur", "22 faktury"."""

from __future__ import annotations

import pytest
from flask import render_template
from flask_babel import force_locale, ngettext

from gateway.accounts.passwords import password_problems
from gateway.db.models import Account

# (singular, plural) source texts and what Polish makes of them for 1, 3, 5, 22 and 25 (and 12, the exception).
FORMS = [
    (("%(num)d invoice found. Page %(number)d of %(pages)d.", "%(num)d invoices found. Page %(number)d of %(pages)d."),
     {1: "Znaleziono 1 fakturę.", 3: "Znaleziono 3 faktury.", 5: "Znaleziono 5 faktur.",
      22: "Znaleziono 22 faktury.", 25: "Znaleziono 25 faktur.", 12: "Znaleziono 12 faktur."}),
    (("the last %(num)d reading", "the last %(num)d readings"),
     {1: "ostatni 1 odczyt", 3: "ostatnie 3 odczyty", 5: "ostatnich 5 odczytów", 22: "ostatnie 22 odczyty",
      25: "ostatnich 25 odczytów", 12: "ostatnich 12 odczytów"}),
    (("Up to %(num)d character.", "Up to %(num)d characters."),
     {1: "Najwyżej 1 znak.", 3: "Najwyżej 3 znaki.", 5: "Najwyżej 5 znaków.", 22: "Najwyżej 22 znaki.",
      25: "Najwyżej 25 znaków.", 12: "Najwyżej 12 znaków."}),
    (("You can attach at most %(num)d file.", "You can attach at most %(num)d files."),
     {1: "najwyżej 1 plik.", 3: "najwyżej 3 pliki.", 5: "najwyżej 5 plików.", 22: "najwyżej 22 pliki.",
      25: "najwyżej 25 plików.", 12: "najwyżej 12 plików."}),
    (("To set a new password, open this link within %(num)d minute. It works only once:",
      "To set a new password, open this link within %(num)d minutes. It works only once:"),
     {1: "w ciągu 1 minuty.", 3: "w ciągu 3 minut.", 5: "w ciągu 5 minut.", 22: "w ciągu 22 minut.",
      25: "w ciągu 25 minut.", 12: "w ciągu 12 minut."}),
    (("The one-time password is valid for %(num)d day. After signing in you will set your own password.",
      "The one-time password is valid for %(num)d days. After signing in you will set your own password."),
     {1: "przez 1 dzień.", 3: "przez 3 dni.", 5: "przez 5 dni.", 22: "przez 22 dni.", 25: "przez 25 dni.",
      12: "przez 12 dni."}),
]


@pytest.mark.parametrize(("source", "expected"), FORMS, ids=[source[0][:24] for source, _ in FORMS])
def test_the_catalogue_gives_each_count_its_polish_form(app, source, expected):
    with app.test_request_context(), force_locale("pl"):
        for count, text in expected.items():
            assert text in ngettext(*source, count, number=1, pages=1), count


def test_the_invoice_list_counts_in_polish(kowalski):
    """K-1001 has 63 invoices: 63 ends in 3 (and not 13), so "faktury"."""
    page = kowalski.get("/invoices/").get_data(as_text=True)
    assert "Znaleziono 63 faktury." in page


@pytest.mark.parametrize(("files", "text"), [
    (1, "najwyżej 1 plik do"), (3, "najwyżej 3 pliki, każdy do"), (5, "najwyżej 5 plików, każdy do")])
def test_the_message_form_counts_files_in_polish(app, kowalski, files, text):
    app.config["MESSAGE_ATTACHMENT_MAX_FILES"] = files
    page = kowalski.get("/messages/new").get_data(as_text=True)
    assert text in page
    assert "Najwyżej 200 znaków." in page and "Najwyżej 5000 znaków." in page


@pytest.mark.parametrize(("minimum", "text"), [
    (2, "co najmniej 2 znaki."), (5, "co najmniej 5 znaków."), (22, "co najmniej 22 znaki.")])
def test_password_length_is_counted_in_polish(app, minimum, text):
    app.config["PASSWORD_MIN_LENGTH"] = minimum
    with app.test_request_context(), force_locale("pl"):
        assert text in str(password_problems("x"))


@pytest.mark.parametrize(("days", "text"), [(1, "ważne przez 1 dzień."), (14, "ważne przez 14 dni.")])
def test_the_one_time_password_mail_counts_days_in_polish(app, days, text):
    account = Account(login="kowalski", customer_id="K-1001", email="jan.kowalski@example.com")
    with app.test_request_context(), force_locale("pl"):
        mail = render_template("mail/account_created.txt", account=account, password="Start-IBOK-2026", days=days)
    assert text in mail
