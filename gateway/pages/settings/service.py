"""What the settings page reads and changes: consents given, e-invoice state in the ERP, the password."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from adapters.core.errors import ErpError
from adapters.core.records import ContractStatus
from gateway.accounts.active import active_customer_id
from gateway.accounts.audit import client_address
from gateway.accounts.terms import EINVOICE_CONSENT
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.db.models import Account, ConsentRecord
from gateway.erp.billing import billing
from gateway.outbox.accept import accept, submissions
from gateway.outbox.awaiting import awaits_erp
from gateway.outbox.codec import EINVOICE_CONSENT as EINVOICE_CONSENT_WRITE
from gateway.outbox.codec import ConsentChange
from gateway.outbox.model import DELIVERED, REJECTED, OutboxItem

Change = tuple[OutboxItem, ConsentChange]


@dataclass(frozen=True)
class EinvoiceState:
    """What the settings page shows: the state (the customer's own change while the ERP does not show it yet,
    else the ERP's; None when neither is known), and the change to mark as being recorded or refused."""

    enabled: bool | None
    change: Change | None = None

    @property
    def recording(self) -> bool:
        return self.change is not None and self.change[0].status != REJECTED


def latest_consents(account: Account) -> list[ConsentRecord]:
    """The newest record per document: what the customer has agreed to now."""
    records = db().scalars(
        select(ConsentRecord).where(ConsentRecord.account_id == account.id).order_by(ConsentRecord.id.desc())
    )
    newest: dict[str, ConsentRecord] = {}
    for record in records:
        newest.setdefault(record.document, record)
    return sorted(newest.values(), key=lambda record: record.document)


def einvoice_enabled(customer_id: str) -> bool | None:
    """As the ERP holds it on the active contracts; None when it cannot say now or there is no contract."""
    try:
        contracts = billing().list_contracts(customer_id)
    except ErpError as error:
        current_app.logger.warning("e-invoice state unknown: %s", error)
        return None
    active = [contract for contract in contracts if contract.status == ContractStatus.ACTIVE]
    return any(contract.einvoice_consent for contract in active) if active else None


def set_einvoice(account: Account, enabled: bool, idempotency_key: str) -> OutboxItem:
    """Record the customer's consent now; the switch reaches the ERP through the outbox (nothing lost)."""
    item = accept(active_customer_id(account), account, ConsentChange(enabled, idempotency_key),
                  "e-faktura: włączona" if enabled else "e-faktura: wyłączona")
    account.consents.append(
        ConsentRecord(document=EINVOICE_CONSENT, version=account.terms_einvoice_version or "", granted=enabled,
                      recorded_at=utcnow(), client_address=client_address())
    )
    db().commit()
    return item


def latest_change(customer_id: str) -> Change | None:
    """The newest change sent from the portal lately, whatever became of it."""
    for item, write in submissions(customer_id, EINVOICE_CONSENT_WRITE):
        if isinstance(write, ConsentChange):
            return item, write
    return None


def einvoice_state(customer_id: str) -> EinvoiceState:
    """A change the ERP took stays shown until the ERP's answer agrees (or the wait is over): the page never
    offers the switch the customer has just used."""
    erp = einvoice_enabled(customer_id)
    change = latest_change(customer_id)
    if change is None:
        return EinvoiceState(erp)
    item, write = change
    if item.status == REJECTED:
        return EinvoiceState(erp, change)
    if not awaits_erp(item) or (item.status == DELIVERED and erp == write.enabled):
        return EinvoiceState(erp)
    return EinvoiceState(write.enabled, change)
