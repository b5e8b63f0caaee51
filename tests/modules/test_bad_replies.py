"""A reply that does not fit the contract is a lasting fault on the utility's side: the customer is told so
(502, with the office's phone), IT reads the operation and the field in the log, `erp check` and `accounts
create`, and nobody ever reads the value."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from adapters.testing.fake import FakeBilling
from fixtures.simulator.store import DemoStore
from tests.portal.doubles import ScriptedBilling

SECRET = "SECRET-4711"
OWN_INVOICE = "INV-202611-00117"
SPOILT = {"get_invoice": ("grossAmount", SECRET), "get_customer": ("fullName", 4711),
          "get_settlements": ("balance", SECRET), "list_messages": ("messages", [{"id": SECRET}])}
FAULT = ("Wystąpił błąd po stronie systemu rozliczeniowego SWiK — zgłosiliśmy go. Prosimy spróbować później lub "
         "skontaktować się z biurem obsługi klienta, tel. +48 77 461 00 00.")


class Spoilt:
    """The demo ERP, except that one operation's reply has a field of the wrong type."""

    def __init__(self, store: DemoStore, operation: str) -> None:
        self.store, self.operation = store, operation

    def __getattr__(self, operation: str) -> Any:
        answer = getattr(self.store, operation)
        if operation != self.operation:
            return answer
        field, value = SPOILT[operation]
        return lambda *args: {**answer(*args), field: value}


@pytest.fixture
def spoilt() -> str:
    return "get_invoice"


@pytest.fixture
def billing(spoilt: str) -> ScriptedBilling:
    return ScriptedBilling(FakeBilling(Spoilt(DemoStore.load(), spoilt)))


@pytest.fixture
def config(config):
    return {**config, "UTILITY_PHONE": "+48 77 461 00 00"}


def test_the_customer_sees_a_fault_on_the_utilitys_side_and_the_log_names_the_field_not_the_value(kowalski, caplog):
    with caplog.at_level(logging.INFO):
        response = kowalski.get(f"/invoices/{OWN_INVOICE}")
    page = response.get_data(as_text=True)
    assert response.status_code == 502
    assert "Błąd systemu rozliczeniowego" in page and FAULT in page
    assert "kilka minut" not in page and "Retry-After" not in response.headers and SECRET not in page
    assert "ERP reply does not fit the contract: operation get_invoice, field grossAmount" in caplog.text
    assert SECRET not in caplog.text


@pytest.mark.parametrize("spoilt", ["get_settlements"])
def test_a_start_page_card_lost_to_such_a_reply_says_whose_fault_it_is(kowalski):
    response = kowalski.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Jan Kowalski" in page
    assert ("Saldo – nie można wyświetlić z powodu błędu po stronie systemu rozliczeniowego. Zgłosiliśmy go; "
            "prosimy spróbować później lub skontaktować się z biurem obsługi klienta.") in page
    assert "kilka minut" not in page and SECRET not in page


@pytest.mark.parametrize("spoilt", ["list_messages"])
def test_the_message_list_lost_to_such_a_reply_is_a_502_that_keeps_the_form(kowalski, caplog):
    with caplog.at_level(logging.INFO):
        response = kowalski.get("/messages/")
    page = response.get_data(as_text=True)
    assert response.status_code == 502 and "Retry-After" not in response.headers
    assert ("Państwa zgłoszenia – nie można wyświetlić z powodu błędu po stronie systemu rozliczeniowego. "
            "Zgłosiliśmy go; prosimy spróbować później lub skontaktować się z biurem obsługi klienta.") in page
    assert 'href="/messages/new"' in page
    assert "kilka minut" not in page and "nie odpowiada" not in page and SECRET not in page
    assert "ERP reply does not fit the contract: operation list_messages, field messages" in caplog.text
    assert SECRET not in caplog.text


def test_erp_check_names_the_operation_and_the_field(app):
    result = app.test_cli_runner().invoke(args=["erp", "check", "--customer", "K-1001"])
    assert result.exit_code == 1
    [line] = [line for line in result.output.splitlines() if line.startswith("failed")]
    assert line.split()[:2] == ["failed", "get_invoice"]
    assert line.endswith("ErpBadResponse: the reply does not fit the contract at grossAmount: Not a valid number.")
    assert "first: get_invoice: ErpBadResponse" in result.output and SECRET not in result.output


@pytest.mark.parametrize("spoilt", ["get_customer"])
def test_accounts_create_says_the_reply_does_not_fit_rather_than_try_later(app):
    result = app.test_cli_runner().invoke(args=["accounts", "create", "--customer", "K-1001"])
    assert result.exit_code == 1
    assert result.output == ("Error: the ERP's answer about 'K-1001' does not fit the contract: get_customer: "
                             "fullName: Not a valid string.\n")
