"""Choosing the ERP adapter by name, entry point or dotted path."""

import pytest

from adapters.core.registry import AdapterNotFound, available_adapters, resolve_adapter
from adapters.rest.billing import RestBilling
from adapters.soap.billing import SoapBilling
from adapters.testing.fake import FakeBilling


def test_built_in_adapters_are_entry_points():
    assert {"soap", "rest"} <= set(available_adapters())
    assert resolve_adapter("soap") is SoapBilling
    assert resolve_adapter("rest") is RestBilling


@pytest.mark.parametrize("path", ["adapters.testing.fake:FakeBilling", "adapters.testing.fake.FakeBilling"])
def test_a_dotted_path_names_any_port_implementation(path):
    assert resolve_adapter(path) is FakeBilling


@pytest.mark.parametrize(
    "name, message",
    [
        ("oracle", "no ERP adapter named 'oracle'"),
        ("adapters.nowhere:Billing", "cannot import"),
        ("adapters.core.settings:ErpSettings", "not a BillingPort"),
    ],
)
def test_a_wrong_name_is_a_clear_error(name, message):
    with pytest.raises(AdapterNotFound, match=message):
        resolve_adapter(name)
