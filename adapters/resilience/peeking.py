"""Peekable: the optional interface of a port that can hand back its last good answer without asking the ERP."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Peekable(Protocol):
    """Offered by the cache (CachedBilling); a plain adapter has no earlier answers to give."""

    def peek(self, operation: str, customer_id: str, *args: Any) -> Any | None:
        """The last good answer to this call, or None; for guesses the caller checks against a real answer."""
        ...
