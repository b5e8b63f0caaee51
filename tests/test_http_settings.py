"""The ERP session is built from IT's settings: TLS verification, a private CA, client certificates, basic auth."""

from __future__ import annotations

import base64

import responses

from adapters.core.settings import ErpSettings
from adapters.wire.http import ErpHttp, shared_session


def test_tls_verification_is_on_by_default_and_the_environment_is_not_trusted():
    session = shared_session(ErpSettings(url="https://erp.test"))
    assert session.verify is True
    assert session.trust_env is False, "no proxy or CA from the environment changes where ERP calls go"


def test_a_private_ca_bundle_is_used_for_verification():
    session = shared_session(ErpSettings(url="https://erp.test", ca_bundle="/etc/ibok/ca.pem"))
    assert session.verify == "/etc/ibok/ca.pem"


def test_client_certificates_are_sent_for_mutual_tls():
    with_key = shared_session(ErpSettings(url="https://erp.test", client_cert="/c.pem", client_key="/k.pem"))
    assert with_key.cert == ("/c.pem", "/k.pem")
    assert shared_session(ErpSettings(url="https://erp.test", client_cert="/both.pem")).cert == "/both.pem"


@responses.activate
def test_basic_authentication_goes_with_every_call():
    settings = ErpSettings(url="https://erp.test", username="ibok", password="sekret")
    responses.get("https://erp.test/x", body=b"{}")
    ErpHttp(settings).send("op", "GET", "https://erp.test/x", idempotent=True)
    expected = "Basic " + base64.b64encode(b"ibok:sekret").decode()
    assert responses.calls[0].request.headers["Authorization"] == expected


def test_one_session_per_process_and_settings():
    settings = ErpSettings(url="https://erp.test", pool_size=7)
    assert shared_session(settings) is shared_session(ErpSettings(url="https://erp.test", pool_size=7))
    assert shared_session(settings) is not shared_session(ErpSettings(url="https://other.test"))
