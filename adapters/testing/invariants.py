"""What every adapter must satisfy, on any ERP and any customer: shapes, orders, scoping, files, idempotent writes.

`run_conformance` is what `flask erp conformance` and tests/contract run; it reads only, unless writes are asked for.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from adapters.core.errors import ErpRejected
from adapters.core.ksef import file_hash
from adapters.core.operations import OPERATIONS, WRITES
from adapters.core.port import BillingPort
from adapters.core.records import (
    Contract,
    FileContent,
    InvoiceStatus,
    InvoiceSummary,
    MessageDraft,
    MessageKind,
    Meter,
    MeterStatus,
    PaymentRecord,
    ReadingSubmission,
)
from adapters.testing.conformance import Checker, Finding, Violation, expect, not_found, typed

TYPES = "fields have the contract's types (money Decimal, dates date)"
PDF = "application/pdf"
XML = "application/xml"


def run_conformance(
    port: BillingPort, customer_ids: list[str], *, unknown_customer: str, writes: bool = False,
    today: date | None = None,
) -> list[Finding]:
    """Every invariant for each customer; scoping between the first two; writes for the first one, if asked."""
    run = Checker(port)
    run.check("get_customer", "an unknown customer is ErpNotFound", unknown_customer,
              not_found, "an unknown customer", port.get_customer, unknown_customer)
    listed = [_reads(run, customer_id) for customer_id in customer_ids]
    if len(customer_ids) > 1:
        _scoping(run, customer_ids[1], listed[0])
    else:
        run.skip("get_invoice", "another customer's invoice is ErpNotFound", "needs a second customer")
    if writes:
        _writes(run, customer_ids[0], listed[0], today or date.today())
    else:
        for name in sorted(WRITES):
            run.skip(name, "taken once however often it is sent", "read-only (--writes checks writes)")
    for name in OPERATIONS:
        if not any(finding.operation == name for finding in run.findings):
            run.skip(name, "any", "nothing listed to check it on")
    return run.findings


def _reads(run: Checker, customer_id: str) -> dict[str, Any]:
    """Every read for one customer; returns the listings the scoping and the writes take their ids from."""
    customer = run.check("get_customer", TYPES, customer_id, lambda: typed(run.port.get_customer(customer_id)))
    premises = None
    if customer is not None:
        run.check("get_customer", "answers the customer asked for", customer_id,
                  lambda: expect(customer.id == customer_id, "answered with another customer's id"))
        premises = {premise.id for premise in customer.premises}
    contracts = _contracts(run, customer_id, premises)
    meters = _meters(run, customer_id, premises)
    invoices = _invoices(run, customer_id, premises)
    _settlements(run, customer_id)
    _documents(run, customer_id)
    _messages(run, customer_id)
    return {"customer": customer, "contracts": contracts, "meters": meters, "invoices": invoices}


def _on_premises(items: list[Any], premises: set[str] | None) -> None:
    if premises is not None:
        strays = [item.id for item in items if item.premise_id is not None and item.premise_id not in premises]
        expect(not strays, f"on premises the customer does not have: {', '.join(strays)}")


def _contracts(run: Checker, customer_id: str, premises: set[str] | None) -> list[Contract] | None:
    contracts = run.check("list_contracts", TYPES, customer_id, lambda: typed(run.port.list_contracts(customer_id)))
    if contracts is None:
        return None
    run.check("list_contracts", "on the customer's premises", customer_id, lambda: _on_premises(contracts, premises))
    run.check("list_contracts", "valid to no earlier than valid from", customer_id, lambda: expect(all(
        c.valid_to >= c.valid_from for c in contracts if c.valid_to and c.valid_from), "one ends before it starts"))
    scanned = [contract for contract in contracts if contract.has_scan]
    unscanned = [contract for contract in contracts if not contract.has_scan]
    for contract in scanned[:1]:
        run.check("get_contract_scan", "a PDF file with a safe name", customer_id,
                  _download, PDF, run.port.get_contract_scan, customer_id, contract.id)
    for contract in unscanned[:1]:
        run.check("get_contract_scan", "a contract without a scan is ErpNotFound", customer_id, not_found,
                  f"contract {contract.id}'s absent scan", run.port.get_contract_scan, customer_id, contract.id)
    return contracts


def _download(content_type: str, call: Any, *args: Any) -> None:
    _file(call(*args), content_type)


def _file(content: FileContent, content_type: str) -> None:
    """A file as declared: the type, bytes that are that type (a PDF starts so), a name without a path."""
    typed(content)
    expect(content.content_type == content_type, f"declared {content_type}, answered {content.content_type}")
    expect(bool(content.content), "the file is empty")
    expect(content_type != PDF or content.content.startswith(b"%PDF"), "the bytes are not a PDF")
    expect(content_type != XML or content.content.lstrip().startswith(b"<"), "the bytes are not XML")
    expect("/" not in content.filename and "\\" not in content.filename, "the file name holds a path")


def _meters(run: Checker, customer_id: str, premises: set[str] | None) -> list[Meter] | None:
    meters = run.check("list_meters", TYPES, customer_id, lambda: typed(run.port.list_meters(customer_id)))
    if meters is None:
        return None
    ids = {meter.id for meter in meters}
    run.check("list_meters", "on the customer's premises", customer_id, lambda: _on_premises(meters, premises))
    run.check("list_meters", "a removed meter has its removal date", customer_id, lambda: expect(all(
        meter.removed_on for meter in meters if meter.status is MeterStatus.REMOVED), "a removed meter has no date"))
    run.check("list_meters", "a meter replaces a listed one", customer_id, lambda: expect(
        {meter.replaces_meter_id for meter in meters if meter.replaces_meter_id} <= ids, "replaces an unlisted meter"))
    if meters:
        part = meters[0].serial[-4:].lower()
        matching = {meter.id for meter in meters if part in meter.serial.lower()}
        run.check("list_meters", "the serial filter matches part of it in any case", customer_id, lambda: expect(
            {meter.id for meter in run.port.list_meters(customer_id, part)} == matching,
            f"filtering by {part!r} did not answer exactly the meters whose serial holds it"))
    for meter in meters:
        _readings(run, customer_id, meter.id)
    return meters


def _readings(run: Checker, customer_id: str, meter_id: str) -> None:
    readings = run.check("list_readings", TYPES, customer_id,
                         lambda: typed(run.port.list_readings(customer_id, meter_id)))
    if readings is None:
        return
    run.check("list_readings", "readings oldest first", customer_id, lambda: expect(
        [r.date for r in readings] == sorted(r.date for r in readings), f"meter {meter_id}'s are not"))
    run.check("list_readings", "readings belong to the meter asked for", customer_id, lambda: expect(
        all(r.meter_id == meter_id for r in readings), f"meter {meter_id}'s list holds another meter's"))
    run.check("list_readings", "consumption is the rise from the previous reading", customer_id, lambda: expect(all(
        after.consumption is None or after.consumption == after.value - before.value
        for before, after in zip(readings, readings[1:])), f"not so on meter {meter_id}"))


def _invoices(run: Checker, customer_id: str, premises: set[str] | None) -> list[InvoiceSummary] | None:
    invoices = run.check("list_invoices", TYPES, customer_id, lambda: typed(run.port.list_invoices(customer_id)))
    if invoices is None:
        return None
    run.check("list_invoices", "invoices newest first", customer_id, lambda: expect(
        [i.issued_on for i in invoices] == sorted((i.issued_on for i in invoices), reverse=True),
        "an older invoice is listed before a newer one"))
    run.check("list_invoices", "net + VAT = gross", customer_id, lambda: expect(all(
        i.net + i.vat == i.gross for i in invoices if i.net is not None and i.vat is not None), "an invoice does not"))
    run.check("list_invoices", "on the customer's premises", customer_id, lambda: _on_premises(invoices, premises))
    for summary in invoices[:2]:
        run.check("get_invoice", "the invoice as listed, its lines adding up", customer_id,
                  _invoice, run.port, customer_id, summary)
        run.check("get_invoice_pdf", "a PDF file with a safe name", customer_id,
                  _download, PDF, run.port.get_invoice_pdf, customer_id, summary.id)
    _invoice_files(run, customer_id, invoices)
    return invoices


def _invoice_files(run: Checker, customer_id: str, invoices: list[InvoiceSummary]) -> None:
    """An invoice in KSeF has its FA(3) file, the one its hash names; one outside KSeF has none."""
    for summary in [invoice for invoice in invoices if invoice.ksef_number][:1]:
        run.check("get_invoice_xml", "an XML file with a safe name, the one the invoice's KSeF hash names",
                  customer_id, _ksef_file, run.port, customer_id, summary)
    for summary in [invoice for invoice in invoices if not (invoice.ksef_number or invoice.ksef_offline)][:1]:
        run.check("get_invoice_xml", "an invoice outside KSeF has no XML (ErpNotFound)", customer_id, not_found,
                  f"invoice {summary.id}'s absent XML", run.port.get_invoice_xml, customer_id, summary.id)


def _ksef_file(port: BillingPort, customer_id: str, summary: InvoiceSummary) -> None:
    content = port.get_invoice_xml(customer_id, summary.id)
    _file(content, XML)
    expect(summary.ksef_hash is None or file_hash(content.content) == summary.ksef_hash,
           f"invoice {summary.id}'s XML is not the file its ksefHash names")


def _invoice(port: BillingPort, customer_id: str, summary: InvoiceSummary) -> None:
    invoice = typed(port.get_invoice(customer_id, summary.id))
    expect(invoice.id == summary.id and invoice.number == summary.number and invoice.gross == summary.gross,
           f"invoice {summary.id} differs from its summary")
    # Lines are optional (an ERP may keep none): when there are some, they add up to the invoice.
    expect(not invoice.lines or sum(line.gross for line in invoice.lines) == invoice.gross,
           f"invoice {summary.id}'s lines' gross")
    nets = [line.net for line in invoice.lines if line.net is not None]
    expect(invoice.net is None or len(nets) < len(invoice.lines) or sum(nets) == invoice.net,
           f"invoice {summary.id}'s lines' net")


def _settlements(run: Checker, customer_id: str) -> None:
    settlements = run.check("get_settlements", TYPES, customer_id,
                            lambda: typed(run.port.get_settlements(customer_id)))
    if settlements is not None:
        run.check("get_settlements", "settled + remaining = amount", customer_id, lambda: expect(all(
            entry.settled + entry.remaining == entry.amount for entry in settlements.entries), "an entry does not"))


def _documents(run: Checker, customer_id: str) -> None:
    documents = run.check("list_documents", TYPES, customer_id, lambda: typed(run.port.list_documents(customer_id)))
    for document in documents or []:
        run.check("get_document", "the content as declared", customer_id,
                  _download, document.content_type, run.port.get_document, customer_id, document.id)


def _messages(run: Checker, customer_id: str) -> None:
    messages = run.check("list_messages", TYPES, customer_id, lambda: typed(run.port.list_messages(customer_id)))
    if messages is not None:
        run.check("list_messages", "messages newest first", customer_id, lambda: expect(
            [m.sent_at for m in messages] == sorted((m.sent_at for m in messages), reverse=True),
            "an older message is listed before a newer one"))


def _scoping(run: Checker, stranger: str, owners: dict[str, Any]) -> None:
    """The second customer asks for the first one's objects: each must be ErpNotFound."""
    # Through the invoice, or its PDF where the ERP offers no invoice details.
    operation = "get_invoice" if run.port.offers("get_invoice") else "get_invoice_pdf"
    for invoice in (owners["invoices"] or [])[:1]:
        run.check(operation, "another customer's invoice is ErpNotFound", stranger, not_found,
                  f"invoice {invoice.id} of another customer", getattr(run.port, operation), stranger, invoice.id)
    for meter in (owners["meters"] or [])[:1]:
        run.check("list_readings", "another customer's meter is ErpNotFound", stranger, not_found,
                  f"meter {meter.id} of another customer", run.port.list_readings, stranger, meter.id)


def _twice(call: Any, *args: Any) -> Any:
    """Send one write twice with one idempotency key: the ERP takes it once and answers the same receipt."""
    first, second = call(*args), call(*args)
    expect(first == second, "the same write sent again got another receipt")
    return first


def _writes(run: Checker, customer_id: str, listed: dict[str, Any], today: date) -> None:
    """A reading above the last, a message and the e-invoice consent as it stands: each sent twice."""
    key = f"conformance-{uuid.uuid4().hex[:12]}"
    active = [meter for meter in listed["meters"] or [] if meter.status is MeterStatus.ACTIVE]
    for meter in active[:1]:
        last = run.check("submit_reading", "taken once however often it is sent", customer_id,
                         _reading_taken, run.port, customer_id, meter.id, today, f"{key}-reading")
        if last:
            too_low = ReadingSubmission(meter.id, today, Decimal("0"), f"{key}-too-low", "conformance")
            run.check("submit_reading", "a reading below the last is refused with a reason", customer_id,
                      _refused, run.port, customer_id, too_low)
    draft = MessageDraft(MessageKind.INQUIRY, "Test zgodności portalu", "Wiadomość testowa portalu.", f"{key}-message")
    receipt = run.check("send_message", "taken once however often it is sent", customer_id,
                        lambda: _twice(run.port.send_message, customer_id, draft))
    if receipt is not None:
        run.check("list_messages", "a message sent is listed under its case number", customer_id, lambda: expect(any(
            m.case_number == receipt.reference for m in run.port.list_messages(customer_id)), "it is not"))
    consent = any(contract.einvoice_consent for contract in listed["contracts"] or [])
    run.check("set_einvoice_consent", "taken once however often it is sent", customer_id,
              lambda: _twice(run.port.set_einvoice_consent, customer_id, consent, f"{key}-consent"))
    if run.port.offers("record_payment"):
        unpaid = [invoice for invoice in listed["invoices"] or [] if invoice.status is not InvoiceStatus.PAID]
        for invoice in unpaid[:1]:
            run.check("record_payment", "booked once however often it is sent", customer_id,
                      _payment_booked, run.port, customer_id, invoice, key)


def _payment_booked(port: BillingPort, customer_id: str, invoice: InvoiceSummary, key: str) -> None:
    """One grosz towards an unpaid invoice, sent twice: the balance falls by one grosz, not two."""
    before = port.get_settlements(customer_id).balance
    payment = PaymentRecord(f"{key}-payment", "conformance", datetime.now(timezone.utc).replace(microsecond=0),
                            Decimal("0.01"), (invoice.id,))
    _twice(port.record_payment, customer_id, payment)
    after = port.get_settlements(customer_id).balance
    expect(after == before - Decimal("0.01"), f"the balance went from {before} to {after}, not down by 0.01")


def _reading_taken(port: BillingPort, customer_id: str, meter_id: str, today: date, key: str) -> Decimal:
    """A reading one cubic metre above the last, dated today, sent twice; returns the last value before it."""
    readings = port.list_readings(customer_id, meter_id)
    last = readings[-1].value if readings else Decimal("0")
    _twice(port.submit_reading, customer_id, ReadingSubmission(meter_id, today, last + 1, key, "conformance"))
    return last


def _refused(port: BillingPort, customer_id: str, submission: ReadingSubmission) -> None:
    try:
        port.submit_reading(customer_id, submission)
    except ErpRejected as refused:
        expect(bool(refused.reason.strip()), "refused without a reason")
        return
    raise Violation("taken, not refused")
