"""`flask erp …`: the commands IT and testers run against the configured ERP."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import AppGroup

from adapters.core.registry import resolve_adapter
from gateway.erp.billing import billing, erp_settings, offered_adapter
from gateway.erp.check import NOT_OFFERED, UNKNOWN_CUSTOMER, CheckResult, check_operations

if TYPE_CHECKING:
    from adapters.testing.conformance import Finding

# Recording and conformance import the test tooling when they run: every web worker registers these commands,
# and the tooling would cost each of them memory for nothing.

erp_commands = AppGroup("erp", help="Check, record and replay the ERP connection.")


@erp_commands.command("check")
@click.option("--customer", "customer_id", required=True, help="An ERP customer id to read with.")
def check_command(customer_id: str) -> None:
    """Call every read operation the ERP offers and print which work, with timings and the first error;
    the operations it does not offer are listed apart and do not fail the check."""
    adapter = current_app.config["ERP_ADAPTER"]
    click.echo(f"ERP adapter: {adapter}")
    results = check_operations(billing(), customer_id)
    for result in results:
        if result.status != NOT_OFFERED:
            _echo(result)
    absent = [result.operation for result in results if result.status == NOT_OFFERED]
    if absent:
        click.echo(f"not offered by this ERP ({len(absent)}): {', '.join(absent)}")
    failed = [result for result in results if result.failed]
    if failed:
        click.echo(f"{len(failed)} operation(s) failed; first: {failed[0].operation}: {failed[0].detail}", err=True)
        raise SystemExit(1)
    click.echo("every offered operation answered" if absent else "every operation answered")


def _echo(result: CheckResult) -> None:
    need = "required" if result.required else "optional"
    click.echo(f"{result.status:8} {result.operation:22} {need:8} {result.seconds * 1000:8.1f} ms  {result.detail}")


@erp_commands.command("record")
@click.option("--customer", "customer_ids", multiple=True, required=True, help="ERP customer ids to read (2+).")
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--write-customer", help="Also submit a reading, a message and a consent for this one (changes data).")
@click.option("--keep-personal-data", is_flag=True, help="Do not anonymise (never for files you commit).")
def record_command(
    customer_ids: tuple[str, ...], folder: Path, write_customer: str | None, keep_personal_data: bool
) -> None:
    """Record every operation's HTTP exchanges against the configured ERP into a folder, with no credential
    and, unless asked, no personal data left."""
    from adapters.testing.recording import RecordingHttp, save_exchanges
    from gateway.erp.record import fit_to_keep, record_scenario, recording_rules

    adapter_class = resolve_adapter(current_app.config["ERP_ADAPTER"])
    settings = erp_settings(current_app.config, adapter_class)
    http = RecordingHttp(settings)
    # Every adapter is built as Class(settings, *, http=None) (docs/adapters.md); here http keeps each exchange.
    port = adapter_class(settings, http=http)  # type: ignore[call-arg]
    customers = record_scenario(port, list(customer_ids), write_customer)
    redactor, personal = recording_rules(settings, port, current_app.config)
    exchanges = fit_to_keep(http.exchanges, redactor, customers, personal, keep_personal_data)
    paths = save_exchanges(exchanges, folder)
    click.echo(f"recorded {len(paths)} exchanges into {folder}")


@erp_commands.command("conformance")
@click.option("--customer", "customer_ids", multiple=True, required=True,
              help="The utility's own test customers; with two or more, the second must not see the first's.")
@click.option("--writes", is_flag=True, help="Also send a reading, a message and the e-invoice consent as it stands "
                                             "for the first customer, each twice (changes ERP data).")
@click.option("--unknown-customer", default=UNKNOWN_CUSTOMER, show_default=True, help="An id no customer has.")
def conformance_command(customer_ids: tuple[str, ...], writes: bool, unknown_customer: str) -> None:
    """Check the configured adapter, without cache or breakers, against the contract's invariants with real
    customers: pass, fail or not offered per operation, each failed invariant named; read-only unless --writes."""
    from adapters.testing.conformance import FAIL, summary
    from adapters.testing.invariants import run_conformance

    click.echo(f"ERP adapter: {current_app.config['ERP_ADAPTER']}")
    findings = run_conformance(offered_adapter(current_app.config), list(customer_ids),
                               unknown_customer=unknown_customer, writes=writes)
    for operation, status in summary(findings).items():
        click.echo(f"{status:12} {operation}")
        for finding in findings:
            if finding.operation == operation and finding.status == FAIL:
                click.echo(f"    failed: {finding.invariant} ({finding.detail})")
    failed = [finding for finding in findings if finding.status == FAIL]
    if failed:
        click.echo(f"{len(failed)} invariant(s) failed; first: {_named(failed[0])}", err=True)
        raise SystemExit(1)
    click.echo("every offered operation conforms")


def _named(finding: Finding) -> str:
    return f"{finding.operation}: {finding.invariant}"
