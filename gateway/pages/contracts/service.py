"""Contracts grouped per premise, and the signed scan handed over with an audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from flask_babel import lazy_gettext as _l

from adapters.core.port import BillingPort
from adapters.core.records import Contract, ContractStatus, FileContent
from gateway.accounts import audit
from gateway.db.database import db

CONTRACT_STATUSES = {
    ContractStatus.ACTIVE: _l("in force"),
    ContractStatus.TERMINATED: _l("terminated"),
    ContractStatus.PENDING: _l("not yet in force"),
}
# Contracts in force first, then those to come, then the history.
STATUS_ORDER = {ContractStatus.ACTIVE: 0, ContractStatus.PENDING: 1, ContractStatus.TERMINATED: 2}


@dataclass(frozen=True)
class PremiseContracts:
    premise_id: str
    address: str
    contracts: list[Contract]


def group_by_premise(contracts: Sequence[Contract], addresses: dict[str, str]) -> list[PremiseContracts]:
    """Premises in the ERP's order (unknown ones last), each with its contracts, newest in force first (those
    without a start date after the dated ones, in the ERP's order)."""
    order = {premise_id: index for index, premise_id in enumerate(addresses)}
    premise_ids = sorted({c.premise_id for c in contracts}, key=lambda p: (order.get(p, len(order)), p))
    return [
        PremiseContracts(premise_id, addresses.get(premise_id, premise_id), sorted(
            (c for c in contracts if c.premise_id == premise_id),
            key=lambda c: (STATUS_ORDER.get(c.status, 3), -c.valid_from.toordinal() if c.valid_from else 1),
        ))
        for premise_id in premise_ids
    ]


def contract_scan(port: BillingPort, customer_id: str, contract: Contract, inline: bool) -> FileContent:
    """The ERP's scan, recorded in the audit log as handed over (ErpNotFound when it has none after all)."""
    scan = port.get_contract_scan(customer_id, contract.id)
    audit.record("contract.scan.download", contract_id=contract.id, contract_number=contract.number, inline=inline)
    db().commit()
    return scan
