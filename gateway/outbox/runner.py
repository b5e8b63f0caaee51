"""Running the outbox delivery: in the portal's own process (the demo) or as its own command (production)."""

from __future__ import annotations

import atexit
import logging
import threading
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup, ScriptInfo
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from gateway.db.database import EXTENSION_KEY as DATABASE_KEY
from gateway.erp.billing import EXTENSION_KEY as BILLING_KEY
from gateway.outbox.delivery import DeliveryReport, deliver_due
from gateway.outbox.model import OutboxItem

log = logging.getLogger(__name__)
IN_PROCESS_KEY = "outbox_in_process"
# How long `stop` waits for a pass in progress; a pass stuck longer is left to end with the process.
STOP_TIMEOUT_SECONDS = 5.0
outbox_commands = AppGroup("outbox", help="Deliver the writes waiting for the ERP (readings, messages, consents).")


def deliver_once(app: Flask) -> DeliveryReport:
    """One pass over what is due, in a database session of its own."""
    factory: sessionmaker[Session] = app.extensions[DATABASE_KEY]
    with factory() as session:
        return deliver_due(session, app.extensions[BILLING_KEY])


def run_forever(app: Flask, interval: float, wake: threading.Event, stop: threading.Event | None = None) -> None:
    """Deliver, then sleep until the interval passes or a new write wakes us; a failed pass is logged."""
    while stop is None or not stop.is_set():
        try:
            report = deliver_once(app)
            if report.delivered or report.rejected or report.retrying:
                log.info("outbox: %s", report)
        except Exception:  # noqa: BLE001 (a bad pass must not end delivery for good)
            log.exception("outbox pass failed")
        wake.wait(interval)
        wake.clear()


class InProcessDelivery:
    """The demo's deliverer thread for one app: started once, woken by each new write, ended by `stop`."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self._started = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread unless this process already has."""
        if self._started.acquire(blocking=False):
            interval = float(self.app.config["OUTBOX_INTERVAL_SECONDS"])
            self._thread = threading.Thread(target=run_forever, args=(self.app, interval, self.wake, self.stopping),
                                            name="outbox", daemon=True)
            _running.add(self)
            self._thread.start()

    def stop(self, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
        """End the thread after its current pass, so it never writes into a database its app no longer owns."""
        self.stopping.set()
        self.wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        _running.discard(self)


# Every deliverer this process started and has not stopped: a daemon thread would otherwise be cut off mid-pass
# at exit, or outlive the server its database is on.
_running: set[InProcessDelivery] = set()


def stop_in_process_delivery() -> None:
    """Stop every in-process deliverer: when the process exits, and after each test."""
    for delivery in list(_running):
        delivery.stop()


atexit.register(stop_in_process_delivery)


def wake_delivery() -> None:
    """Ask the in-process deliverer, if there is one, to deliver now rather than at its next round."""
    delivery = current_app.extensions.get(IN_PROCESS_KEY)
    if delivery is not None:
        delivery.wake.set()


def init_outbox(app: Flask) -> None:
    """`flask outbox …`; in the demo (OUTBOX_IN_PROCESS) also the in-process deliverer."""
    app.cli.add_command(outbox_commands)
    if app.config.get("OUTBOX_IN_PROCESS"):
        app.extensions[IN_PROCESS_KEY] = InProcessDelivery(app)


def start_in_process_delivery() -> None:
    """In the demo a daemon thread delivers, started by the first request a process serves (so `flask db …`
    and other commands never start one); production runs `flask outbox run`."""
    delivery = current_app.extensions.get(IN_PROCESS_KEY)
    if delivery is not None:
        delivery.start()


@outbox_commands.command("run")
@click.option("--interval", type=float, default=None, help="Seconds between passes (OUTBOX_INTERVAL_SECONDS).")
def run_command(interval: float | None) -> None:
    """Deliver for as long as the process runs; several may run at once, on several hosts."""
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    run_forever(app, interval or float(app.config["OUTBOX_INTERVAL_SECONDS"]), threading.Event())


@outbox_commands.command("deliver")
def deliver_command() -> None:
    """One pass over what is due now (for cron, or by hand after the ERP is back)."""
    started = time.monotonic()
    report = deliver_once(current_app)
    click.echo(f"delivered {report.delivered}, refused {report.rejected}, still waiting {report.retrying} "
               f"({time.monotonic() - started:.1f} s)")


@outbox_commands.command("status")
def status_command() -> None:
    """How many writes wait, were delivered or were refused."""
    factory: sessionmaker[Session] = current_app.extensions[DATABASE_KEY]
    with factory() as session:
        rows = session.execute(select(OutboxItem.status, func.count()).group_by(OutboxItem.status)).all()
    for status, count in sorted(rows):
        click.echo(f"{status:10} {count}")
