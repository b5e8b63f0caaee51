"""schemathesis, a tool nobody here wrote, fuzzes the simulator in-process from openapi.yaml alone: no 5xx,
replies and status codes as documented, authentication enforced, schema-valid requests accepted."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from fixtures.simulator.app import create_simulator
from fixtures.simulator.auth import DEMO
from fixtures.simulator.faults import FaultPlan
from fixtures.simulator.store import DemoStore

# About 1,000 generated requests over the contract's operations, the checks' own probes not counted.
EXAMPLES_PER_OPERATION = 50
ID_LENGTH = range(1, 65)
CONFIG = {
    "base-url": "http://127.0.0.1/api/v1",
    # The credentials are ours to give: schemathesis sends them, then probes without them and with wrong ones.
    "generation": {"max-examples": EXAMPLES_PER_OPERATION, "deterministic": True, "database": "none",
                   "with-security-parameters": False},
    # A schema-valid reading the ERP refuses by its rules (a date in the future) is the contract's 422.
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "422"]}},
}
STORE = DemoStore.load()
SIMULATOR = create_simulator(store=STORE, faults=FaultPlan(sleep=lambda _: None))
# In-process over WSGI, the contract read from the simulator, which serves it unsigned-in as the WSDL is.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.yaml", SIMULATOR, config=SchemathesisConfig.from_dict(CONFIG))
CONTROL = SIMULATOR.test_client()


def _ids(customer_id: str) -> dict[str, list[str]]:
    """The customer's own objects, so generated requests reach real data and not only 404s."""
    return {
        "customerId": [customer_id],
        "contractId": [item["contractId"] for item in STORE.list_contracts(customer_id)["contracts"]],
        "meterId": [item["meterId"] for item in STORE.list_meters(customer_id)["meters"]],
        "invoiceId": [item["invoiceId"] for item in STORE.list_invoices(customer_id)["invoices"]][:5],
        "documentId": [item["documentId"] for item in STORE.list_documents(customer_id)["documents"]],
    }


KNOWN = [_ids(customer_id) for customer_id in STORE.customer_ids()]


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Valid generated ids, or one customer's real ones; ids generated invalid on purpose, and ids of a kind
    this module does not know (an operation added later), stay as they are."""
    known = [ids for ids in KNOWN if all(ids.get(name) for name in path_parameters)]
    valid = all(isinstance(value, str) and len(value) in ID_LENGTH for value in path_parameters.values())
    if not (valid and known):
        return st.just(path_parameters)
    real = st.sampled_from(known).flatmap(
        lambda ids: st.fixed_dictionaries({name: st.sampled_from(ids[name]) for name in path_parameters})
    )
    return st.one_of(st.just(path_parameters), real)


@schema.parametrize()
@settings(derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_simulator_honours_the_contract(case: schemathesis.Case) -> None:
    # Each case from the dataset as loaded, so a case (and its shrinking) does not depend on the ones before it.
    assert CONTROL.post("/_sim/reset").status_code == 204
    case.call_and_validate(auth=(DEMO.username, DEMO.password))
