"""The customer's premises by address, so pages name each premise the way the customer knows it.

A failed premise lookup never fails a page: the premise is then named by its id.
"""

from __future__ import annotations

from typing import Callable, TypeVar

from flask import current_app

from adapters.core.errors import ErpError
from adapters.core.port import BillingPort
from adapters.core.records import Customer
from gateway.erp.concurrent import gather, page_deadline

T = TypeVar("T")


def _addresses(customer: Customer) -> dict[str, str]:
    return {premise.id: str(premise.address) for premise in customer.premises}


def premise_addresses(port: BillingPort, customer_id: str) -> dict[str, str]:
    """Premise id → address; empty when the ERP cannot say now."""
    try:
        return _addresses(port.get_customer(customer_id))
    except ErpError as error:
        current_app.logger.warning("premises shown by id: %s", error)
        return {}


def with_premises(port: BillingPort, customer_id: str, load: Callable[[], T]) -> tuple[T, dict[str, str]]:
    """A list and the premises at once; the list's error ends the page, the premises' only loses addresses."""
    outcomes = gather({"items": load, "customer": lambda: port.get_customer(customer_id)}, page_deadline())
    items, customer = outcomes["items"], outcomes["customer"]
    if items.error is not None:
        raise items.error
    if customer.error is not None:
        current_app.logger.warning("premises shown by id: %s", customer.error)
        return items.value, {}
    return items.value, _addresses(customer.value)
