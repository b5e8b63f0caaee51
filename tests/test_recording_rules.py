"""What a recording removes, case by case: credentials always, personal data by pattern and as fetched;
and how a replay matches what is left."""

from __future__ import annotations

import json

import pytest
import requests

from adapters.core.records import Address, Customer, TaxIdKind
from adapters.core.settings import ErpOptions, ErpSettings
from adapters.testing.anonymise import Anonymiser, anonymise_all
from adapters.testing.recording import Exchange, save_exchanges
from adapters.testing.redaction import REDACTED, Redactor
from adapters.testing.replay import replaying
from adapters.testing.synthetic import GIF, JPEG, PNG, file_like
from gateway.erp.record import fit_to_keep, recording_rules

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"


def _reply(text: str, content_type: str = "application/json", path: str = "/x", body: str = "") -> Exchange:
    return Exchange("get_customer", "GET", path, body, 200, {"Content-Type": content_type}, text=text)


@pytest.mark.parametrize("path, expected", [
    ("/c?access_token=abc123&id=7", "/c?access_token=REDACTED&id=7"),
    ("/c?apiKey=abc123&page=2", "/c?apiKey=REDACTED&page=2"),
    ("/c?haslo=tajne1&signature=s1g&klient=K-1", "/c?haslo=REDACTED&signature=REDACTED&klient=K-1"),
    ("/c?author=Nowak&monkey=1", "/c?author=Nowak&monkey=1"),
])
def test_query_parameters_named_like_credentials_lose_their_values(path: str, expected: str) -> None:
    assert Redactor().exchange(_reply("{}", path=path)).path == expected


def test_a_json_request_keeps_no_password_and_names_the_field_it_removed() -> None:
    body = json.dumps({"login": "portal", "password": "pa55word", "customer": {"id": "K-1", "pin": "8812"}})
    redactor = Redactor(secret_values=["8812-long-pin"], secret_names=["pin"])
    cleaned = redactor.exchange(_reply("{}", body=body))
    assert json.loads(cleaned.request_body) == {"login": "portal", "password": REDACTED,
                                                "customer": {"id": "K-1", "pin": REDACTED}}
    assert cleaned.redacted == ["password", "pin"]


def test_every_text_of_a_soap_header_goes_and_a_known_secret_goes_anywhere() -> None:
    envelope = (f'<e:Envelope xmlns:e="{SOAP}"><e:Header><Sesja kanal="www-77">s-998877</Sesja>'
                f'<Konto>portal</Konto></e:Header><e:Body><Pobierz><Id>K-1</Id>'
                f"<Uwagi>haslo to Tajne-Haslo-1</Uwagi></Pobierz></e:Body></e:Envelope>")
    cleaned = Redactor(secret_values=["Tajne-Haslo-1"]).exchange(_reply("", "text/xml", body=envelope))
    for gone in ("s-998877", "www-77", "portal", "Tajne-Haslo-1"):
        assert gone not in cleaned.request_body
    assert "<Id>K-1</Id>" in cleaned.request_body and "<Sesja" in cleaned.request_body


def test_a_known_secret_is_cut_out_however_it_is_encoded() -> None:
    forms = ["p&ss wörd/1", "p&amp;ss wörd/1", "p&ss w\\u00f6rd/1", "p%26ss%20w%C3%B6rd%2F1", "p%26ss+w%C3%B6rd%2F1"]
    cut = Redactor(secret_values=["p&ss wörd/1"]).cut(" | ".join(forms))
    assert cut == " | ".join([REDACTED] * len(forms))


def test_keeping_personal_data_still_removes_credentials() -> None:
    exchange = _reply(json.dumps({"token": "t-1234", "fullName": "Jan Kowalski"}), path="/c?api_key=k-99")
    kept = fit_to_keep([exchange], Redactor(), keep_personal_data=True)[0]
    assert "t-1234" not in (kept.text or "") and "k-99" not in kept.path
    assert "Jan Kowalski" in (kept.text or "")


@pytest.mark.parametrize("text, personal, kept", [
    ("PESEL 75061123450, faktura 75061123451", "75061123450", "75061123451"),
    ("NIP 526-000-10-45, zamówienie 526-000-10-46", "526-000-10-45", "526-000-10-46"),
    ("IBAN DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00", "IBAN"),
    ("tel. (77) 441 22 33 lub 604-555-321", "604-555-321", "tel."),
    ("ul. Jaśminowa 14/3, 45-231 Opole; nr FV/11-001", "45-231 Opole", "FV/11-001"),
])
def test_values_are_found_by_pattern_and_checksum(text: str, personal: str, kept: str) -> None:
    swept = Anonymiser().sweep(text)
    assert personal not in swept
    assert kept in swept


def test_the_customers_own_strings_are_found_in_any_case_and_inside_escaped_json() -> None:
    customer = Customer("K-1", "Zdzisława Wróblewska", Address("ul. Jaśminowa 14/3", "45-231", "Kędzierzyn-Koźle"),
                        None, "+48 604 555 321", "75061123450", TaxIdKind.PESEL, ())
    later = _reply(json.dumps({"Odbiorca": "WRÓBLEWSKA Zdzisława", "Gdzie": "Jaśminowa", "Tel": "604555321",
                               "Miasto": "KĘDZIERZYN-KOŹLE"}))  # ensure_ascii: \u escapes in the text
    written = anonymise_all([later], customers=[customer])[0].text or ""
    assert "\\u" not in written
    for value in ("wróblewska", "zdzisława", "jaśminowa", "604555321", "kędzierzyn-koźle"):
        assert value not in written.lower()


def test_the_same_phone_written_two_ways_gets_one_stand_in() -> None:
    anonymiser = Anonymiser()
    assert anonymiser.value("phone", "+48 604 555 321") == anonymiser.value("phone", "604555321")


@pytest.mark.parametrize("original, content_type, stand_in", [
    (b"\x89PNG\r\n\x1a\nreal scan", "application/octet-stream", PNG),
    (b"\xff\xd8\xff\xe0photo", "image/jpeg", JPEG),
    (b"GIF89a...", "", GIF),
])
def test_file_bytes_become_a_synthetic_file_of_the_same_type(original: bytes, content_type: str, stand_in: bytes
                                                             ) -> None:
    assert file_like(original, content_type) == stand_in


def test_replay_matches_a_path_however_it_is_percent_encoded(tmp_path) -> None:
    save_exchanges([_reply('{"ok": 1}', path="/klienci/K-7/faktury/FV%2F11?rok=2026")], tmp_path)
    with replaying(tmp_path, "http://erp.replay.test/api"):
        answer = requests.get("http://erp.replay.test/api/klienci/K%2D7/faktury/FV%2f11", params={"rok": 2026},
                              timeout=1)
    assert answer.json() == {"ok": 1}


def test_replay_ignores_the_value_of_a_field_whose_credential_was_removed(tmp_path) -> None:
    body = json.dumps({"customer": "K-1", "sessionPin": "1234-5678"})
    recorded = Redactor(secret_names=["sessionPin"]).exchange(_reply('{"ok": 1}', body=body))
    save_exchanges([recorded], tmp_path)
    with replaying(tmp_path, "http://erp.replay.test/api"):
        same = requests.get("http://erp.replay.test/api/x", json={"customer": "K-1", "sessionPin": "9"}, timeout=1)
        with pytest.raises(requests.ConnectionError):
            requests.get("http://erp.replay.test/api/x", json={"customer": "K-2", "sessionPin": "9"}, timeout=1)
    assert same.json() == {"ok": 1}


def test_json_values_keep_their_types_and_a_numeric_pesel_becomes_another_number() -> None:
    text = json.dumps({"sizeBytes": 11410, "paid": True, "gross": 12.5, "note": None, "pesel": 75061123450})
    data = json.loads(anonymise_all([_reply(text)])[0].text or "")
    assert data["sizeBytes"] == 11410 and data["paid"] is True and data["gross"] == 12.5 and data["note"] is None
    assert isinstance(data["pesel"], int) and data["pesel"] != 75061123450


def test_every_credential_the_settings_hold_is_cut_out_of_a_recording_by_value():
    settings = ErpSettings(auth="bearer", token="bearer-tok-8812", api_key="api-key-5531", password="Haslo-77",
                           options=ErpOptions({"tenant_secret": "tenant-s3cret", "company": "Wodociagi"}))
    redactor, _personal = recording_rules(settings, object, {})
    text = "bearer-tok-8812 api-key-5531 Haslo-77 tenant-s3cret Wodociagi"
    for secret in ("bearer-tok-8812", "api-key-5531", "Haslo-77", "tenant-s3cret"):
        assert secret not in redactor.cut(text)
    assert "Wodociagi" in redactor.cut(text)
