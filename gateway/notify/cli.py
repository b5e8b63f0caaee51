"""`flask notify run` (cron or ibok-notify.timer) and `flask notify list --stuck` (claims a killed run left)."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from gateway import clock
from gateway.db.database import db
from gateway.db.models import Account
from gateway.erp.billing import billing
from gateway.notify import ledger
from gateway.notify.fetch import Fetcher, fresh
from gateway.notify.ratelimit import RateLimiter
from gateway.notify.run import Run

notify_commands = AppGroup("notify", help="E-mail reminders: send what is new, list what a run left unfinished.")


def fetcher() -> Fetcher:
    config = current_app.config
    return Fetcher(fresh(billing()), RateLimiter(float(config["NOTIFY_ERP_CALLS_PER_SECOND"])),
                   int(config["NOTIFY_ERP_THREADS"]))


@notify_commands.command("run")
def run_command() -> None:
    """Send each reminder that is new since the last run, once; safe to start while another run is going."""
    # A setting that cannot work (the reading window, the rate, the SMS gateway): say which, send nothing.
    try:
        run = Run(db(), fetcher(), clock.today())
    except (ValueError, LookupError) as error:
        raise click.ClickException(str(error)) from None
    totals = run()
    click.echo(f"{totals.sent} reminders sent, {totals.refused} not taken by the mail server (tried again next "
               f"run); {totals.customers} customers asked, {totals.skipped} skipped (the ERP failed for them)"
               + (f"; {totals.sms_sent} of them by SMS, {totals.sms_failed} SMS not sent"
                  if current_app.config["SMS_ENABLED"] else ""))


@notify_commands.command("list")
@click.option("--stuck", is_flag=True,
              help="Only claims older than NOTIFY_STUCK_MINUTES still not marked sent (with the account and the "
                   "customer each was about): a run stopped between claim and send. They are never sent again; "
                   "whether the customer got the e-mail is unknown.")
def list_command(stuck: bool) -> None:
    """How many reminders the ledger holds per kind and state; with --stuck, the unfinished claims one by one."""
    if not stuck:
        for kind, state, count in ledger.counts(db()):
            click.echo(f"{kind:16} {state:8} {count}")
        return
    cutoff = clock.utcnow() - timedelta(minutes=float(current_app.config["NOTIFY_STUCK_MINUTES"]))
    entries = ledger.stuck(db(), cutoff)
    for entry in entries:
        account = db().get(Account, entry.account_id)
        click.echo(f"{entry.claimed_at:%Y-%m-%d %H:%M:%S}  {account.login if account else entry.account_id}  "
                   f"{entry.customer_id}  {entry.kind}  {entry.key}")
    click.echo(f"{len(entries)} stuck")
