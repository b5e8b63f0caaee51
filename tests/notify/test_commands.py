"""`flask notify run` as cron starts it, and `flask retention purge` deleting ledger rows past their age."""

from __future__ import annotations

import configparser
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from gateway import clock
from gateway.cli import retention
from gateway.db.database import db
from gateway.notify.model import SENT, LedgerEntry
from tests.notify.conftest import TODAY

PURGE_NOW = datetime(2026, 12, 10, 12, 0)


def test_the_command_sends_what_is_new_and_says_how_it_went(notify_app, customer, mailbox, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    notify_app.config["NOTIFY_ERP_CALLS_PER_SECOND"] = 1000
    runner = notify_app.test_cli_runner()
    first = runner.invoke(args=["notify", "run"])
    assert first.exit_code == 0, first.output
    assert first.output.strip() == ("5 reminders sent, 0 not taken by the mail server (tried again next run); "
                                    "1 customers asked, 0 skipped (the ERP failed for them)")
    assert runner.invoke(args=["notify", "run"]).output.startswith("0 reminders sent")
    assert len(mailbox.received) == 5


def _ledger(app, customer: int, ages: dict[str, float]) -> None:
    with app.app_context():
        for key, days in ages.items():
            db().add(LedgerEntry(account_id=customer, customer_id="K-1", kind="new_invoice", key=key, channel="email",
                                 state=SENT, claimed_at=PURGE_NOW - timedelta(days=days)))
        db().commit()


def test_the_purge_deletes_ledger_rows_older_than_their_age(notify_app, customer, monkeypatch):
    monkeypatch.setattr(retention, "utcnow", lambda: PURGE_NOW)
    _ledger(notify_app, customer, {"a-year-old": 365, "just-too-old": 180.01, "just-young-enough": 179.99})
    result = notify_app.test_cli_runner().invoke(args=["retention", "purge"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("and 2 reminder ledger rows older than 180 days")
    with notify_app.app_context():
        assert list(db().scalars(select(LedgerEntry.key))) == ["just-young-enough"]


@pytest.mark.parametrize("days", [15, 0, "180"])
def test_a_ledger_age_within_the_look_back_is_refused_so_no_reminder_could_go_again(notify_app, customer, days):
    notify_app.config["NOTIFY_LEDGER_RETENTION_DAYS"] = days
    _ledger(notify_app, customer, {"a-year-old": 365})
    result = notify_app.test_cli_runner().invoke(args=["retention", "purge"])
    assert result.exit_code == 1 and "NOTIFY_LEDGER_RETENTION_DAYS" in result.output and "at least 16" in result.output
    with notify_app.app_context():
        assert list(db().scalars(select(LedgerEntry.key))) == ["a-year-old"]


def test_the_systemd_unit_starts_the_run_and_its_timer_runs_hourly_by_day(notify_app):
    systemd = Path(__file__).resolve().parents[2] / "config" / "systemd"
    service = configparser.ConfigParser(interpolation=None, strict=False)
    service.read(systemd / "ibok-notify.service")
    words = service["Service"]["ExecStart"].split()
    assert words[0] == "/srv/ibok/.venv/bin/flask" and words[1:] == ["--app", "gateway", "notify", "run"]
    assert service["Service"]["User"] == "ibok" and service["Service"]["Type"] == "oneshot"
    assert notify_app.test_cli_runner().invoke(args=[*words[3:], "--help"]).exit_code == 0
    timer = configparser.ConfigParser(interpolation=None, strict=False)
    timer.read(systemd / "ibok-notify.timer")
    assert timer["Timer"]["OnCalendar"] == "*-*-* 07..20:05"


@pytest.mark.parametrize(("setting", "value"), [("READING_WINDOW_FIRST_DAY", 40), ("NOTIFY_ERP_CALLS_PER_SECOND", 0)])
def test_a_setting_that_cannot_work_stops_the_command_with_its_name_before_anything_is_sent(
        notify_app, customer, mailbox, setting, value):
    notify_app.config[setting] = value
    result = notify_app.test_cli_runner().invoke(args=["notify", "run"])
    assert result.exit_code == 1 and setting in result.output and mailbox.received == []
