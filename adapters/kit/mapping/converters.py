"""The mapping file's converters: an ERP's way of writing a value, turned into what the port's records hold.

Each takes the value found at a field's path (never None: an absent value stays absent) and returns the value
the contract's schema takes, or raises ConvertError saying what it expected, never quoting the value (it may
be personal data). Money never passes through a float: decimals come from text or from JSON numbers already
read as Decimal.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

# OData v2 JSON: "/Date(1700000000000)/" (UTC milliseconds), with "+0060" or "-0120" minutes for an offset.
ODATA_DATE = re.compile(r"^/Date\((-?\d{1,15})(?:([+-])(\d{1,4}))?\)/$")
# SAP's "no date": an initial DATS field.
NO_DATES = frozenset({"00000000", "0000-00-00"})
# SAP writes a negative amount with the sign last, "125.40-", in many exports.
TRAILING_MINUS = re.compile(r"^\d[\d.]*-$")
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
TRUE_WORDS = frozenset({"true", "x", "1", "yes"})
FALSE_WORDS = frozenset({"false", "", "0", "no"})


class ConvertError(ValueError):
    """The value is not what the converter reads; the message says what it expected."""


def to_text(value: Any) -> str:
    """Ids and names; a number becomes its text (SAP sends some ids as numbers)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise ConvertError("expected text")
    return str(value)


def to_decimal(value: Any) -> Decimal:
    """"125.40", "125.40-", 125.4 (read as Decimal from JSON) or an int, exactly; a float from a hook by its
    shortest repr, so 0.1 stays 0.1."""
    if isinstance(value, bool):
        raise ConvertError("expected a decimal number")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if not isinstance(value, str):
        raise ConvertError("expected a decimal number")
    text = value.strip()
    if TRAILING_MINUS.match(text):
        text = "-" + text[:-1]
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ConvertError("expected a decimal number") from None
    if not number.is_finite():
        raise ConvertError("expected a finite decimal number")
    return number


def to_decimal_comma(value: Any) -> Decimal:
    """"1 234,50": a decimal comma and spaces between thousands, as Polish ERPs print money."""
    if isinstance(value, str):
        value = value.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    return to_decimal(value)


def to_date(value: Any) -> date | None:
    """"/Date(ms)/" (its offset's local day), "2026-11-05", "20261105", "2026-11-05T00:00:00"; SAP's empty
    date "00000000" is no date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ConvertError("expected a date")
    if value in NO_DATES:
        return None
    if value.startswith("/Date("):
        return to_datetime(value).date()
    try:
        return datetime.fromisoformat(value).date() if len(value) > 10 else date.fromisoformat(value)
    except ValueError:
        raise ConvertError("expected a date (/Date(ms)/ or ISO 8601)") from None


def to_datetime(value: Any) -> datetime:
    """"/Date(ms)/" as the moment it names (in its offset, UTC without one); ISO 8601 with an offset, or
    without one taken as UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if not isinstance(value, str):
        raise ConvertError("expected a date and time")
    match = ODATA_DATE.match(value)
    if match:
        millis, sign, minutes = match.groups()
        offset = timedelta(minutes=int(minutes or 0)) * (-1 if sign == "-" else 1)
        try:
            return (EPOCH + timedelta(milliseconds=int(millis))).astimezone(timezone(offset))
        except (OverflowError, ValueError):
            raise ConvertError("date out of range") from None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ConvertError("expected a date and time (/Date(ms)/ or ISO 8601)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def to_integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ConvertError("expected a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, (str, Decimal)):
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ConvertError("expected a whole number") from None
        if number.is_finite() and number == number.to_integral_value():
            return int(number)
    raise ConvertError("expected a whole number")


def to_boolean(value: Any) -> bool:
    """JSON true/false, or the text "true"/"false", "X"/"" (SAP's flags), "1"/"0", "yes"/"no"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise ConvertError("expected true or false")


CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "text": to_text,
    "decimal": to_decimal,
    "decimal_comma": to_decimal_comma,
    "date": to_date,
    "datetime": to_datetime,
    "integer": to_integer,
    "boolean": to_boolean,
}


def odata_date(value: date) -> str:
    """A date as OData v2 JSON writes an Edm.DateTime: milliseconds since 1970 at UTC midnight."""
    moment = datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    return f"/Date({int((moment - EPOCH).total_seconds()) * 1000})/"


# How a write's values go into a request body.
WRITERS: dict[str, Callable[[Any], Any]] = {
    "text": str,
    "odata_date": lambda value: odata_date(date.fromisoformat(str(value))),
    "iso_date": lambda value: date.fromisoformat(str(value)).isoformat(),
    "decimal": lambda value: str(Decimal(str(value))),
    "boolean": bool,
}
