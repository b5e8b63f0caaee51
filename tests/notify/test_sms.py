"""SMS reminders: each kind once by SMS beside its e-mail, to the ERP's phone number (none: no SMS), nothing while
SMS_ENABLED is off; texts formal, Polish, one GSM-7 part; a refusal tried again (not a number taken for none), a lost
answer never; the switches."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, Iterator

import pytest
import responses
from flask import render_template
from sqlalchemy import select

from adapters.core.records import Address, Customer
from fixtures.smsapi.app import create_smsapi
from gateway import clock
from gateway.app import create_app
from gateway.db.database import db
from gateway.db.models import AccountLink, ConsentRecord
from gateway.notify.events import Event
from gateway.notify.kinds import DUE_SOON, KINDS, NEW_INVOICE, OVERDUE, READING_WINDOW, REPLY, SMS
from gateway.notify.model import SENDING, SENT, UNDELIVERABLE, LedgerEntry, Subscription
from gateway.notify.sms import phone_number, sms_text
from tests.notify.conftest import ALL_KINDS, TODAY, HandMadeErp, news, run_once, switch_on
from tests.payments.fixtures import _forward
from tests.portal.test_register import informal_words
from tests.portal_fixtures import add_account

SMS_URL = "http://sms.test"
SMS_SETTINGS = {"SMS_ENABLED": True, "SMSAPI_URL": SMS_URL, "SMSAPI_TOKEN": "panel-token", "SMS_SENDER": "SWiK"}
OFF = " Wylaczenie SMS: Ustawienia w IBOK."
TEXTS = {
    "IBOK, Klient K-1: wystawilismy Panstwu fakture FV/00011/12/2026 na kwote 123,45 zl, platna do 19.12.2026." + OFF,
    "IBOK, Klient K-1: faktura FV/00013/12/2026 (do zaplaty 50,00 zl) jest platna do 12.12.2026." + OFF,
    "IBOK, Klient K-1: faktura FV/00015/12/2026 (do zaplaty 40,00 zl) nie zostala oplacona do 08.12.2026." + OFF,
    "IBOK, Klient K-1: moga Panstwo juz podac odczyt wodomierza w portalu." + OFF,
    "IBOK, Klient K-1: odpowiedzielismy na Panstwa wiadomosc (sprawa ZG/2026/00001); odpowiedz jest w portalu."
    + OFF,
}
# GSM 03.38's basic character set: a text of these alone goes as one 160-character part.
GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
           "abcdefghijklmnopqrstuvwxyzäöñüà")


def person(phone: str | None) -> Customer:
    return Customer("K-1", "Jan Kowalski", Address("Polna 1", "00-001", "Warszawa"), "jan@example.com", phone,
                    None, None, ())


@pytest.fixture
def config(config: dict[str, Any]) -> dict[str, Any]:
    return {**config, **SMS_SETTINGS}


@pytest.fixture
def erp() -> HandMadeErp:
    return HandMadeErp({"K-1": {**news(1), "get_customer": person("+48 600 100 200")}})


@pytest.fixture
def sim() -> Iterator[Any]:
    """The SMSAPI simulator behind `responses`; its control endpoints through the returned test client."""
    client = create_smsapi(token="panel-token").test_client()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.POST, re.compile(re.escape(SMS_URL) + "/.*"), callback=_forward(client))
        yield client


@pytest.fixture
def texting(notify_app: Any, customer: int) -> int:
    """kowalski with every kind on by e-mail and by SMS."""
    switch_on(notify_app, customer, ALL_KINDS, channel=SMS)
    return customer


def ledger_rows(app: Any) -> list[tuple[str, str]]:
    with app.app_context():
        return sorted((entry.channel, entry.state) for entry in db().scalars(select(LedgerEntry)))


def test_each_kind_goes_once_by_sms_beside_its_email(notify_app, erp, texting, sim, mailbox):
    first, second = run_once(notify_app, erp), run_once(notify_app, erp)
    sent = sim.get("/_smsapi/messages").get_json()
    assert {message["message"] for message in sent} == TEXTS and len(sent) == 5
    assert {(message["to"], message["from"]) for message in sent} == {("48600100200", "SWiK")}
    assert len(mailbox.received) == 5
    assert (first.sent, first.sms_sent, second.sent) == (10, 5, 0)
    assert ledger_rows(notify_app) == [("email", SENT)] * 5 + [("sms", SENT)] * 5


def test_no_phone_number_means_no_sms_and_no_error(notify_app, erp, texting, sim, mailbox):
    erp.data["K-1"]["get_customer"] = person(None)
    totals = run_once(notify_app, erp)
    assert sim.get("/_smsapi/messages").get_json() == []
    assert (totals.sent, totals.sms_failed, len(mailbox.received)) == (5, 0, 5)


def test_sms_switched_off_by_it_sends_none_and_asks_for_no_phone(config, notify_app, erp, texting, sim):
    off = create_app({**config, "READING_WINDOW_FIRST_DAY": 8, "READING_WINDOW_LAST_DAY": 14, "SMS_ENABLED": False},
                     billing=erp)
    assert run_once(off, erp).sent == 5
    assert sim.get("/_smsapi/messages").get_json() == []
    assert ("get_customer", "K-1") not in erp.calls


def test_only_sms_switched_on_sends_no_email(notify_app, erp, sim, mailbox):
    account = add_account(notify_app, login="nowak", customer_id="K-1", email="nowak@example.com")
    switch_on(notify_app, account, {NEW_INVOICE}, channel=SMS)
    assert run_once(notify_app, erp).sent == 1
    assert len(sim.get("/_smsapi/messages").get_json()) == 1 and mailbox.received == []


def test_a_linked_customers_sms_names_it_and_goes_to_the_accounts_own_phone(notify_app, erp, sim):
    office = Customer("K-2", "Wspólnota", Address("Lipowa 5", "45-002", "Opole"), None, "+48 77 400 20 00", None,
                      None, ())
    erp.data["K-2"] = {**news(2), "get_customer": office}
    account = add_account(notify_app, login="zarzadca", customer_id="K-1", email="biuro@example.com")
    with notify_app.app_context():
        db().add(AccountLink(account_id=account, customer_id="K-2"))
        db().commit()
    switch_on(notify_app, account, {NEW_INVOICE}, channel=SMS)
    assert run_once(notify_app, erp).sms_sent == 2
    sent = sim.get("/_smsapi/messages").get_json()
    assert {message["to"] for message in sent} == {"48600100200"}
    assert sorted(message["message"].split(" fakture ")[1].split()[0] for message in sent
                  if message["message"].startswith("IBOK, Klient K-2: ")) == ["FV/00021/12/2026"]


def test_a_number_the_gateway_takes_for_none_is_not_tried_again_for_the_same_reminder(notify_app, erp, texting, sim):
    sim.put("/_smsapi/failure", json={"error": 13})
    assert run_once(notify_app, erp).sms_failed == 5
    assert ledger_rows(notify_app) == [("email", SENT)] * 5 + [("sms", UNDELIVERABLE)] * 5
    sim.put("/_smsapi/failure", json={})
    totals = run_once(notify_app, erp)
    assert (totals.sms_sent, totals.sms_failed) == (0, 0)
    assert sim.get("/_smsapi/messages").get_json() == []


def test_a_refusal_is_tried_next_run_a_lost_answer_never(notify_app, erp, texting, sim):
    sim.put("/_smsapi/failure", json={"error": 103})
    assert run_once(notify_app, erp).sms_failed == 5
    assert ledger_rows(notify_app) == [("email", SENT)] * 5
    sim.put("/_smsapi/failure", json={"error": 1, "status": 503})
    assert run_once(notify_app, erp).sms_failed == 5
    sim.put("/_smsapi/failure", json={})
    assert run_once(notify_app, erp).sent == 0
    assert ledger_rows(notify_app) == [("email", SENT)] * 5 + [("sms", SENDING)] * 5
    assert sim.get("/_smsapi/messages").get_json() == []


def test_the_command_counts_the_sms_and_names_a_wrong_gateway(notify_app, erp, texting, sim, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    notify_app.config["NOTIFY_ERP_CALLS_PER_SECOND"] = 1000
    output = notify_app.test_cli_runner().invoke(args=["notify", "run"]).output
    assert output.strip() == ("10 reminders sent, 0 not taken by the mail server (tried again next run); 1 customers "
                              "asked, 0 skipped (the ERP failed for them); 5 of them by SMS, 0 SMS not sent")
    notify_app.config["SMS_GATEWAY"] = "smsapi-typo"
    wrong = notify_app.test_cli_runner().invoke(args=["notify", "run"])
    assert wrong.exit_code == 1 and "no SMS gateway named 'smsapi-typo'" in wrong.output


# A ten-digit customer number, as some ERPs have, in the longest texts.
LONG_CUSTOMER = "1234567890"
LONG: dict[str, dict[str, Any]] = {
    NEW_INVOICE: {"number": "FV/2026/12/000123/WR", "amount": Decimal("12345.67"), "due_on": date(2026, 12, 31)},
    DUE_SOON: {"number": "FV/2026/12/000123/WR", "amount": Decimal("12345.67"), "due_on": date(2026, 12, 31)},
    OVERDUE: {"number": "FV/2026/12/000123/WR", "amount": Decimal("12345.67"), "due_on": date(2026, 12, 31)},
    READING_WINDOW: {"serials": ["SW-1", "SW-2"]},
    REPLY: {"case_number": "ZG/2026/000123/BOK"},
}


def test_every_text_is_one_gsm7_part_even_with_long_numbers_and_formal(notify_app):
    with notify_app.app_context():
        for kind, facts in LONG.items():
            text = sms_text(Event(kind, "k", date(2026, 12, 10), facts), LONG_CUSTOMER)
            assert len(text) <= 160 and set(text) <= GSM7, text
            assert text.startswith(f"IBOK, Klient {LONG_CUSTOMER}: ") and text.endswith(OFF) and "http" not in text
            polish = render_template(KINDS[kind].sms_template, customer_id=LONG_CUSTOMER, **facts)
            assert informal_words(polish) == [], polish


@pytest.mark.parametrize(("phone", "number"), [
    ("+48 600 100 200", "48600100200"), ("600-100-200", "48600100200"), ("0048600100200", "48600100200"),
    ("+49 151 2345 6789", "4915123456789"), ("", None), (None, None),
])
def test_the_erps_phone_is_given_to_the_gateway_as_digits_with_the_country_code(phone, number):
    assert phone_number(phone) == number


def _sms_switches(page: str) -> dict[str, bool]:
    inputs = re.findall(r"<input ([^>]*type=\"checkbox\"[^>]*)>", page)
    return {re.findall(r'name="sms-(\w+)"', attrs)[0]: "checked" in attrs for attrs in inputs if 'name="sms-' in attrs}


def test_the_sms_switches_are_consents_of_their_own(signed_in, app):
    page = signed_in.get("/settings/").get_data(as_text=True)
    assert "Powiadomienia SMS" in page and _sms_switches(page) == dict.fromkeys(KINDS, False)
    answer = signed_in.post("/settings/sms-reminders", data={"sms-overdue": "y"}, follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "Zapisaliśmy Państwa wybór powiadomień SMS." in page and _sms_switches(page)["overdue"]
    assert "Zaległa płatność (SMS)</strong>:\n      udzielona" in page
    with app.app_context():
        rows = {(row.kind, row.channel) for row in db().scalars(select(Subscription))}
        documents = [record.document for record in db().scalars(select(ConsentRecord).where(
            ConsentRecord.document.like("sms-%")))]
    assert rows == {("overdue", "sms")} and documents == ["sms-zaleglosc"]


def test_without_sms_the_page_has_no_sms_switches(signed_in, app):
    app.config["SMS_ENABLED"] = False
    assert "Powiadomienia SMS" not in signed_in.get("/settings/").get_data(as_text=True)
    assert signed_in.post("/settings/sms-reminders", data={"sms-overdue": "y"}).status_code == 404
