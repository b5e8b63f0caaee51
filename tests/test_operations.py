"""The operation table against everything it feeds: the WSDL, openapi.yaml, the simulator and the reply schemas;
and no module restating the operations by hand."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml
from lxml import etree

import adapters
from adapters.core.errors import ErpNotOffered
from adapters.core.operations import OPERATIONS, READS, WRITES
from adapters.core.port import BillingPort
from adapters.core.records import Customer
from adapters.resilience.breakers import BreakerBilling
from adapters.resilience.cached import CachedBilling
from adapters.testing.fake import FakeBilling
from adapters.wire.schemas import REPLIES
from fixtures.simulator.app import create_simulator
from fixtures.simulator.store import DemoStore

ROOT = Path(adapters.__file__).resolve().parent.parent
CONTRACT = ROOT / "adapters" / "contract"
WSDL = "{http://schemas.xmlsoap.org/wsdl/}"
SOAP_BINDING = "{http://schemas.xmlsoap.org/wsdl/soap/}"
# The only modules that may name several operations together: the table, and the reply schemas keyed by it.
TABLES = {ROOT / "adapters" / "core" / "operations.py", ROOT / "adapters" / "wire" / "schemas.py"}
# Where the operations' machinery lives; pages name the few operations they call, which restates nothing.
MACHINERY = ("adapters", "gateway/erp", "gateway/cli", "fixtures/simulator", "config", "bench")


def _wsdl() -> etree._Element:
    return etree.parse(str(CONTRACT / "ibok-erp.wsdl")).getroot()


def test_the_portal_needs_five_operations_and_writes_four():
    required = {name for name, operation in OPERATIONS.items() if operation.required}
    assert required == {"get_customer", "list_contracts", "list_invoices", "get_invoice", "get_settlements"}
    assert WRITES == {"submit_reading", "send_message", "set_einvoice_consent", "record_payment"}
    assert len(READS) == 13 and list(OPERATIONS)[:3] == ["get_customer", "list_contracts", "get_contract_scan"]


def test_a_write_makes_stale_only_reads():
    assert OPERATIONS["submit_reading"].evicts == {"list_readings", "list_meters"}
    assert all(set(OPERATIONS[name].evicts) <= set(READS) for name in WRITES)


@pytest.mark.parametrize("name", OPERATIONS)
def test_every_operation_is_a_wsdl_operation_with_its_soap_action(name):
    soap = OPERATIONS[name].soap
    wsdl = _wsdl()
    assert wsdl.find(f"{WSDL}portType/{WSDL}operation[@name='{soap}']") is not None
    bound = wsdl.find(f"{WSDL}binding/{WSDL}operation[@name='{soap}']/{SOAP_BINDING}operation")
    assert bound.get("soapAction") == f"urn:ibok:erp:v1#{soap}"


def test_the_wsdl_has_no_operation_the_table_lacks():
    names = {element.get("name") for element in _wsdl().find(f"{WSDL}portType").iter(f"{WSDL}operation")}
    assert names == {operation.soap for operation in OPERATIONS.values()}


def test_every_operation_has_its_openapi_operation_id_at_the_tables_method_and_path():
    document = yaml.safe_load((CONTRACT / "openapi.yaml").read_text(encoding="utf-8"))
    found = {
        item["operationId"]: (method.upper(), path)
        for path, entry in document["paths"].items()
        for method, item in entry.items()
        if isinstance(item, dict) and "operationId" in item
    }
    assert found == {name: (operation.method, operation.path) for name, operation in OPERATIONS.items()}


@pytest.fixture(scope="module")
def rules():
    return {rule.endpoint: rule for rule in create_simulator().url_map.iter_rules()}


@pytest.mark.parametrize("name", OPERATIONS)
def test_every_operation_has_its_simulator_handler_over_both_protocols(rules, name):
    operation = OPERATIONS[name]
    assert callable(getattr(DemoStore, name))  # SOAP dispatches to the store's method of the operation's name
    rule = rules[f"erp_rest.{name}"]
    assert operation.method in rule.methods
    assert rule.rule == "/api/v1" + operation.path.replace("{", "<").replace("}", ">")


def test_every_operation_has_its_reply_schema_in_the_tables_order():
    assert list(REPLIES) == list(OPERATIONS)
    assert REPLIES["list_invoices"].key == "invoices" and REPLIES["get_invoice"].key is None


def _hand_lists(path: Path) -> list[int]:
    """Lines of literal collections (tuple, list, set, dict keys) naming two operations or more."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        items = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", None)
        if not isinstance(node, (ast.Dict, ast.Tuple, ast.List, ast.Set)) or items is None:
            continue
        names = {item.value for item in items if isinstance(item, ast.Constant) and item.value in OPERATIONS}
        if len(names) >= 2:
            lines.append(node.lineno)
    return lines


def test_no_module_lists_the_operations_by_hand():
    found = {
        str(path.relative_to(ROOT)): _hand_lists(path)
        for folder in MACHINERY
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path not in TABLES
    }
    assert {path: lines for path, lines in found.items() if lines} == {}


class HandWritten(BillingPort):
    """An adapter written by hand for an ERP of its own: it overrides the typed methods it offers."""

    def get_customer(self, customer_id: str) -> Customer:
        return FakeBilling(DemoStore.load()).get_customer(customer_id)


def test_a_hand_written_adapter_is_reached_through_its_named_methods_behind_cache_and_breakers():
    port = CachedBilling(BreakerBilling(HandWritten()))
    assert port.get_customer("K-1001").name == "Jan Kowalski"
    with pytest.raises(ErpNotOffered, match="list_invoices: the ERP does not offer this operation"):
        port.list_invoices("K-1001")
