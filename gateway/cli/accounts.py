"""`flask accounts …`: the commands office staff run after a customer hands in the signed agreement."""

from __future__ import annotations

from typing import Callable, TypeVar

import click
from flask.cli import AppGroup

from gateway.accounts import links
from gateway.accounts import service as accounts
from gateway.accounts.demo import create_demo_accounts

accounts_commands = AppGroup("accounts", help="Create and manage customers' portal accounts.")
T = TypeVar("T")


def _run(action: Callable[[], T]) -> T:
    """Print an AccountError as one clear line and exit 1, instead of a traceback."""
    try:
        return action()
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None


@accounts_commands.command("create")
@click.option("--customer", "customer_id", required=True, help="The ERP customer id, e.g. K-1001.")
@click.option("--email", help="Where to send the one-time password (default: the e-mail the ERP holds).")
@click.option("--login", help="The login to assign (default: made from the customer id).")
@click.option("--invoice", "invoice_number",
              help="The number of one of the customer's invoices, checked in the ERP as proof of the customer number.")
def create_command(customer_id: str, email: str | None, login: str | None, invoice_number: str | None) -> None:
    """Create an account for an ERP customer and e-mail the login and a one-time password."""
    account = _run(lambda: accounts.create_account(customer_id, email=email, login=login,
                                                   invoice_number=invoice_number))
    click.echo(f"created {account.login} for customer {account.customer_id}; one-time password sent to {account.email}")


@accounts_commands.command("reset-password")
@click.argument("login")
def reset_password_command(login: str) -> None:
    """E-mail a new one-time password; the old password and every session stop working."""
    account = _run(lambda: accounts.reset_password(login))
    click.echo(f"new one-time password for {account.login} sent to {account.email}")


@accounts_commands.command("set-email")
@click.argument("login")
@click.argument("email")
def set_email_command(login: str, email: str) -> None:
    """Change the address the account's e-mails go to; its sessions and earlier reset links end."""
    account, not_told = _run(lambda: accounts.set_email(login, email))
    click.echo(f"{account.login} now receives e-mail at {account.email}")
    for address in not_told:
        click.echo(f"the notice of the change was not sent to {address}: the mail server did not take it (the audit "
                   "log has why); tell the customer another way", err=True)


@accounts_commands.command("lock")
@click.argument("login")
def lock_command(login: str) -> None:
    """Stop the account from signing in and end its sessions."""
    account = _run(lambda: accounts.set_locked(login, True))
    click.echo(f"locked {account.login}")


@accounts_commands.command("unlock")
@click.argument("login")
def unlock_command(login: str) -> None:
    """Let a locked account sign in again (also clears its failed sign-in delay)."""
    account = _run(lambda: accounts.set_locked(login, False))
    click.echo(f"unlocked {account.login}")


@accounts_commands.command("list")
@click.option("--customer", "customer_id", help="Only the accounts of this ERP customer.")
def list_command(customer_id: str | None) -> None:
    """One line per account: login, customer, e-mail, state, last sign-in; a line under it per linked customer."""
    for account in accounts.list_accounts(customer_id):
        state = "locked" if account.locked else ("one-time password" if account.password_is_one_time else "active")
        last = f"{account.last_sign_in_at:%Y-%m-%d %H:%M} UTC" if account.last_sign_in_at else "never signed in"
        click.echo(f"{account.login:20} {account.customer_id:12} {account.email:32} {state:18} {last}")
        for link in account.links:
            click.echo(f"{'':20} {link.customer_id:12} linked {link.created_at:%Y-%m-%d}")


@accounts_commands.command("link")
@click.argument("login")
@click.option("--customer", "customer_id", required=True, help="The further ERP customer id, e.g. K-1002.")
@click.option("--invoice", "invoice_number",
              help="The number of one of that customer's invoices, checked in the ERP as proof of the customer number.")
def link_command(login: str, customer_id: str, invoice_number: str | None) -> None:
    """Let the account show one more customer (on the same signed agreement as an account needs)."""
    link = _run(lambda: links.link_customer(login, customer_id, invoice_number=invoice_number))
    click.echo(f"linked customer {link.customer_id} to {login}")


@accounts_commands.command("unlink")
@click.argument("login")
@click.option("--customer", "customer_id", required=True, help="The linked ERP customer id to remove.")
def unlink_command(login: str, customer_id: str) -> None:
    """Remove a linked customer; sessions showing it fall back to the account's own on their next request."""
    account = _run(lambda: links.unlink_customer(login, customer_id))
    click.echo(f"unlinked customer {customer_id.strip()} from {account.login}")


@accounts_commands.command("delete")
@click.argument("login")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete_command(login: str, yes: bool) -> None:
    """Delete the account and its consents; the audit log keeps its entries."""
    if not yes:
        click.confirm(f"Delete the account {login}?", abort=True)
    _run(lambda: accounts.delete_account(login))
    click.echo(f"deleted {login}")


@accounts_commands.command("demo")
@click.option("--reset", is_flag=True, help="Restore the demo accounts' passwords and state.")
def demo_command(reset: bool) -> None:
    """Create the demo accounts (demo configuration only); running it again changes nothing."""
    for line in _run(lambda: create_demo_accounts(reset=reset)):
        click.echo(line)
