"""Typed ERP errors: every adapter maps its transport's failures onto these, so the portal handles one set."""

from __future__ import annotations


class ErpError(Exception):
    """Base of everything that went wrong talking to the ERP, naming the operation it happened in.

    The arguments stay in `args` as given, so the errors pickle and copy (an outbox may store them).
    """

    def __init__(self, operation: str, message: str, *details: str) -> None:
        super().__init__(operation, message, *details)

    @property
    def operation(self) -> str:
        return str(self.args[0])

    @property
    def message(self) -> str:
        return str(self.args[1])

    def __str__(self) -> str:
        return f"{self.operation}: {self.message}"


class ErpNotFound(ErpError):
    """The ERP has no such object for this customer."""


class ErpUnavailable(ErpError):
    """The ERP could not answer now: timeout, refused connection, 5xx, refused credentials. Raised as such, the
    request may have reached the ERP (a write may be stored there): callers assume so unless told ErpNotSent."""


class ErpNotSent(ErpUnavailable):
    """Unavailable, and the request provably never left the portal (circuit open, connection refused, no time left
    before sending): a write cannot be in the ERP, so the customer may still withdraw or correct it."""


class ErpNotOffered(ErpError):
    """The ERP does not offer this operation at all (the adapter's capabilities leave it out): a lasting
    answer, neither "not found" nor "unavailable", so it is never retried, cached as a failure or counted."""


class ErpBadResponse(ErpError):
    """The ERP answered with something the contract does not allow; `field` names the culprit."""

    def __init__(self, operation: str, message: str, field: str | None = None) -> None:
        super().__init__(operation, message, *([field] if field else []))

    @property
    def field(self) -> str | None:
        return str(self.args[2]) if len(self.args) > 2 else None

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.operation}: {where}{self.message}"


class ErpRejected(ErpError):
    """The ERP refused a write; `reason` is its own words, fit to show the customer."""

    def __init__(self, operation: str, reason: str, code: str = "REJECTED") -> None:
        super().__init__(operation, reason, code)

    def __str__(self) -> str:
        """What a log line shows: the ERP's words may quote the customer (name, address, PESEL), so only their code."""
        return f"{self.operation}: refused by the ERP ({self.code})"

    @property
    def reason(self) -> str:
        return self.message

    @property
    def code(self) -> str:
        return str(self.args[2])
