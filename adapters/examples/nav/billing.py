"""Dynamics NAV: an adapter plugin over NAV's SOAP page web services (published WSDLs: wsdl/README.md), on the kit
alone. A payer is a Customer card, each contract a card billed to it (its premise's id in GLN); a journal batch per
customer holds its ledger. NAV keeps no meters, readings, documents, messages or PDFs: those are not offered."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from adapters import kit

WSDL_DIR = Path(__file__).resolve().parent / "wsdl"
KINDS = {"DOM": "house", "LOKAL": "flat", "FIRMA": "commercial", "DZIALKA": "garden"}
ENTRY_KINDS = {"Invoice": "invoice", "Finance_Charge_Memo": "interest_note", "Payment": "payment"}  # else: a correction
Row = dict[str, Any]


def nav_faults(operation: str, fault: kit.SoapFault) -> kit.ErpError | None:
    """NAV names its exception in the fault code: a locked table or a missing permission is not a bad request."""
    if fault.code.endswith(("LockTimeoutException", "PermissionException")):
        return kit.ErpUnavailable(operation, "NAV is locked or refused the portal's permissions")
    return None


class NavBilling(kit.BillingPort):
    """Customer, contracts and premises from customer cards; invoices and settlements from the journal."""

    kit_version = "1.0"
    secret_fields = ("bookmarkKey",)  # it repeats a record's Key, which recordings drop (named like a credential)
    personal_fields = {"Name": "name", "Address": "street", "Address_2": "street", "Post_Code": "postal_code",
                       "City": "city", "Phone_No": "phone", "E_Mail": "email", "VAT_Registration_No": "tax_id"}

    def __init__(self, settings: kit.ErpSettings, *, http: kit.ErpHttp | None = None) -> None:
        http = http or kit.ErpHttp(settings)
        wsdl = Path(settings.options.get("wsdl_dir") or WSDL_DIR)
        self.template = str(settings.options.get("journal_template", "IBOK"))
        self.page_size = int(settings.options.get("page_size", 50))

        def page(name: str) -> kit.SoapService:  # each NAV page is a service of its own: <company URL>/Page/<name>
            url = f"{settings.url.rstrip('/')}/Page/{name}"
            return kit.SoapService(replace(settings, url=url), wsdl / f"{name}.wsdl", http=http, faults=nav_faults)

        self.cards, self.journal = page("Customer"), page("Journal")

    def get_customer(self, customer_id: str) -> kit.Customer:
        card = self._payer("get_customer", customer_id)
        cards = self._all(self.cards, "get_customer", [("Bill_to_Customer_No", customer_id)])
        premises = {c["GLN"]: {"premiseId": c["GLN"], "address": _address(c), "kind": KINDS.get(
            c["Gen_Bus_Posting_Group"])} for c in cards if c["GLN"]}  # GLN: the point of supply's id
        return kit.load_reply("get_customer", {
            "customerId": card["No"], "fullName": card["Name"], "address": _address(card),
            "email": card["E_Mail"], "phone": card["Phone_No"], "taxId": card["VAT_Registration_No"],
            "taxIdType": "NIP" if card["VAT_Registration_No"] else None, "premises": list(premises.values()),
        })

    def list_contracts(self, customer_id: str) -> list[kit.Contract]:
        self._payer("list_contracts", customer_id)
        return kit.load_reply("list_contracts", [{
            "contractId": card["No"], "contractNumber": card["Search_Name"], "premiseId": card["GLN"],
            "status": "terminated" if card["Blocked"] == "All" else "active", "hasScan": False,
            "tariffGroup": card["Customer_Price_Group"],
            "eInvoiceConsent": card["Document_Sending_Profile"] == "E-FAKTURA",
        } for card in self._all(self.cards, "list_contracts", [("Bill_to_Customer_No", customer_id)])])

    def list_invoices(self, customer_id: str) -> list[kit.InvoiceSummary]:
        invoices = kit.load_reply("list_invoices", self._invoices("list_invoices", customer_id))
        return sorted(invoices, key=lambda invoice: (invoice.issued_on, int(invoice.id)), reverse=True)

    def get_invoice(self, customer_id: str, invoice_id: str) -> kit.Invoice:
        """The journal's line number is the invoice's id; another customer's line is in another batch."""
        found = [i for i in self._invoices("get_invoice", customer_id) if i["invoiceId"] == invoice_id]
        if not found:
            raise kit.ErpNotFound("get_invoice", "no such invoice for this customer")
        return kit.load_reply("get_invoice", found[0])

    def get_settlements(self, customer_id: str) -> kit.Settlements:
        ledger = self._ledger("get_settlements", customer_id)
        balance = sum((line["Amount"] for _, line in ledger), Decimal("0.00"))  # money received is negative
        return kit.load_reply("get_settlements", {"balance": str(balance), "entries": [e for e, _ in ledger]})

    def _payer(self, operation: str, customer_id: str) -> Row:
        card = self.cards.call(operation, "Read", No=customer_id)
        if not card or card.get("Bill_to_Customer_No"):  # a contract's card is no customer of the portal
            raise kit.ErpNotFound(operation, "no such customer")
        return card

    def _all(self, page: kit.SoapService, operation: str, filters: list[tuple[str, str]]) -> list[Row]:
        """ReadMultiple page after page: the next one starts after the last record's key (NAV's bookmark)."""
        rows: list[Row] = []
        bookmark = None
        while True:
            found = page.call(operation, "ReadMultiple", filter=[{"Field": f, "Criteria": c} for f, c in filters],
                              bookmarkKey=bookmark, setSize=self.page_size) or []
            rows.extend(found)
            if len(found) < self.page_size:
                return rows
            bookmark = found[-1]["Key"]

    def _ledger(self, operation: str, customer_id: str) -> list[tuple[Row, Row]]:
        """Each line of the customer's batch as a settlement entry, with the line: money received is applied to the
        oldest charges first (the payer's Application Method), charges fall due by its Payment Terms Code."""
        terms = re.fullmatch(r"(\d+)D", self._payer(operation, customer_id).get("Payment_Terms_Code") or "")
        lines = self._all(self.journal, operation, [("Journal_Template_Name", self.template),
                                                    ("Journal_Batch_Name", customer_id)])
        missing = next((f for line in lines for f in ("Line_No", "Posting_Date", "Amount") if line[f] is None), None)
        if missing:  # NAV leaves out an empty field: the line cannot be placed in the ledger without it
            raise kit.ErpBadResponse(operation, "a journal line lacks a field", field=missing)
        charges = [line for line in lines if line["Amount"] > 0]
        credits = [line for line in lines if line["Amount"] <= 0]
        applied = min(sum(line["Amount"] for line in charges), -sum(line["Amount"] for line in credits))
        covered = {**_apply(charges, applied), **_apply(credits, applied)}
        days = int(terms.group(1)) if terms else None
        return [(_entry(line, covered[line["Line_No"]], days), line) for line in lines]

    def _invoices(self, operation: str, customer_id: str) -> list[Row]:
        return [{
            "invoiceId": entry["invoiceId"], "invoiceNumber": entry["documentNumber"], "issueDate": entry["issueDate"],
            "dueDate": entry["dueDate"], "grossAmount": entry["amount"],  # the journal line is the invoice's one line
            "lines": [{"description": line["Description"] or entry["documentNumber"], "grossAmount": entry["amount"]}],
            "status": "paid" if not Decimal(entry["remainingAmount"]) else
            "unpaid" if entry["remainingAmount"] == entry["amount"] else "partly_paid",
        } for entry, line in self._ledger(operation, customer_id) if line["Document_Type"] == "Invoice"]


def _address(card: Row) -> Row:
    return {"street": card["Address"], "postalCode": card["Post_Code"], "city": card["City"]}


def _apply(lines: list[Row], amount: Decimal) -> dict[int, Decimal]:
    """How much of each line the applied amount covers, oldest line first."""
    covered = {}
    for line in sorted(lines, key=lambda line: (line["Posting_Date"], line["Line_No"])):
        covered[line["Line_No"]] = min(abs(line["Amount"]), amount)
        amount -= covered[line["Line_No"]]
    return covered


def _entry(line: Row, covered: Decimal, days: int | None) -> Row:
    kind = ENTRY_KINDS.get(line["Document_Type"], "correction")
    amount = -line["Amount"] if kind == "payment" else line["Amount"]
    settled = covered if amount >= 0 else -covered
    posted: date = line["Posting_Date"]
    due = posted + timedelta(days=days) if days is not None and kind != "payment" else None
    return {"entryType": kind, "documentNumber": line["Document_No"], "issueDate": posted.isoformat(),
            "dueDate": due and due.isoformat(), "amount": str(amount), "settledAmount": str(settled),
            "remainingAmount": str(amount - settled), "invoiceId": str(line["Line_No"]) if kind == "invoice" else None}
