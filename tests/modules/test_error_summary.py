"""The error summary at the top of every form page: first in the content, focused on load, each problem linking
to its field in the order the page draws them, and a warning that needs a confirmation listed the same way."""

from __future__ import annotations

import uuid

import pytest
from lxml import html

from tests.portal_fixtures import PASSWORD, portal_day, sign_in

METER = "W-1001-2"  # last reading 214,209 m³ on 31.10.2026


def summary(response):
    """The summary's heading and its lines as (text, link) pairs; it must be the first thing in the content."""
    main = html.fromstring(response.get_data(as_text=True)).get_element_by_id("content")
    first = next(element for element in main if element.tag != "p" or "notice" not in element.get("class", ""))
    assert "error-summary" in first.get("class", "").split(), "the summary opens the page's content"
    assert first.get("tabindex") == "-1" and first.get("autofocus") is not None
    lines = [(" ".join(item.text_content().split()), item.find("a").get("href") if item.find("a") is not None else None)
             for item in first.iter("li")]
    return first.find(".//h2").text_content().strip(), lines


def test_a_failed_sign_in_is_summarised_once(client, make_account):
    make_account()
    response = sign_in(client, password="not-the-password")
    assert summary(response) == ("Wystąpił problem", [("Nieprawidłowy login lub hasło.", None)])
    assert response.get_data(as_text=True).count("Nieprawidłowy login lub hasło.") == 1


def test_an_empty_sign_in_names_and_links_both_fields(client):
    """Each line names its field: "This field is required." twice would not say which."""
    response = client.post("/sign-in", data={"login": "", "password": ""})
    assert summary(response) == ("Wystąpił problem", [("Login: To pole jest wymagane.", "#login"),
                                                      ("Hasło: To pole jest wymagane.", "#password")])


def test_an_empty_reading_links_to_the_value(kowalski):
    response = kowalski.post(f"/readings/{METER}", data={"reading_date": portal_day(kowalski.application, -1),
                                                         "value": "", "idempotency_key": str(uuid.uuid4())})
    assert summary(response) == ("Wystąpił problem", [("Wskazanie wodomierza (m³): To pole jest wymagane.", "#value")])


def test_a_reading_far_above_the_usual_is_a_warning_linking_to_the_confirmation(kowalski):
    response = kowalski.post(f"/readings/{METER}", data={"reading_date": portal_day(kowalski.application, -1),
                                                         "value": "9000,000", "idempotency_key": str(uuid.uuid4())})
    heading, lines = summary(response)
    assert heading == "Prosimy sprawdzić przed wysłaniem"
    assert len(lines) == 1 and lines[0][1] == "#confirm"
    assert lines[0][0].startswith("To wskazanie jest znacznie wyższe niż zwykle dla tego wodomierza")


def test_a_rule_broken_by_the_date_links_to_the_date(kowalski):
    response = kowalski.post(f"/readings/{METER}", data={"reading_date": "2026-10-31", "value": "214,300",
                                                         "idempotency_key": str(uuid.uuid4())})
    heading, lines = summary(response)
    assert heading == "Wystąpił problem" and [link for _, link in lines] == ["#reading_date"]


def test_a_reading_for_a_meter_out_of_service_is_summarised_without_a_form(kowalski):
    response = kowalski.post("/readings/W-1001-1", data={"reading_date": portal_day(kowalski.application, -1),
                                                         "value": "2100,000", "idempotency_key": str(uuid.uuid4())})
    assert summary(response) == ("Wystąpił problem", [("Odczyt można zgłosić tylko dla czynnego wodomierza.", None)])
    assert 'name="value"' not in response.get_data(as_text=True)


def test_a_message_without_subject_and_text_says_it_was_not_sent_and_links_to_both(kowalski):
    response = kowalski.post("/messages/new", data={"kind": "complaint", "subject": "", "body": "",
                                                    "idempotency_key": str(uuid.uuid4())})
    assert summary(response) == ("Wystąpił problem", [
        ("Zgłoszenie nie zostało wysłane. Prosimy poprawić zaznaczone pola.", None),
        ("Temat: To pole jest wymagane.", "#subject"), ("Treść zgłoszenia: To pole jest wymagane.", "#body")])


def test_the_first_sign_in_lists_the_terms_before_the_password_as_the_page_does(client, make_account):
    make_account(login="nowy", customer_id="K-1003", one_time=True, terms=False, email="piotr.nowy@example.com")
    sign_in(client, login="nowy")
    response = client.post("/welcome", data={"new_password": "", "confirm_password": ""})
    _, lines = summary(response)
    assert [link for _, link in lines] == ["#accept_regulamin_ibok", "#accept_regulamin_e_faktury",
                                           "#new_password", "#confirm_password"]


def test_a_settings_password_change_with_a_wrong_repetition_links_to_it(signed_in):
    response = signed_in.post("/settings/password", data={
        "current_password": PASSWORD, "new_password": "Zupełnie nowe hasło do IBOK", "confirm_password": "inne"})
    assert summary(response) == ("Wystąpił problem",
                                 [("Powtórzenie nowego hasła: Hasła nie są takie same.", "#confirm_password")])


@pytest.mark.parametrize("path", ["/password-reset", "/sign-in"])
def test_a_page_without_problems_has_no_summary(client, path):
    assert "error-summary" not in client.get(path).get_data(as_text=True)
