"""What the contract suite expects, written out by hand from fixtures/demo/dataset.json.

Literal records, not the dataset read through the schemas: a field the adapters map onto the wrong attribute
(net and VAT, settled and remaining swapped) reads the same through the same schemas, but not as these.
The recordings carry synthetic personal data: `as_recorded` puts their stand-ins, read off fixtures/recorded,
into an expected record.
"""

from __future__ import annotations

import dataclasses
import enum
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D
from pathlib import Path
from typing import Any

from adapters.core.records import (
    Address,
    Contract,
    ContractStatus,
    Customer,
    DocumentCategory,
    DocumentInfo,
    FileContent,
    InvoiceLine,
    InvoiceStatus,
    InvoiceSummary,
    Message,
    MessageKind,
    MessageStatus,
    Meter,
    MeterStatus,
    Premise,
    PremiseKind,
    Reading,
    ReadingStatus,
    ReadingType,
    Reply,
    SettlementEntry,
    SettlementKind,
    TaxIdKind,
)
from adapters.testing.synthetic import PDF as RECORDED_PDF

CET = timezone(timedelta(hours=1))
FILES = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "files"
INVOICE_COUNT, ENTRY_COUNT, READING_COUNT = 63, 129, 21

# The anonymised recordings' stand-ins for the owner's personal data, as fixtures/recorded holds them.
RECORDED_STAND_INS = {
    "Jan Kowalski": "Ewa Fikcyjny-85",
    "ul. Klonowa 7": "ul. Umowna 54",
    "ROD „Pod Lipami”, działka nr 27": "ul. Próbna 131",
    "47-100": "00-727",
    "Strzelce Opolskie": "Wzorcowo",
    "jan.kowalski@example.com": "klient60856@przyklad.invalid",
    "+48 600 100 101": "+48 500 197 549",
    "68052141751": "34755002220",
    "Biuro Obsługi Klienta SWiK": "Feliks Fikcyjny-15",
    "62999000120000000000001001": "50999000990115144519224431",
    "7562000003": "8019992701",  # the bakery's NIP, in its FA(3) files
}
# The recordings' FA(3) file has its values replaced, so it hashes to another value than the one KSeF keeps.
RECORDED_FILE_HASHES = {"kOGtrGxjRLTLqG7v4sXkrEPHXNin0DBb9XEi1rTwJ8Q=": "mfgjvPGC5cOIMtFdhquu5JY2Mvq2MKG1Q6K6BItUwWk="}
# A KSeF number starts with the seller's NIP, which the anonymiser finds by its pattern.
SELLER_NIP, RECORDED_SELLER_NIP = "7561000001", "7062932531"


def as_recorded(value: Any) -> Any:
    """The expected value as the anonymised recordings carry it: personal texts replaced, files synthetic."""
    if isinstance(value, enum.Enum):
        return value
    if isinstance(value, str):
        return RECORDED_STAND_INS.get(value, value).replace(SELLER_NIP, RECORDED_SELLER_NIP)
    if isinstance(value, bytes):
        return RECORDED_PDF
    if isinstance(value, (list, tuple)):
        return type(value)(as_recorded(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {field.name: as_recorded(getattr(value, field.name)) for field in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


def pdf(relative: str, filename: str) -> FileContent:
    """A file as the ERP hands it out: its name, PDF, and the dataset file's bytes."""
    return FileContent(filename, "application/pdf", (FILES / relative).read_bytes())


CONTRACT_SCAN = pdf("contracts/UM-2015-00412.pdf", "UM-2015-00412.pdf")
OWN_DOCUMENT = pdf("documents/DOC-1001-1-Protokol-wymiany-wodomierza.pdf", "DOC-1001-1-Protokol-wymiany-wodomierza.pdf")


# K-1001, the demo's owner.
CUSTOMER = Customer(
    id="K-1001",
    name="Jan Kowalski",
    address=Address(
        street="ul. Klonowa 7",
        postal_code="47-100",
        city="Strzelce Opolskie",
    ),
    email="jan.kowalski@example.com",
    phone="+48 600 100 101",
    tax_id="68052141751",
    tax_id_kind=TaxIdKind.PESEL,
    premises=(
        Premise(
            id="P-1001-1",
            address=Address(
                street="ul. Klonowa 7",
                postal_code="47-100",
                city="Strzelce Opolskie",
            ),
            kind=PremiseKind.HOUSE,
        ),
        Premise(
            id="P-1001-2",
            address=Address(
                street="ROD „Pod Lipami”, działka nr 27",
                postal_code="47-100",
                city="Strzelce Opolskie",
            ),
            kind=PremiseKind.GARDEN,
        ),
    ),
    payment_account="62999000120000000000001001",
)

CONTRACTS = [
    Contract(
        id="U-1001-0",
        number="UM/2003/00218",
        premise_id="P-1001-1",
        signed_on=date(2003, 6, 2),
        valid_from=date(2003, 7, 1),
        valid_to=date(2015, 6, 30),
        status=ContractStatus.TERMINATED,
        tariff_group="G1 – gospodarstwa domowe",
        billing_cycle="miesięczny",
        einvoice_consent=False,
        has_scan=False,
    ),
    Contract(
        id="U-1001-1",
        number="UM/2015/00412",
        premise_id="P-1001-1",
        signed_on=date(2015, 6, 15),
        valid_from=date(2015, 7, 1),
        valid_to=None,
        status=ContractStatus.ACTIVE,
        tariff_group="G1 – gospodarstwa domowe",
        billing_cycle="miesięczny",
        einvoice_consent=False,
        has_scan=True,
    ),
    Contract(
        id="U-1001-2",
        number="UM/2019/01127",
        premise_id="P-1001-2",
        signed_on=date(2019, 3, 20),
        valid_from=date(2019, 4, 1),
        valid_to=None,
        status=ContractStatus.ACTIVE,
        tariff_group="G3 – ogrody działkowe",
        billing_cycle="dwumiesięczny",
        einvoice_consent=False,
        has_scan=False,
    ),
]

METERS = [
    Meter(
        id="W-1001-1",
        serial="SW19-0042187",
        status=MeterStatus.REMOVED,
        user="Jan Kowalski",
        premise_id="P-1001-1",
        registered_on=date(2019, 4, 2),
        tariff="G1 – gospodarstwa domowe",
        diameter="DN15",
        legalisation_valid_until=date(2025, 3, 31),
        installed_on=date(2019, 4, 2),
        removed_on=date(2025, 3, 14),
        replaces_meter_id=None,
    ),
    Meter(
        id="W-1001-2",
        serial="JS25-1187342",
        status=MeterStatus.ACTIVE,
        user="Jan Kowalski",
        premise_id="P-1001-1",
        registered_on=date(2025, 3, 14),
        tariff="G1 – gospodarstwa domowe",
        diameter="DN15",
        legalisation_valid_until=date(2030, 12, 31),
        installed_on=date(2025, 3, 14),
        removed_on=None,
        replaces_meter_id="W-1001-1",
    ),
    Meter(
        id="W-1001-3",
        serial="GRD19-008713",
        status=MeterStatus.ACTIVE,
        user="Jan Kowalski",
        premise_id="P-1001-2",
        registered_on=date(2019, 4, 5),
        tariff="G3 – ogrody działkowe",
        diameter="DN15",
        legalisation_valid_until=date(2027, 1, 31),
        installed_on=date(2019, 4, 5),
        removed_on=None,
        replaces_meter_id=None,
    ),
]

# The first three of W-1001-2's 21 readings, oldest first.
FIRST_READINGS = [
    Reading(
        meter_id="W-1001-2",
        date=date(2025, 3, 14),
        value=D("0.012"),
        consumption=None,
        type=ReadingType.REMOTE,
        status=ReadingStatus.ACCEPTED,
    ),
    Reading(
        meter_id="W-1001-2",
        date=date(2025, 3, 31),
        value=D("8.874"),
        consumption=D("8.862"),
        type=ReadingType.REMOTE,
        status=ReadingStatus.ACCEPTED,
    ),
    Reading(
        meter_id="W-1001-2",
        date=date(2025, 4, 30),
        value=D("18.642"),
        consumption=D("9.768"),
        type=ReadingType.REMOTE,
        status=ReadingStatus.ACCEPTED,
    ),
]

# The newest three of 63 invoices: newest first, and on one day the higher id first.
LATEST_INVOICES = [
    InvoiceSummary(
        id="INV-202611-00117",
        number="FV/00117/11/2026",
        ksef_number=None,  # a consumer's invoice: outside KSeF
        issued_on=date(2026, 11, 5),
        period_from=date(2026, 9, 1),
        period_to=date(2026, 10, 31),
        due_on=date(2026, 11, 19),
        net=D("31.75"),
        vat=D("2.54"),
        gross=D("34.29"),
        status=InvoiceStatus.PARTLY_PAID,
        premise_id="P-1001-2",
    ),
    InvoiceSummary(
        id="INV-202611-00116",
        number="FV/00116/11/2026",
        ksef_number=None,
        issued_on=date(2026, 11, 5),
        period_from=date(2026, 10, 1),
        period_to=date(2026, 10, 31),
        due_on=date(2026, 11, 19),
        net=D("153.71"),
        vat=D("12.30"),
        gross=D("166.01"),
        status=InvoiceStatus.UNPAID,
        premise_id="P-1001-1",
    ),
    InvoiceSummary(
        id="INV-202610-00140",
        number="FV/00140/10/2026",
        ksef_number=None,
        issued_on=date(2026, 10, 5),
        period_from=date(2026, 9, 1),
        period_to=date(2026, 9, 30),
        due_on=date(2026, 10, 19),
        net=D("166.66"),
        vat=D("13.33"),
        gross=D("179.99"),
        status=InvoiceStatus.PAID,
        premise_id="P-1001-1",
    ),
]

LATEST_INVOICE_LINES = (
    InvoiceLine(
        description="Dostawa wody – wodomierz GRD19-008713",
        quantity=D("3.914"),
        unit="m³",
        unit_price=D("6.66"),
        vat_rate="8%",
        net=D("26.07"),
        vat=D("2.09"),
        gross=D("28.16"),
    ),
    InvoiceLine(
        description="Opłata abonamentowa",
        quantity=D("2"),
        unit="mies.",
        unit_price=D("2.84"),
        vat_rate="8%",
        net=D("5.68"),
        vat=D("0.45"),
        gross=D("6.13"),
    ),
)

# Settlements: the balance, and the first four of 129 entries as the ERP lists them.
BALANCE = D("183.15")
FIRST_ENTRIES = [
    SettlementEntry(
        kind=SettlementKind.PAYMENT,
        document_number="WB/2026/1001/016",
        issued_on=date(2026, 11, 14),
        due_on=None,
        paid_on=date(2026, 11, 14),
        amount=D("17.15"),
        settled=D("17.15"),
        remaining=D("0.00"),
        invoice_id="INV-202611-00117",
    ),
    SettlementEntry(
        kind=SettlementKind.INVOICE,
        document_number="FV/00117/11/2026",
        issued_on=date(2026, 11, 5),
        due_on=date(2026, 11, 19),
        paid_on=date(2026, 11, 14),
        amount=D("34.29"),
        settled=D("17.15"),
        remaining=D("17.14"),
        invoice_id="INV-202611-00117",
    ),
    SettlementEntry(
        kind=SettlementKind.INVOICE,
        document_number="FV/00116/11/2026",
        issued_on=date(2026, 11, 5),
        due_on=date(2026, 11, 19),
        paid_on=None,
        amount=D("166.01"),
        settled=D("0.00"),
        remaining=D("166.01"),
        invoice_id="INV-202611-00116",
    ),
    SettlementEntry(
        kind=SettlementKind.PAYMENT,
        document_number="WB/2026/1001/015",
        issued_on=date(2026, 10, 14),
        due_on=None,
        paid_on=date(2026, 10, 14),
        amount=D("179.99"),
        settled=D("179.99"),
        remaining=D("0.00"),
        invoice_id="INV-202610-00140",
    ),
]

# The public documents, then the customer's own.
DOCUMENTS = [
    DocumentInfo(
        id="DOC-P-001",
        title="Porozumienie IBOK",
        category=DocumentCategory.FORM,
        published_on=date(2024, 1, 15),
        size=11410,
        content_type="application/pdf",
        public=True,
    ),
    DocumentInfo(
        id="DOC-P-002",
        title="Wniosek o zawarcie umowy",
        category=DocumentCategory.FORM,
        published_on=date(2024, 1, 15),
        size=11304,
        content_type="application/pdf",
        public=True,
    ),
    DocumentInfo(
        id="DOC-P-003",
        title="Taryfa 2026",
        category=DocumentCategory.TARIFF,
        published_on=date(2025, 12, 15),
        size=11647,
        content_type="application/pdf",
        public=True,
    ),
    DocumentInfo(
        id="DOC-P-004",
        title="Regulamin IBOK",
        category=DocumentCategory.REGULATION,
        published_on=date(2024, 1, 15),
        size=11677,
        content_type="application/pdf",
        public=True,
    ),
    DocumentInfo(
        id="DOC-P-005",
        title="Regulamin e-faktury",
        category=DocumentCategory.REGULATION,
        published_on=date(2024, 1, 15),
        size=11481,
        content_type="application/pdf",
        public=True,
    ),
    DocumentInfo(
        id="DOC-1001-1",
        title="Protokół wymiany wodomierza",
        category=DocumentCategory.PERSONAL,
        published_on=date(2025, 3, 17),
        size=11405,
        content_type="application/pdf",
        public=False,
    ),
]

# Newest first.
MESSAGES = [
    Message(
        id="MSG-1001-3",
        case_number="ZG/2026/00039",
        kind=MessageKind.INQUIRY,
        subject="Zużycie na działce poza sezonem",
        body="Czy po zakręceniu wody na zimę muszę co miesiąc podawać odczyt wodomierza na działce?",
        sent_at=datetime(2026, 11, 3, 19, 20, tzinfo=CET),
        status=MessageStatus.IN_PROGRESS,
        premise_id="P-1001-2",
        invoice_id=None,
        attachment_names=(),
        replies=(),
    ),
    Message(
        id="MSG-1001-2",
        case_number="ZG/2025/00034",
        kind=MessageKind.REQUEST,
        subject="Wymiana wodomierza – koniec legalizacji",
        body="Proszę o wymianę wodomierza, którego legalizacja kończy się w marcu.",
        sent_at=datetime(2025, 2, 24, 8, 15, tzinfo=CET),
        status=MessageStatus.CLOSED,
        premise_id="P-1001-1",
        invoice_id=None,
        attachment_names=(),
        replies=(
            Reply(
                sent_at=datetime(2025, 2, 26, 9, 40, tzinfo=CET),
                author="Biuro Obsługi Klienta SWiK",
                body="Wymianę zaplanowaliśmy na 14 marca 2025 r. w godzinach 8–12.",
            ),
        ),
    ),
    Message(
        id="MSG-1001-1",
        case_number="ZG/2024/00211",
        kind=MessageKind.COMPLAINT,
        subject="Podwójna opłata abonamentowa za listopad 2024",
        body=(
            "Dzień dobry, na fakturze za listopad opłata abonamentowa została policzona za dwa miesiące. "
            "Proszę o korektę."
        ),
        sent_at=datetime(2024, 12, 9, 18, 42, tzinfo=CET),
        status=MessageStatus.CLOSED,
        premise_id="P-1001-1",
        invoice_id="INV-202412-00125",
        attachment_names=(),
        replies=(
            Reply(
                sent_at=datetime(2024, 12, 20, 10, 5, tzinfo=CET),
                author="Biuro Obsługi Klienta SWiK",
                body=(
                    "Dzień dobry, potwierdzamy błąd. Wystawiliśmy fakturę korygującą FK/00007/12/2024; "
                    "kwota korekty zostanie zaliczona na poczet kolejnej faktury."
                ),
            ),
        ),
    ),
]
