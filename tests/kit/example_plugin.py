"""AquaBill: an example adapter plugin for a made-up REST ERP, written on the kit alone (docs/adapters.md).

AquaBill's API is not the portal's contract: clients at /clients/{id}, bills listed by id only (each bill is one
more call), amounts as strings with a comma, dates as day.month.year, statuses in its own words. The plugin maps
each reply onto the contract's wire names and lets `load_reply` make the port's records of them.
"""

from __future__ import annotations

from typing import Any

from adapters.kit import (
    BillingPort,
    Customer,
    ErpBadResponse,
    ErpHttp,
    ErpNotFound,
    ErpSettings,
    FileContent,
    InvoiceSummary,
    RestClient,
    load_reply,
)

BILL_STATUSES = {"settled": "paid", "open": "unpaid", "part": "partly_paid"}
SITE_KINDS = {"H": "house", "F": "flat", "B": "commercial", "G": "garden"}


class AquaBillBilling(BillingPort):
    """Reads customers, invoices and invoice PDFs; AquaBill offers nothing else to the portal."""

    kit_version = "1.0"
    # Options whose names do not say they are secret, but are: never logged, never recorded.
    secret_options = frozenset({"tenant"})

    def __init__(self, settings: ErpSettings, *, http: ErpHttp | None = None) -> None:
        self.rest = RestClient(settings, http=http)
        self.tenant = str(settings.options.get("tenant", ""))
        self.max_bills = int(settings.options.get("max_bills", 50))

    def get_customer(self, customer_id: str) -> Customer:
        client = self._get("get_customer", "/clients/{}", customer_id)
        return load_reply("get_customer", {
            "customerId": client.get("no"),
            "fullName": client.get("name"),
            "address": _address(client.get("address")),
            "email": client.get("mail"),
            "taxId": client.get("nip"),
            "taxIdType": "NIP",
            "premises": [
                {"premiseId": site.get("id"), "address": _address(site.get("address")),
                 "kind": SITE_KINDS.get(site.get("type"))}
                for site in _items("get_customer", client, "sites")
            ],
        })

    def list_invoices(self, customer_id: str) -> list[InvoiceSummary]:
        """AquaBill lists bill ids only: one more call per bill, all within the operation's one deadline."""
        listing = self._get("list_invoices", "/clients/{}/bills", customer_id)
        ids = _items("list_invoices", listing, "ids")[:self.max_bills]
        bills = [self._bill("list_invoices", customer_id, str(bill_id)) for bill_id in ids]
        invoices = load_reply("list_invoices", [_invoice(bill) for bill in bills])
        return sorted(invoices, key=lambda invoice: invoice.issued_on, reverse=True)

    def get_invoice_pdf(self, customer_id: str, invoice_id: str) -> FileContent:
        self._bill("get_invoice_pdf", customer_id, invoice_id)  # another client's bill is not found
        url = self.rest.url("/bills/{}/print", invoice_id, query={"tenant": self.tenant})
        payload = self.rest.get_file("get_invoice_pdf", url, f"faktura-{invoice_id}.pdf", "application/pdf")
        return load_reply("get_invoice_pdf", payload)

    def _get(self, operation: str, path: str, *values: str) -> dict[str, Any]:
        reply = self.rest.get_json(operation, self.rest.url(path, *values, query={"tenant": self.tenant}))
        if not isinstance(reply, dict):
            raise ErpBadResponse(operation, "expected an object")
        return reply

    def _bill(self, operation: str, customer_id: str, bill_id: str) -> Any:
        """AquaBill serves any client's bill to the portal: the plugin keeps each customer to their own."""
        bill = self._get(operation, "/bills/{}", bill_id)
        if bill.get("client") != customer_id:
            raise ErpNotFound(operation, "no such invoice for this customer")
        return bill


def _items(operation: str, reply: dict[str, Any], key: str) -> list[Any]:
    items = reply.get(key, [])
    if not isinstance(items, list):
        raise ErpBadResponse(operation, "expected a list", field=key)
    return items


def _address(text: object) -> dict[str, str]:
    """AquaBill writes one line, "street, 00-000 city"; an absent one leaves the schema to name what is missing."""
    if not isinstance(text, str):
        return {}
    street, _, rest = text.rpartition(", ")
    postal_code, _, city = rest.partition(" ")
    return {"street": street, "postalCode": postal_code, "city": city}


def _amount(text: object) -> object:
    """"1 234,50" → "1234.50"; anything else is left for the schema to refuse, naming the field."""
    return text.replace(" ", "").replace(",", ".") if isinstance(text, str) else text


def _date(text: object) -> object:
    """"05.11.2026" → "2026-11-05"; anything else is left for the schema to refuse, naming the field."""
    if not isinstance(text, str) or text.count(".") != 2:
        return text
    day, month, year = text.split(".")
    return f"{year}-{month}-{day}"


def _invoice(bill: dict[str, Any]) -> dict[str, Any]:
    if bill.get("state") not in BILL_STATUSES:
        raise ErpBadResponse("list_invoices", "unknown bill state", field="state")
    return {
        "invoiceId": bill.get("id"),
        "invoiceNumber": bill.get("number"),
        "issueDate": _date(bill.get("issued")),
        "periodFrom": _date(bill.get("from")),
        "periodTo": _date(bill.get("to")),
        "dueDate": _date(bill.get("due")),
        "netAmount": _amount(bill.get("net")),
        "vatAmount": _amount(bill.get("vat")),
        "grossAmount": _amount(bill.get("gross")),
        "status": BILL_STATUSES[bill["state"]],
        "premiseId": bill.get("site"),
    }
