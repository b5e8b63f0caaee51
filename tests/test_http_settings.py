"""The ERP session is built from IT's settings: TLS verification, a private CA, client certificates, basic auth."""

from __future__ import annotations

import base64

import pytest
import responses

from adapters.core.settings import ErpSettings, SettingsError
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


@responses.activate
def test_a_bearer_token_goes_with_every_call_and_never_as_basic_auth():
    settings = ErpSettings(url="https://erp.test", auth="bearer", token="t0k3n", username="ibok", password="sekret")
    responses.get("https://erp.test/x", body=b"{}")
    ErpHttp(settings).send("op", "GET", "https://erp.test/x", idempotent=True)
    assert responses.calls[0].request.headers["Authorization"] == "Bearer t0k3n"


@responses.activate
def test_an_api_key_goes_in_its_own_header_and_no_authorization_is_sent():
    settings = ErpSettings(url="https://erp.test", auth="api-key", api_key_header="X-Erp-Key", api_key="k-123",
                           username="ibok", password="sekret")
    responses.get("https://erp.test/x", body=b"{}")
    ErpHttp(settings).send("op", "GET", "https://erp.test/x", idempotent=True)
    headers = responses.calls[0].request.headers
    assert headers["X-Erp-Key"] == "k-123"
    assert "Authorization" not in headers, "an API key sent as basic auth reads as a failed user login"


@responses.activate
def test_no_auth_sends_no_credentials_even_with_a_username():
    settings = ErpSettings(url="https://erp.test", auth="none", username="ibok", password="sekret")
    responses.get("https://erp.test/x", body=b"{}")
    ErpHttp(settings).send("op", "GET", "https://erp.test/x", idempotent=True)
    assert "Authorization" not in responses.calls[0].request.headers


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"auth": "digest"}, "ERP_AUTH must be one of basic, bearer, api-key, none"),
        ({"auth": "bearer"}, "needs ERP_TOKEN"),
        ({"auth": "api-key", "api_key_header": "X-Key"}, "needs ERP_API_KEY"),
    ],
)
def test_incomplete_auth_settings_are_refused_naming_the_setting(settings, message):
    with pytest.raises(SettingsError, match=message):
        ErpSettings(url="https://erp.test", **settings)
