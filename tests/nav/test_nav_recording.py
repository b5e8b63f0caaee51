"""`flask erp record` over the Dynamics NAV plugin: the files keep no credential and none of the customers' personal
values, on NAV's own schema, and the plugin replays from them to the same invoices and balance."""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import pytest

from adapters.examples.nav.billing import NavBilling
from adapters.testing.replay import replaying
from fixtures.nav.app import PASSWORD, USERNAME
from gateway.app import create_app
from tests.infra.databases import idle_database_url
from tests.nav.simulator import COMPANY_PATH, nav_settings

REPLAY_URL = "http://nav.replay.test"
# Two small ledgers (15 and 3 lines), read in pages of 10 so the recording holds bookmarks too.
OWNER, OTHER = "K-1003", "K-1006"
# Their values as NAV's cards hold them, and parts a reply may write again.
PERSONAL_VALUES = ("Piotr Nowy", "Nowy", "ul. Polna 3", "Polna", "Szymiszów", "piotr.nowy@example.com",
                   "Teresa Zielińska", "Zielińska", "ul. Krótka 2", "Krótka", "Strzelce Opolskie")


@pytest.fixture(scope="module")
def recording(nav_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One recording of the scenario IT runs, by the command IT runs."""
    folder = tmp_path_factory.mktemp("nav")
    app = create_app({
        "PROFILE": "testing", "DATABASE_URL": idle_database_url(folder / "db"), "ERP_ADAPTER": "nav",
        "ERP_URL": f"{nav_url}{COMPANY_PATH}", "ERP_USERNAME": USERNAME, "ERP_PASSWORD": PASSWORD,
        "ERP_OPTIONS": {"page_size": 10},
    })
    result = app.test_cli_runner().invoke(
        args=["erp", "record", "--customer", OWNER, "--customer", OTHER, "--out", str(folder / "out")])
    assert result.exit_code == 0, result.output
    yield folder / "out"


def _written(folder: Path) -> str:
    """Every file as written and with its JSON strings' escapes undone, in lower case."""
    parts = [path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())]
    parts += [json.dumps(json.loads(text), ensure_ascii=False) for text in list(parts)]
    return "\n".join(parts).lower()


def test_the_files_hold_no_credential(recording):
    written = _written(recording)
    assert len(list(recording.iterdir())) > 10
    assert PASSWORD.lower() not in written
    assert base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode().lower() not in written
    assert "authorization" not in written


def test_the_files_hold_none_of_the_customers_personal_values(recording):
    written = _written(recording)
    assert "readmultiple_result" in written and "k-1003" in written and "bookmarkkey" in written
    assert [value for value in PERSONAL_VALUES if value.lower() in written] == []


def test_the_plugin_replays_the_recording_to_the_same_money(recording):
    url = f"{REPLAY_URL}{COMPANY_PATH}"
    port = NavBilling(nav_settings(REPLAY_URL, password="another-password-at-replay", page_size=10))
    with replaying(recording, url):
        customer = port.get_customer(OWNER)
        invoices = port.list_invoices(OWNER)
        balance = port.get_settlements(OWNER).balance
        first = port.get_invoice(OWNER, invoices[0].id)
    assert customer.id == OWNER and "Nowy" not in customer.name and customer.address.street != "ul. Polna 3"
    assert [premise.id for premise in customer.premises] == ["P-1003-1"]
    assert (len(invoices), first.number, first.gross, balance) == (
        8, "FV/00161/11/2026", Decimal("120.23"), Decimal("120.23"))
