"""`load_reply`: a reply in the reference contract's wire names, checked and turned into the port's records."""

from __future__ import annotations

from typing import Any

from adapters.wire.schemas import REPLIES


def load_reply(operation: str, payload: Any) -> Any:
    """A reply written in the reference contract's wire names (docs/erp-contract.md) as the port's records:
    money as Decimal, dates as dates; a missing or ill-typed field is ErpBadResponse naming it. A list
    operation takes the items themselves or {key: items}."""
    reply = REPLIES[operation]
    if reply.key is not None and isinstance(payload, list):
        payload = {reply.key: payload}
    return reply.load(operation, payload)
