"""Canned REST replies in the reference contract's wire format, as an ERP following openapi.yaml sends."""

from __future__ import annotations

from typing import Any

ADDRESS = {"street": "ul. Mickiewicza 10", "postalCode": "47-100", "city": "Strzelce Opolskie"}

CUSTOMER: dict[str, Any] = {
    "customerId": "K-1001",
    "fullName": "Jan Kowalski",
    "address": ADDRESS,
    "email": "jan.kowalski@example.pl",
    "phone": None,
    "taxId": "85010112345",
    "taxIdType": "PESEL",
    "premises": [{"premiseId": "P-1", "address": ADDRESS, "kind": "house"}],
    "erpInternalFlag": "ignored",
}

CONTRACT = {
    "contractId": "U-1",
    "contractNumber": "U/2019/0042",
    "premiseId": "P-1",
    "signedOn": "2019-03-01",
    "validFrom": "2019-04-01",
    "validTo": None,
    "status": "active",
    "tariffGroup": "G1",
    "billingCycle": "monthly",
    "eInvoiceConsent": True,
    "hasScan": True,
}

METER = {
    "meterId": "W-1",
    "serialNumber": "ABC123456",
    "status": "active",
    "userName": "Jan Kowalski",
    "premiseId": "P-1",
    "registeredOn": "2020-01-15",
    "tariff": "T-GOSP",
    "diameter": "DN15",
    "legalisationValidUntil": "2030-01-15",
    "installedOn": "2020-01-15",
}

READING = {
    "meterId": "W-1",
    "readingDate": "2025-03-31",
    "value": "1234.567",
    "consumption": "12.345",
    "readingType": "customer",
    "status": "accepted",
}

INVOICE_SUMMARY = {
    "invoiceId": "F-1",
    "invoiceNumber": "FV/2025/03/0001",
    "ksefNumber": None,
    "issueDate": "2025-04-02",
    "periodFrom": "2025-03-01",
    "periodTo": "2025-03-31",
    "dueDate": "2025-04-16",
    "netAmount": "100.10",
    "vatAmount": "8.01",
    "grossAmount": "108.11",
    "status": "unpaid",
    "premiseId": "P-1",
}

INVOICE = {
    **INVOICE_SUMMARY,
    "lines": [
        {
            "description": "Dostawa wody",
            "quantity": "12.345",
            "unit": "m3",
            "unitPrice": "8.11",
            "vatRate": "8%",
            "netAmount": "100.10",
            "vatAmount": "8.01",
            "grossAmount": "108.11",
        }
    ],
}

SETTLEMENTS = {
    "balance": "108.11",
    "entries": [
        {
            "entryType": "invoice",
            "documentNumber": "FV/2025/03/0001",
            "issueDate": "2025-04-02",
            "dueDate": "2025-04-16",
            "paymentDate": None,
            "amount": "108.11",
            "settledAmount": "0.00",
            "remainingAmount": "108.11",
            "invoiceId": "F-1",
        }
    ],
}

DOCUMENT = {
    "documentId": "D-1",
    "title": "Taryfa 2025",
    "category": "tariff",
    "publishedOn": "2025-01-01",
    "sizeBytes": 2048,
    "contentType": "application/pdf",
    "isPublic": True,
}

MESSAGE = {
    "messageId": "M-1",
    "caseNumber": "Z/2025/0007",
    "messageType": "complaint",
    "subject": "Zawyżone zużycie",
    "body": "Proszę o sprawdzenie odczytu.",
    "sentAt": "2025-04-03T10:15:00+02:00",
    "status": "answered",
    "premiseId": "P-1",
    "invoiceId": "F-1",
    "attachmentNames": ["zdjecie.jpg"],
    "replies": [{"sentAt": "2025-04-04T09:00:00+02:00", "author": "BOK", "body": "Odczyt poprawiony."}],
}

RECEIPT = {"reference": "R-77", "status": "accepted"}

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
FA3_XML = b'<?xml version="1.0" encoding="UTF-8"?><Faktura xmlns="http://crd.gov.pl/wzor/2025/06/25/13775/"/>'
