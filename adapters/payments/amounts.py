"""Money to an operator's integer grosze and back: exact, or refused, never rounded."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

GROSZE_PER_ZLOTY = 100
# No water bill comes near it; a larger number is a mistake, and an operator's integer field has its limits.
MAX_GROSZE = 9_999_999_999


class AmountError(ValueError):
    """The amount cannot be paid as whole grosze: a fraction of a grosz, a sign, or not a finite number."""


def to_grosze(amount: Decimal) -> int:
    """Whole grosze of a positive Decimal; 12.345 zł is refused, as rounding it would take or give money."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise AmountError(f"not a finite Decimal: {amount!r}")
    try:
        grosze = (amount * GROSZE_PER_ZLOTY).to_integral_exact()
    except InvalidOperation:
        raise AmountError(f"not a finite Decimal: {amount!r}") from None
    if grosze != amount * GROSZE_PER_ZLOTY:
        raise AmountError(f"{amount} has a fraction of a grosz")
    if not 0 < grosze <= MAX_GROSZE:
        raise AmountError(f"{amount} is not a positive amount within {MAX_GROSZE} grosze")
    return int(grosze)


def from_grosze(grosze: int) -> Decimal:
    """An operator's grosze as złoty with two places."""
    return (Decimal(grosze) / GROSZE_PER_ZLOTY).quantize(Decimal("0.01"))
