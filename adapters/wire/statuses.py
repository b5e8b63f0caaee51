"""One table from HTTP statuses to ERP errors, and one sanitiser of the ERP's reasons, for both protocols.

Messages never quote the reply or the address: they reach logs and error pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from adapters.core.errors import ErpBadResponse, ErpError, ErpNotFound, ErpRejected, ErpUnavailable
from adapters.core.operations import WRITES

MAX_REASON_CHARS = 500
FALLBACK_REASON = "System rozliczeniowy odrzucił operację."
# A write the ERP answers 400 to is one it can never take: what the customer reads when it gives no reason.
MALFORMED_REASON = ("System rozliczeniowy nie przyjmuje tych danych w tej postaci. "
                    "Prosimy Państwa o kontakt z biurem obsługi klienta.")
REJECTION_CODES = frozenset({"REJECTED", "INVALID"})
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class StatusRule:
    error: type[ErpError]
    message: str
    rest_only: bool = False  # the REST contract's meaning; over SOAP the ERP says this with a fault instead


_CREDENTIALS = StatusRule(ErpUnavailable, "ERP refused the credentials")
_TRY_LATER = StatusRule(ErpUnavailable, "ERP answered {status}")
_REFUSED = StatusRule(ErpRejected, FALLBACK_REASON, rest_only=True)
STATUSES: Mapping[int, StatusRule] = {
    401: _CREDENTIALS,
    403: _CREDENTIALS,
    404: StatusRule(ErpNotFound, "the ERP has no such object", rest_only=True),
    408: _TRY_LATER,
    409: _REFUSED,
    422: _REFUSED,
    429: _TRY_LATER,
}


def error_for_status(operation: str, status: int, *, soap: bool = False, reason: object = None,
                     code: object = None) -> ErpError | None:
    """None for a 2xx; else the error the status means (a refusal carries the ERP's `reason` and `code`)."""
    if 200 <= status < 300:
        return None
    if status == 400 and operation in WRITES:  # the ERP can never take this payload: a refusal, not a fault
        return ErpRejected(operation, sanitise_reason(reason, MALFORMED_REASON), code="INVALID")
    rule = STATUSES.get(status)
    if rule is None or (soap and rule.rest_only):
        rule = _TRY_LATER if status >= 500 else StatusRule(ErpBadResponse, "unexpected status {status}")
    if rule.error is ErpRejected:
        known = str(code) if code in REJECTION_CODES else "REJECTED"
        return ErpRejected(operation, sanitise_reason(reason), code=known)
    return rule.error(operation, rule.message.format(status=status))


def sanitise_reason(text: object, fallback: str = FALLBACK_REASON) -> str:
    """The ERP's words go to the customer: one line, bounded, never empty."""
    if not isinstance(text, str):
        return fallback
    reason = " ".join(_CONTROL_CHARS.sub(" ", text).split())[:MAX_REASON_CHARS]
    return reason or fallback
