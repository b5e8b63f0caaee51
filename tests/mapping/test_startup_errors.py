"""A mapping file is checked whole when the adapter is built: each mistake stops the start, naming the file, the
operation and the key, before any request is made."""

from __future__ import annotations

import pytest

from adapters.kit import ErpOptions, ErpSettings, MappingBilling, MappingError, SettingsError
from tests.mapping.toml_parts import VALID


def build(tmp_path, text):
    path = tmp_path / "erp.toml"
    path.write_text(text, encoding="utf-8")
    return MappingBilling(ErpSettings(url="http://erp.invalid", options=ErpOptions({"mapping_file": str(path)})))


def test_the_valid_file_offers_what_it_maps(tmp_path):
    billing = build(tmp_path, VALID)
    assert billing.offered_operations == {"get_customer", "list_contracts", "list_invoices", "get_invoice",
                                          "get_settlements"}


def test_an_optional_operation_the_file_does_not_name_is_not_offered(tmp_path):
    """A file written before the portal added an optional operation still starts; `erp check` lists it apart."""
    billing = build(tmp_path, VALID.replace('"get_contract_scan", ', ""))
    assert not billing.offers("get_contract_scan") and billing.offers("get_settlements")


def test_a_required_operation_the_file_does_not_map_stops_the_start(tmp_path):
    start = VALID.index("[operations.get_settlements]\n")
    with pytest.raises(MappingError, match=r"operations\.get_settlements: required: map it"):
        build(tmp_path, VALID[:start])


@pytest.mark.parametrize("old, new, message", [
    ("[operations.get_invoice]\n", "[operations.get_invoices]\n",
     "operations.get_invoices: unknown key"),
    ('not_offered = ["get_contract_scan",', 'not_offered = ["get_invoice", "get_contract_scan",',
     "operations.get_invoice: mapped, but also listed in mapping.not_offered"),
    ('status = { path = "state", enum = "state" }\n\n[operations.get_invoice]',
     'status = { path = "state", enum = "state" }\ntotalAmount = "total"\n\n[operations.get_invoice]',
     "operations.list_invoices.fields.totalAmount: unknown record field"),
    ('[operations.list_invoices.fields]\ninvoiceId = "id"\ninvoiceNumber = "no"\n',
     '[operations.list_invoices.fields]\ninvoiceId = "id"\n',
     "operations.list_invoices.fields.invoiceNumber: required by the contract but given no source"),
    ('street = "street"', 'street = "street..name"',
     "operations.get_customer.fields.address.fields.street.path: bad path"),
    ('items = "rows[*]"\n[operations.list_invoices.fields]', 'items = "rows[*"\n[operations.list_invoices.fields]',
     "operations.list_invoices.items: bad path"),
    ('owner = "client"', 'owner = "clients[*].id"', "operations.get_invoice.owner: bad path"),
    ('{ path = "balance", convert = "decimal" }', '{ path = "balance", convert = "money" }',
     "operations.get_settlements.fields.balance.convert: unknown converter"),
    ('status = { path = "state", enum = "state" }\n\n[operations.get_invoice]',
     'status = { path = "state", enum = "states" }\n\n[operations.get_invoice]',
     "operations.list_invoices.fields.status.enum: unknown enum table 'states'"),
    ('"P" = "paid"', '"P" = "settled"', "enums.state.P: not one of the contract's values"),
    ('status = { value = "active" }', 'status = { value = "open" }',
     "operations.list_contracts.fields.status.value: not one of the contract's values"),
    ('fullName = "name"', 'fullName = { hook = "tests.mapping.no_such_module:full_name" }',
     "operations.get_customer.fields.fullName.hook: hook 'tests.mapping.no_such_module:full_name' cannot be "
     "imported"),
    ('fullName = "name"', 'fullName = { hook = "adapters.examples.sap_umc:no_such_hook" }',
     "operations.get_customer.fields.fullName.hook: hook 'adapters.examples.sap_umc:no_such_hook': module "
     "adapters.examples.sap_umc has no no_such_hook"),
    ('request = { path = "/bills/{invoiceId}" }', 'request = { path = "/bills/{invoiceNo}" }',
     "operations.get_invoice.request.path: unknown placeholder {invoiceNo}"),
    ('request = { path = "/bills/{invoiceId}" }', 'request = { path = "/bills/{@id}" }',
     "operations.get_invoice.request.path: {@id}: an item's value is known only in a join"),
    ('request = { path = "/bills/{invoiceId}" }', 'request = { path = "/bills/{invoiceId}", verb = "GET" }',
     "operations.get_invoice.request.verb: unknown key"),
    ('request = { path = "/bills/{invoiceId}" }', 'request = { method = "FETCH", path = "/bills/{invoiceId}" }',
     "operations.get_invoice.request.method: unknown method"),
    ('[operations.get_invoice]\nrequest = { path = "/bills/{invoiceId}" }', "[operations.get_invoice]",
     "operations.get_invoice.request: missing"),
    ('"list_readings", ', '"list_readings", "pay_invoice", ', "mapping.not_offered: unknown operation 'pay_invoice'"),
    ('not_offered = ["get_contract_scan",', 'not_offered = ["get_customer", "get_contract_scan",',
     "operations.get_customer: mapped, but also listed in mapping.not_offered"),
])
def test_a_mistake_stops_the_start_naming_file_operation_and_key(tmp_path, old, new, message):
    assert old in VALID
    with pytest.raises(MappingError) as caught:
        build(tmp_path, VALID.replace(old, new, 1))
    assert str(caught.value).startswith(f"{tmp_path / 'erp.toml'}: {message}")


def test_a_required_operation_cannot_be_left_out(tmp_path):
    text = VALID.replace('"get_contract_scan",', '"get_contract_scan", "get_settlements",')
    text = text[:text.index("[operations.get_settlements]")]
    with pytest.raises(MappingError, match="mapping.not_offered: get_settlements is required"):
        build(tmp_path, text)


def test_a_file_that_is_not_toml_or_not_there_says_so(tmp_path):
    with pytest.raises(MappingError, match=r"erp.toml: not valid TOML \(.*line 2"):
        build(tmp_path, "[mapping]\nquote = \n")
    with pytest.raises(MappingError, match=r"missing.toml: cannot be read"):
        missing = ErpOptions({"mapping_file": str(tmp_path / "missing.toml")})
        MappingBilling(ErpSettings(url="http://erp.invalid", options=missing))


def test_the_mapping_adapter_without_a_file_says_which_option_it_needs():
    with pytest.raises(SettingsError, match="ERP_OPTIONS mapping_file"):
        MappingBilling(ErpSettings(url="http://erp.invalid"))
