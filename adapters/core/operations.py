"""The one table of ERP operations: every layer (port, adapters, cache, breakers, simulator, checks) reads it."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

# A file is cached less: files are large and rarely read twice in a row.
FILE_CACHE_ENTRIES = 100
DEFAULT_TTL_SECONDS = 60.0


@dataclass(frozen=True)
class FileReply:
    """An operation that answers with a file: over REST the raw body, with a name to fall back on."""

    fallback_name: str  # a template over the request's wire names, e.g. "faktura-{invoiceId}.pdf"
    content_type: str | None = None  # the one type the contract allows; None takes the declared type


@dataclass(frozen=True)
class IdFrom:
    """Where a check or a recording takes an operation's id: the items of an earlier listing."""

    listing: str
    prefer: str | None = None  # a boolean attribute of the items: those that have it are tried first
    items: int | None = None  # how many of the listed items a recording fetches (None: all)


@dataclass(frozen=True)
class Operation:
    """One ERP operation, as the port, both protocols, the cache, the breakers and the checks know it."""

    name: str
    soap: str  # the WSDL operation; its reply is <soap + "Response">
    method: str  # the REST method and path (openapi.yaml), placeholders in wire names
    path: str
    group: str  # the circuit breaker it shares with the operations that fail together
    args: tuple[str, ...] = ()  # wire names of the port method's arguments after the customer id
    record: bool = False  # the one argument is a record whose wire fields are the request (a write's content)
    query: Mapping[str, str] = field(default_factory=dict)  # wire name → REST query parameter
    write: bool = False
    evicts: frozenset[str] = frozenset()  # the reads a write makes stale
    required: bool = False  # an ERP must offer it for the portal to work at all
    ttl: float = DEFAULT_TTL_SECONDS  # seconds a cached answer is reused, unless the configuration says otherwise
    file: FileReply | None = None
    id_from: IdFrom | None = None

    @property
    def read(self) -> bool:
        return not self.write


PDF = "application/pdf"
XML = "application/xml"
_TABLE = (
    Operation("get_customer", "GetCustomer", "GET", "/customers/{customerId}", "customer", required=True, ttl=300),
    Operation("list_contracts", "ListContracts", "GET", "/customers/{customerId}/contracts", "customer",
              required=True, ttl=300),
    Operation("get_contract_scan", "GetContractScan", "GET", "/customers/{customerId}/contracts/{contractId}/scan",
              "customer", args=("contractId",), file=FileReply("umowa-{contractId}.pdf", PDF),
              id_from=IdFrom("list_contracts", prefer="has_scan")),
    Operation("list_meters", "ListMeters", "GET", "/customers/{customerId}/meters", "meters",
              args=("serialContains",), query={"serialContains": "serial"}, ttl=300),
    Operation("list_readings", "ListReadings", "GET", "/customers/{customerId}/meters/{meterId}/readings", "meters",
              args=("meterId",), ttl=120, id_from=IdFrom("list_meters")),
    Operation("submit_reading", "SubmitReading", "POST", "/customers/{customerId}/meters/{meterId}/readings",
              "meters", args=("submission",), record=True, write=True,
              evicts=frozenset({"list_readings", "list_meters"})),
    Operation("list_invoices", "ListInvoices", "GET", "/customers/{customerId}/invoices", "invoices",
              required=True, ttl=120),
    Operation("get_invoice", "GetInvoice", "GET", "/customers/{customerId}/invoices/{invoiceId}", "invoices",
              args=("invoiceId",), required=True, ttl=600, id_from=IdFrom("list_invoices", items=2)),
    Operation("get_invoice_pdf", "GetInvoicePdf", "GET", "/customers/{customerId}/invoices/{invoiceId}/pdf",
              "invoices", args=("invoiceId",), file=FileReply("faktura-{invoiceId}.pdf", PDF),
              id_from=IdFrom("list_invoices", items=2)),
    # The invoice's structured file as KSeF holds it (FA(3) XML): only invoices with a KSeF number have one.
    Operation("get_invoice_xml", "GetInvoiceXml", "GET", "/customers/{customerId}/invoices/{invoiceId}/ksef-xml",
              "invoices", args=("invoiceId",), file=FileReply("faktura-{invoiceId}.xml", XML),
              id_from=IdFrom("list_invoices", prefer="ksef_number", items=2)),
    Operation("get_settlements", "GetSettlements", "GET", "/customers/{customerId}/settlements", "settlements",
              required=True),
    Operation("list_documents", "ListDocuments", "GET", "/customers/{customerId}/documents", "documents", ttl=600),
    Operation("get_document", "GetDocument", "GET", "/customers/{customerId}/documents/{documentId}/content",
              "documents", args=("documentId",), file=FileReply("dokument-{documentId}"),
              id_from=IdFrom("list_documents")),
    Operation("send_message", "SendMessage", "POST", "/customers/{customerId}/messages", "messages",
              args=("draft",), record=True, write=True, evicts=frozenset({"list_messages"})),
    Operation("list_messages", "ListMessages", "GET", "/customers/{customerId}/messages", "messages", ttl=30),
    Operation("set_einvoice_consent", "SetEInvoiceConsent", "PUT", "/customers/{customerId}/einvoice-consent",
              "customer", args=("enabled", "idempotencyKey"), write=True,
              evicts=frozenset({"list_contracts", "get_customer"})),
    # Optional: an ERP without it books online payments from the bank statement, and the portal says so.
    Operation("record_payment", "RecordPayment", "POST", "/customers/{customerId}/payments", "settlements",
              args=("payment",), record=True, write=True,
              evicts=frozenset({"list_invoices", "get_invoice", "get_settlements"})),
)

# In the contract's order, which is also the order `flask erp check` reports in.
OPERATIONS: Mapping[str, Operation] = MappingProxyType({operation.name: operation for operation in _TABLE})
READS: tuple[str, ...] = tuple(name for name, operation in OPERATIONS.items() if operation.read)
WRITES: frozenset[str] = frozenset(name for name, operation in OPERATIONS.items() if operation.write)
BY_SOAP_NAME: Mapping[str, Operation] = MappingProxyType({operation.soap: operation for operation in _TABLE})
# What an adapter offers unless it says otherwise, and what it may never leave out (refused at start-up).
ALL_OPERATIONS: frozenset[str] = frozenset(OPERATIONS)
REQUIRED: frozenset[str] = frozenset(name for name, operation in OPERATIONS.items() if operation.required)
