"""Nothing twice: two runs at once send one e-mail, and a run killed between its claim and its e-mail never sends
it again but leaves it listed as stuck."""

from __future__ import annotations

import threading
from typing import Any

from gateway.db.database import db
from gateway.notify import ledger
from gateway.notify.kinds import EMAIL
from tests.notify.conftest import run_once, switch_on
from tests.portal_fixtures import add_account


def test_two_overlapping_runs_send_one_email(notify_app, erp, mailbox):
    account_id = add_account(notify_app, login="kowalski", customer_id="K-1", email="jan@example.com")
    switch_on(notify_app, account_id, {"new_invoice"})
    erp.barrier = threading.Barrier(2)  # neither run claims before both have read the same invoice list
    results: list[Any] = []
    runs = [threading.Thread(target=lambda: results.append(run_once(notify_app, erp))) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=30)
    assert len(erp.calls) == 2 and len(results) == 2
    assert sorted(totals.sent for totals in results) == [0, 1]
    assert [mail["Subject"] for mail in mailbox.received] == [
        "Nowa faktura w Internetowym Biurze Obsługi Klienta (IBOK)"]


def test_a_run_killed_after_its_claim_never_sends_it_and_it_is_listed_as_stuck(notify_app, erp, mailbox):
    account_id = add_account(notify_app, login="kowalski", customer_id="K-1", email="jan@example.com")
    switch_on(notify_app, account_id, {"new_invoice"})
    with notify_app.app_context():  # what a run killed before its e-mail leaves: the claim alone
        assert ledger.claim(db(), account_id, "K-1", "new_invoice", "INV-11", EMAIL) is not None
    assert run_once(notify_app, erp).sent == 0 and mailbox.received == []
    notify_app.config["NOTIFY_STUCK_MINUTES"] = 0
    listed = notify_app.test_cli_runner().invoke(args=["notify", "list", "--stuck"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.strip().splitlines()
    assert lines[-1] == "1 stuck" and lines[0].endswith("  kowalski  K-1  new_invoice  INV-11")


def test_a_fresh_claim_is_not_yet_stuck_and_the_counts_show_it(notify_app, erp, customer):
    with notify_app.app_context():
        ledger.claim(db(), customer, "K-1", "new_invoice", "INV-99", EMAIL)
    runner = notify_app.test_cli_runner()
    assert runner.invoke(args=["notify", "list", "--stuck"]).output.strip() == "0 stuck"
    counts = runner.invoke(args=["notify", "list"]).output.split()
    assert counts == ["new_invoice", "sending", "1"]
