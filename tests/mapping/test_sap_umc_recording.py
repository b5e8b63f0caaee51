"""`flask erp record` over the SAP UMC mapping file, selected as IT would (the `mapping` adapter and the file's
path): the files keep no credential and none of the customers' personal values (the file names UMC's personal
fields), and a replay answers the same calls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.examples.sap_umc import MAPPING, SapUmcBilling
from adapters.kit import ErpOptions, ErpSettings, MappingBilling
from adapters.testing.replay import replaying
from gateway.app import create_app
from gateway.erp.record import recording_rules
from tests.infra.databases import idle_database_url
from tests.mapping.conftest import UMC_PASSWORD, UMC_USER

PERSONAL_VALUES = ["Jan Kowalski", "Kowalski", "ul. Klonowa 7", "Strzelce Opolskie", "47-100",
                   "jan.kowalski@example.com", "+48 600 100 101"]
REPLAY_URL = "http://umc.replay.test/sap/opu/odata/sap/ERP_UTILITIES_UMC"


@pytest.fixture(scope="module")
def recording(sap_umc_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("umc")
    app = create_app({"PROFILE": "testing", "DATABASE_URL": idle_database_url(folder / "db"),
                      "ERP_ADAPTER": "mapping", "ERP_OPTIONS": {"mapping_file": str(MAPPING)}, "ERP_URL": sap_umc_url,
                      "ERP_USERNAME": UMC_USER, "ERP_PASSWORD": UMC_PASSWORD})
    result = app.test_cli_runner().invoke(args=["erp", "record", "--customer", "K-1001", "--customer", "K-1002",
                                                "--out", str(folder / "out")])
    assert result.exit_code == 0, result.output
    return folder / "out"


def test_the_files_keep_no_credential_and_no_personal_value(recording: Path) -> None:
    written = "\n".join(path.read_text(encoding="utf-8") for path in sorted(recording.iterdir()))
    unescaped = json.dumps([json.loads(path.read_text(encoding="utf-8")) for path in sorted(recording.iterdir())],
                           ensure_ascii=False)
    assert len(list(recording.iterdir())) > 10
    for value in [UMC_PASSWORD, *PERSONAL_VALUES]:
        assert value.lower() not in written.lower() and value.lower() not in unescaped.lower(), value


def test_a_replay_answers_the_same_calls_with_stand_ins(recording: Path) -> None:
    with replaying(recording, REPLAY_URL):
        port = SapUmcBilling(ErpSettings(url=REPLAY_URL))
        customer = port.get_customer("K-1001")
        invoices = port.list_invoices("K-1001")
    assert customer.id == "K-1001" and customer.name != "Jan Kowalski" and customer.name
    assert len(invoices) == 63


def test_the_personal_fields_the_file_names_reach_the_recording_rules() -> None:
    settings = ErpSettings(url=REPLAY_URL, options=ErpOptions({"mapping_file": str(MAPPING)}))
    _redactor, personal = recording_rules(settings, MappingBilling(settings), {"ERP_RECORD_PERSONAL_FIELDS": ["Note"]})
    assert personal == {"FullName": "name", "FirstName": "name", "LastName": "name", "Name1": "name",
                        "Street": "street", "HouseNo": "street", "PostalCode": "postal_code", "City": "city",
                        "Email": "email", "PhoneNo": "phone", "Note": ""}
