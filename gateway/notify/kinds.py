"""The kinds of reminder: each one's consent documents, the ERP operation it reads, its label, its e-mail and SMS."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

NEW_INVOICE, DUE_SOON, OVERDUE, READING_WINDOW, REPLY = "new_invoice", "due_soon", "overdue", "reading_window", "reply"
EMAIL, SMS = "email", "sms"
# An SMS needs the customer's phone number, which only the ERP holds.
PHONE_OPERATION = "get_customer"
# The same answer names the customer's premises, for the mail of an account showing several customers.
CUSTOMER_OPERATION = PHONE_OPERATION
# The wording of the switches the customer agrees to; a new wording would ask again under a new version.
CONSENT_VERSION = "2026-12"


@dataclass(frozen=True)
class Kind:
    """One switch on the settings page: what it is called in the consent log, which ERP list it needs."""

    name: str
    consent_document: str
    operation: str
    label: LazyString
    subject: LazyString

    @property
    def template(self) -> str:
        return f"mail/notify_{self.name}.txt"

    @property
    def sms_template(self) -> str:
        return f"sms/notify_{self.name}.txt"

    @property
    def sms_consent_document(self) -> str:
        """The SMS switch is a consent of its own: "sms-nowa-faktura" beside "e-mail-nowa-faktura"."""
        return "sms-" + self.consent_document.removeprefix("e-mail-")

    def consent_document_for(self, channel: str) -> str:
        return self.sms_consent_document if channel == SMS else self.consent_document


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(NEW_INVOICE, "e-mail-nowa-faktura", "list_invoices", _l("A new invoice"),
             _l("A new invoice in the customer portal (IBOK)")),
        Kind(DUE_SOON, "e-mail-termin-platnosci", "get_settlements", _l("A payment due soon"),
             _l("A payment falls due soon")),
        Kind(OVERDUE, "e-mail-zaleglosc", "get_settlements", _l("An overdue payment"),
             _l("A payment is overdue")),
        Kind(READING_WINDOW, "e-mail-odczyt", "list_meters", _l("Time to send a meter reading"),
             _l("You can send your meter reading now")),
        Kind(REPLY, "e-mail-odpowiedz", "list_messages", _l("A reply to your message"),
             _l("The customer office has replied to your message")),
    )
}
CONSENT_DOCUMENTS = {kind.consent_document: kind for kind in KINDS.values()}
SMS_CONSENT_DOCUMENTS = {kind.sms_consent_document: kind for kind in KINDS.values()}


def operations_for(kinds: set[str]) -> set[str]:
    """The ERP reads the switched-on kinds need, each once: due dates and arrears share the settlements."""
    return {KINDS[name].operation for name in kinds}
