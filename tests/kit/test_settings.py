"""Adapter options from the configuration, secrets kept out of every dump, and the kit version a plugin needs."""

from __future__ import annotations

import pytest

from adapters.core.registry import AdapterNotFound, check_kit_version
from adapters.kit import KIT_VERSION, ErpOptions, ErpSettings, SettingsError
from adapters.wire.http import shared_session
from gateway.app import create_app
from gateway.erp.billing import erp_options, erp_settings
from tests.kit.example_plugin import AquaBillBilling

OPTIONS = {"tenant": "wodociagi-1", "wsdl": "/etc/ibok/erp.wsdl", "client_secret": "s3cr3t-value",
           "mapping": {"statuses": ["open", "settled"], "api_key": "nested-k3y"}}


def test_options_are_read_only_and_nested_values_frozen():
    options = ErpOptions(OPTIONS)
    assert options["mapping"]["statuses"] == ("open", "settled")
    with pytest.raises(TypeError):
        options["tenant"] = "other"  # type: ignore[index]


def test_settings_with_equal_options_share_one_session():
    first = ErpSettings(url="https://erp.test", options=ErpOptions(OPTIONS))
    again = ErpSettings(url="https://erp.test", options=ErpOptions(dict(OPTIONS)))
    assert hash(first) == hash(again) and first == again
    assert shared_session(first) is shared_session(again)
    assert first != ErpSettings(url="https://erp.test", options=ErpOptions({**OPTIONS, "tenant": "wodociagi-2"}))


def test_no_secret_shows_in_the_settings_dump():
    settings = ErpSettings(url="https://erp.test", username="ibok", password="pa55-value", auth="basic",
                           wsse_password="ws-value", options=ErpOptions(OPTIONS, secret={"tenant"}))
    dump = repr(settings)
    for secret in ("pa55-value", "ws-value", "s3cr3t-value", "nested-k3y", "wodociagi-1"):
        assert secret not in dump
    assert "'wsdl': '/etc/ibok/erp.wsdl'" in dump and "username='ibok'" in dump
    assert settings.secret_values() == {"pa55-value", "ws-value", "s3cr3t-value", "nested-k3y", "wodociagi-1"}


def test_options_come_from_the_config_file(tmp_path):
    config_file = tmp_path / "ibok.py"
    config_file.write_text("ERP_OPTIONS = {'tenant': 'wodociagi-1', 'max_bills': 20}\n")
    app = create_app({"CONFIG_FILE": str(config_file), "TESTING": True})
    assert dict(erp_settings(app.config).options) == {"tenant": "wodociagi-1", "max_bills": 20}


def test_options_come_from_one_json_variable(monkeypatch):
    monkeypatch.setenv("IBOK_ERP_OPTIONS", '{"tenant": "wodociagi-1", "max_bills": 20}')
    app = create_app({"TESTING": True})
    assert erp_settings(app.config).options == {"tenant": "wodociagi-1", "max_bills": 20}


def test_bad_json_names_the_variable_and_never_its_value():
    with pytest.raises(SettingsError) as raised:
        erp_options({"ERP_OPTIONS": '{"password": "hunter2-value",'})
    assert "IBOK_ERP_OPTIONS is not valid JSON" in str(raised.value)
    assert "hunter2" not in str(raised.value)


def test_options_that_are_not_a_mapping_are_refused():
    with pytest.raises(SettingsError, match="must be a mapping"):
        erp_options({"ERP_OPTIONS": "[1, 2]"})


def test_the_plugin_declares_which_options_are_secret():
    settings = erp_settings({**create_app({"TESTING": True}).config, "ERP_OPTIONS": {"tenant": "wodociagi-1"}},
                            AquaBillBilling)
    assert settings.options.is_secret("tenant")
    assert "wodociagi-1" in settings.secret_values()


@pytest.mark.parametrize("wanted", [None, "1", "1.0", "1.0.3", "1.1"])
def test_a_plugin_written_for_this_kit_runs(wanted):
    assert KIT_VERSION.startswith("1.1.")
    check_kit_version("acme", wanted)


@pytest.mark.parametrize(
    "wanted, message",
    [
        ("2.0", "ERP adapter 'acme' needs adapter kit 2.0; this portal has kit 1.1.0"),
        ("1.2", "ERP adapter 'acme' needs adapter kit 1.2; this portal has kit 1.1.0"),
        ("0.9", "ERP adapter 'acme' needs adapter kit 0.9; this portal has kit 1.1.0"),
        ("latest", "ERP adapter 'acme' declares kit_version 'latest', not a version like \"1.0\""),
    ],
)
def test_a_plugin_needing_another_kit_is_refused_at_start_up(wanted, message):
    with pytest.raises(AdapterNotFound) as raised:
        check_kit_version("acme", wanted)
    assert str(raised.value) == message


def test_start_up_refuses_an_incompatible_plugin(monkeypatch):
    monkeypatch.setattr(AquaBillBilling, "kit_version", "2.0")
    with pytest.raises(AdapterNotFound, match="needs adapter kit 2.0"):
        create_app({"TESTING": True, "ERP_ADAPTER": "tests.kit.example_plugin:AquaBillBilling",
                    "ERP_URL": "https://aquabill.test/api"})
