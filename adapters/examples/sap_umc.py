"""SAP IS-U UMC (OData v2, ERP_UTILITIES_UMC): the hooks for what config/mappings/sap-umc.toml cannot say.

`IBOK_ERP_ADAPTER=sap-umc` selects it; the mapping file shipped beside the portal is used unless ERP_OPTIONS names
another (`mapping_file`). Everything else, requests, paths, converters, code tables, is in the file.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from adapters.kit import MappingBilling, MappingCall

MAPPING = Path(__file__).resolve().parents[2] / "config" / "mappings" / "sap-umc.toml"


def street_line(address: Any, call: MappingCall) -> str | None:
    """UMC splits the street line into Street and HouseNo; the portal shows one line ("ul. Klonowa 7")."""
    street = address.get("Street") if isinstance(address, dict) else None
    number = address.get("HouseNo") if isinstance(address, dict) else None
    if not street:
        return None
    return f"{street} {number}".strip() if number else str(street)


def balance(payload: dict[str, Any], call: MappingCall) -> dict[str, Any]:
    """UMC has no account balance: what the invoices leave to pay is the balance (payments settle invoices,
    so counting them too would count a payment twice)."""
    remaining = (entry["remainingAmount"] for entry in payload.get("entries", ()) if entry["entryType"] == "invoice")
    return {**payload, "balance": sum(remaining, Decimal("0.00"))}


class SapUmcBilling(MappingBilling):
    """The mapping adapter with SAP UMC's file (recordings hide the personal fields that file names)."""

    kit_version = "1.1"
    default_mapping = str(MAPPING)
