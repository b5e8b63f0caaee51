"""The start page's table of an account's linked customers: each one's balance, all asked of the ERP at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any, Callable

from adapters.core.errors import ErpError
from adapters.core.port import BillingPort
from adapters.core.records import Customer
from gateway.erp.concurrent import gather
from gateway.erp.dues import Dues, summarise


@dataclass(frozen=True)
class LinkedBalance:
    """One row: the customer number, where it supplies, and what is owed; a failed ERP call leaves its error."""

    customer_id: str
    address: str | None
    dues: Dues | None
    error: ErpError | None


def _address(customer: Customer) -> str:
    """The premise the customer number supplies (a manager's building), else the correspondence address."""
    return "; ".join(str(premise.address) for premise in customer.premises) or str(customer.address)


def _dues(port: BillingPort, customer_id: str, today: date) -> Dues:
    return summarise(port.get_settlements(customer_id), today)


def linked_balances(port: BillingPort, customer_ids: list[str], today: date, timeout: float) -> list[LinkedBalance]:
    """Every customer's data and balance in one round of concurrent calls, in the order given."""
    calls: dict[str, Callable[[], Any]] = {}
    for customer_id in customer_ids:
        calls[f"customer:{customer_id}"] = partial(port.get_customer, customer_id)
        calls[f"dues:{customer_id}"] = partial(_dues, port, customer_id, today)
    outcomes = gather(calls, timeout)
    rows = []
    for customer_id in customer_ids:
        customer, dues = outcomes[f"customer:{customer_id}"], outcomes[f"dues:{customer_id}"]
        rows.append(LinkedBalance(customer_id, _address(customer.value) if customer.ok else None,
                                  dues.value if dues.ok else None, dues.error))
    return rows
