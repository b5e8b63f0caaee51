"""What the meter pages work out from the ERP's list: the filter, legalisation warnings, replacements."""

from __future__ import annotations

import enum
from datetime import date, timedelta
from typing import Sequence

from adapters.core.records import Meter, MeterStatus

EXPIRING_WITHIN = timedelta(days=90)


class Legalisation(enum.StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"


def legalisation(meter: Meter, today: date) -> Legalisation | None:
    """Expired, or expiring within 90 days, stands out; a removed meter's no longer matters, and a date the ERP
    does not hold cannot be judged (None)."""
    if meter.status is MeterStatus.REMOVED or meter.legalisation_valid_until is None:
        return None
    if meter.legalisation_valid_until < today:
        return Legalisation.EXPIRED
    if meter.legalisation_valid_until <= today + EXPIRING_WITHIN:
        return Legalisation.EXPIRING
    return Legalisation.VALID


def filter_meters(meters: Sequence[Meter], serial: str | None, status: MeterStatus | None) -> list[Meter]:
    """Serial by any part of it, in any case; the cached full list is filtered instead of asking the ERP again."""
    needle = (serial or "").strip().casefold()
    return [meter for meter in meters
            if needle in meter.serial.casefold() and (status is None or meter.status is status)]


def replaced_by(meters: Sequence[Meter], meter: Meter) -> Meter | None:
    """The meter installed in this one's place, if the customer has it."""
    return next((other for other in meters if other.replaces_meter_id == meter.id), None)


def replaces(meters: Sequence[Meter], meter: Meter) -> Meter | None:
    """The meter this one replaced, when it is among the customer's own."""
    return next((other for other in meters if other.id == meter.replaces_meter_id), None)
