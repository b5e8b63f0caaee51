"""The ERP's answers a run needs, per customer: only the reads its accounts' kinds need, from a small pool of
threads, every call waiting its turn at the rate limit. A failure skips that customer for this run only."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Mapping

from adapters.core.errors import ErpError
from adapters.core.port import BillingPort
from adapters.resilience.cached import CachedBilling
from gateway.notify.ratelimit import RateLimiter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answers:
    """One customer's answers by operation name; `failed` when any read failed (the customer is skipped)."""

    by_operation: dict[str, Any] = field(default_factory=dict)
    failed: bool = False


def fresh(port: BillingPort) -> BillingPort:
    """The port without the pages' cache: a reminder must not rest on a kept answer (an invoice paid since would
    still look unpaid), and ten thousand customers' answers would push the pages' ones out. Breakers stay."""
    while isinstance(port, CachedBilling):
        port = port.inner
    return port


class Fetcher:
    """Asks the ERP for a batch of customers at once, bounded by the pool's threads and the rate limit."""

    def __init__(self, port: BillingPort, limiter: RateLimiter, threads: int) -> None:
        self.port, self.limiter, self.threads = port, limiter, max(1, threads)

    def one(self, customer_id: str, operations: set[str]) -> Answers:
        answers: dict[str, Any] = {}
        for operation in sorted(operations):
            self.limiter.wait()
            try:
                answers[operation] = getattr(self.port, operation)(customer_id)
            except ErpError as error:
                # The customer id is personal data: the line names the operation and the error's kind only.
                log.warning("notify: one customer skipped this run, %s failed: %s", operation, type(error).__name__)
                return Answers(answers, failed=True)
        return Answers(answers)

    def batch(self, needs: Mapping[str, set[str]]) -> dict[str, Answers]:
        """Each customer's answers; the pool lives for one batch, so a run holds at most `threads` threads."""
        with ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="notify-erp") as pool:
            futures = {customer: pool.submit(self.one, customer, operations) for customer, operations in needs.items()}
            return {customer: future.result() for customer, future in futures.items()}
