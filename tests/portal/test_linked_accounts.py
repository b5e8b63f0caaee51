"""One login, several customer numbers: `flask accounts link`, the header's switcher, the start page's balances."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import delete, event, select

from adapters.core.errors import ErpUnavailable
from adapters.testing.fake import FakeBilling
from fixtures.simulator.store import DemoStore
from gateway.app import create_app
from gateway.db.database import db, engine_of
from gateway.db.models import Account, AccountLink, AuditEntry, ConsentRecord
from gateway.outbox.model import OutboxItem
from tests.portal.doubles import ScriptedBilling
from tests.portal_fixtures import sign_in

BAKERY = "K-1004"
BAKERY_INVOICE = "FV/00153/11/2026"  # the bakery's newest, INV-202611-00153


class OneCustomerDown(ScriptedBilling):
    """The ERP failing only for the customers listed in `down`."""

    def __init__(self, inner):
        super().__init__(inner)
        self.down: set[str] = set()

    def _call(self, operation, *args):
        if args and args[0] in self.down:
            self.calls.append((operation, args))
            raise ErpUnavailable(operation, "down")
        return super()._call(operation, *args)


@pytest.fixture(scope="module")
def erp():
    return OneCustomerDown(FakeBilling(DemoStore.load()))


@pytest.fixture(scope="module")
def linked_app(databases, smtp_server, erp):
    """One portal per module and backend (a port passed in is not cached): each test empties its tables (`app`)."""
    app = create_app({"PROFILE": "testing", "DATABASE_URL": databases.new(), "MAIL_PORT": smtp_server.port},
                     billing=erp)
    yield app
    engine_of(app).dispose()


@pytest.fixture
def app(linked_app, erp):
    """The module's portal without the accounts, links, audit entries and writes of earlier tests; the ERP up."""
    erp.down.clear()
    erp.calls.clear()
    with linked_app.app_context():
        for table in (AccountLink, ConsentRecord, OutboxItem, AuditEntry, Account):
            db().execute(delete(table))
        db().commit()
    return linked_app


@pytest.fixture
def billing(app, erp):
    return erp


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["accounts", *args])


@pytest.fixture
def manager(app, make_account, run):
    """kowalski (K-1001) with the bakery linked, signed in."""
    make_account()
    assert run("link", "kowalski", "--customer", BAKERY, "--invoice", BAKERY_INVOICE).exit_code == 0
    client = app.test_client()
    assert sign_in(client).status_code == 302
    return client


def _audit(app, action):
    with app.app_context():
        entries = db().scalars(select(AuditEntry).where(AuditEntry.action == action))
        return [json.loads(entry.detail) for entry in entries]


def test_link_checks_the_customer_and_invoice_as_create_does_and_is_audited(app, make_account, run):
    make_account()
    assert "the ERP has no customer 'K-9999'" in run("link", "kowalski", "--customer", "K-9999").output
    wrong = run("link", "kowalski", "--customer", BAKERY, "--invoice", "FV/00117/11/2026")
    assert wrong.exit_code == 1 and "customer 'K-1004' has no invoice 'FV/00117/11/2026'" in wrong.output
    result = run("link", "kowalski", "--customer", BAKERY, "--invoice", BAKERY_INVOICE)
    assert result.exit_code == 0 and "linked customer K-1004 to kowalski" in result.output
    assert _audit(app, "account.linked") == [{"customer_id": "K-1004"}]
    assert "already shows customer K-1004" in run("link", "kowalski", "--customer", BAKERY).output
    assert "already shows customer K-1001" in run("link", "kowalski", "--customer", "K-1001").output


def test_list_shows_links_and_finds_an_account_by_a_linked_customer(make_account, run):
    make_account()
    run("link", "kowalski", "--customer", BAKERY)
    listed = run("list", "--customer", BAKERY).output.splitlines()
    assert listed[0].startswith("kowalski") and "K-1001" in listed[0]
    assert listed[1].split()[:2] == ["K-1004", "linked"]
    assert run("list", "--customer", "K-1002").output == ""


def test_unlink_removes_only_an_existing_link(app, make_account, run):
    make_account()
    assert "is not linked to customer 'K-1004'" in run("unlink", "kowalski", "--customer", BAKERY).output
    run("link", "kowalski", "--customer", BAKERY)
    assert run("unlink", "kowalski", "--customer", BAKERY).output == "unlinked customer K-1004 from kowalski\n"
    assert _audit(app, "account.unlinked") == [{"customer_id": "K-1004"}]
    assert "K-1004" not in run("list").output


def test_an_account_without_links_has_no_switcher_and_cannot_switch(app, make_account):
    make_account()
    client = app.test_client()
    sign_in(client)
    assert 'name="customer"' not in client.get("/").get_data(as_text=True)
    assert client.post("/customer", data={"customer": BAKERY}).status_code == 404
    assert client.post("/customer", data={"customer": "K-1001"}).status_code == 302


def test_switching_shows_the_linked_customers_pages(manager):
    page = manager.get("/").get_data(as_text=True)
    assert '<option value="K-1004">K-1004</option>' in page and "Jan Kowalski" in page
    assert "FV/00117/11/2026" in manager.get("/invoices/").get_data(as_text=True), "K-1001's list, now kept"
    assert manager.post("/customer", data={"customer": BAKERY}).location == "/"
    page = manager.get("/").get_data(as_text=True)
    assert "Piekarnia „Pod Młynem” sp. z o.o." in page and "Jan Kowalski" not in page
    assert '<option value="K-1004" selected>' in page
    invoices = manager.get("/invoices/").get_data(as_text=True)
    assert BAKERY_INVOICE in invoices and "FV/00117/11/2026" not in invoices
    assert manager.get("/invoices/INV-202611-00117").status_code == 404, "K-1001's invoice while K-1004 is shown"
    assert manager.get("/invoices/INV-202611-00153").status_code == 200


def test_switching_to_a_customer_not_linked_is_404_and_changes_nothing(manager):
    manager.post("/customer", data={"customer": BAKERY})
    assert manager.post("/customer", data={"customer": "K-1002"}).status_code == 404
    assert manager.post("/customer", data={}).status_code == 404
    assert "Piekarnia" in manager.get("/").get_data(as_text=True)


def test_a_removed_link_ends_access_on_the_next_request_and_says_so(manager, run):
    manager.post("/customer", data={"customer": BAKERY})
    run("unlink", "kowalski", "--customer", BAKERY)
    page = manager.get("/invoices/").get_data(as_text=True)
    assert "Nie mają już Państwo dostępu do numeru klienta K-1004" in page
    assert "FV/00117/11/2026" in page and BAKERY_INVOICE not in page
    assert manager.get("/invoices/INV-202611-00153").status_code == 404


def test_the_start_page_lists_every_linked_customers_balance(manager):
    page = manager.get("/").get_data(as_text=True)
    table = page[page.index('id="linked-heading"'):page.index("</table>")]
    assert "K-1001" in table and "ul. Klonowa 7" in table and "183,15 zł" in table
    assert 'value="K-1004"' in table and "ul. Młyńska 2" in table and "nadpłata 250,00 zł" in table


def test_a_linked_customer_the_erp_cannot_answer_for_gets_a_line_of_its_own(manager, billing):
    billing.down.add(BAKERY)
    page = manager.get("/").get_data(as_text=True)
    table = page[page.index('id="linked-heading"'):page.index("</table>")]
    assert "183,15 zł" in table
    assert "System rozliczeniowy nie odpowiada w sprawie tego numeru klienta" in table


def test_a_switched_sessions_audit_entries_name_the_customer_shown(app, manager):
    manager.post("/customer", data={"customer": BAKERY})
    assert _audit(app, "account.customer_chosen") == [{"customer_id": "K-1004"}]


def test_an_account_without_links_costs_one_query_per_page(app, make_account):
    make_account()
    client = app.test_client()
    sign_in(client)
    statements: list[str] = []
    engine = engine_of(app)
    listener = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, …)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get("/invoices/").status_code == 200
        assert client.get("/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    reading_accounts = [s for s in statements if "account_links" in s or "FROM accounts" in s]
    assert len(reading_accounts) == 2, statements  # one per request: the account with its links, joined


def test_an_e_invoice_switch_in_a_switched_session_is_the_shown_customers_write(app, manager):
    manager.post("/customer", data={"customer": BAKERY})
    response = manager.post("/settings/e-invoice", data={"disable": "1", "idempotency_key": str(uuid.uuid4())})
    assert response.status_code == 302
    with app.app_context():
        (item,) = db().scalars(select(OutboxItem))
        assert item.customer_id == BAKERY


def test_deleting_an_account_deletes_its_links(app, make_account, run):
    make_account()
    run("link", "kowalski", "--customer", BAKERY)
    assert run("delete", "kowalski", "--yes").exit_code == 0
    with app.app_context():
        assert db().scalars(select(AccountLink)).all() == []
