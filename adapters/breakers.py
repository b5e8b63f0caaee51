"""BreakerBilling: a circuit breaker per group of ERP operations, in front of any BillingPort.

After `fail_max` calls in a row that found the ERP unavailable, calls of that group fail at once for
`reset_timeout` seconds (no worker waits on a dead ERP); then one probe call is let through, and its
outcome closes or reopens the circuit. Only unavailability counts: "not found", a refused write or a
malformed reply are answers, and one customer's bad record must not cut everyone off.
"""

from __future__ import annotations

from typing import Any, Mapping

import pybreaker

from adapters.delegating import DelegatingBilling
from adapters.errors import ErpUnavailable
from adapters.port import OPERATIONS, BillingPort

GROUPS: Mapping[str, tuple[str, ...]] = {
    "customer": ("get_customer", "list_contracts", "get_contract_scan", "set_einvoice_consent"),
    "meters": ("list_meters", "list_readings", "submit_reading"),
    "invoices": ("list_invoices", "get_invoice", "get_invoice_pdf"),
    "settlements": ("get_settlements",),
    "documents": ("list_documents", "get_document"),
    "messages": ("list_messages", "send_message"),
}
GROUP_OF = {operation: group for group, operations in GROUPS.items() for operation in operations}
assert set(GROUP_OF) == set(OPERATIONS), "every operation belongs to exactly one breaker group"


def _is_answer(error: BaseException) -> bool:
    """pybreaker's exclusion: True for errors that are not the ERP being unavailable."""
    return not isinstance(error, ErpUnavailable)


class BreakerBilling(DelegatingBilling):
    """Wraps a port; the breakers are per process, as pybreaker keeps its state in memory."""

    def __init__(self, inner: BillingPort, fail_max: int = 5, reset_timeout: float = 30.0) -> None:
        super().__init__(inner)
        self.breakers = {
            group: pybreaker.CircuitBreaker(
                fail_max=fail_max,
                reset_timeout=reset_timeout,
                exclude=[_is_answer],
                name=group,
                throw_new_error_on_trip=False,
            )
            for group in GROUPS
        }

    def states(self) -> dict[str, str]:
        """Each group's state: closed (normal), open (failing fast) or half-open (probing)."""
        return {group: str(breaker.current_state) for group, breaker in self.breakers.items()}

    def _call(self, operation: str, *args: Any) -> Any:
        breaker = self.breakers[GROUP_OF[operation]]
        try:
            return breaker.call(getattr(self.inner, operation), *args)
        except pybreaker.CircuitBreakerError:
            raise ErpUnavailable(operation, "the ERP is failing: calls are paused for a while") from None
