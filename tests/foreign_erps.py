"""Two small ERPs nobody here designed, for the recording tests: one over REST (JSON with Polish field names,
a query passed as `params=`, an API key in it), one over SOAP (a password in a custom header, WS-Security,
an access code in the body). Each knows one customer, whose personal values a recording must not keep."""

from __future__ import annotations

import base64
import json
from datetime import date
from decimal import Decimal
from typing import Any

import responses
from lxml import etree

from adapters.core.errors import ErpNotFound
from adapters.core.port import BillingPort
from adapters.core.records import (
    Address,
    Customer,
    FileContent,
    InvoiceStatus,
    InvoiceSummary,
    Premise,
    PremiseKind,
    TaxIdKind,
)
from adapters.core.settings import ErpSettings
from adapters.wire.http import ErpHttp

REST_URL = "http://obce-rest.test/api"
SOAP_URL = "http://obce-soap.test/ws"
CUSTOMER_ID = "K-7"
INVOICE_ID = "FV-2026-0042"
PASSWORD = "Haslo-Portalu-2026!"
WSSE_PASSWORD = "Wsse-Tajne-8812"
API_KEY = "klucz-api-5f3a9c"
HEADER_KEY = "klucz-naglowka-77aa"
SESSION_COOKIE = "ciasteczko-sesji-123"
REPLY_TOKEN = "tok-odpowiedzi-abc"
SOAP_SESSION = "sesja-xyz-998877"
ACCESS_CODE = "kod-dostepu-4411"
NONCE = base64.b64encode(b"nonce-0123456789").decode()
CREDENTIALS = (PASSWORD, WSSE_PASSWORD, API_KEY, HEADER_KEY, SESSION_COOKIE, REPLY_TOKEN, SOAP_SESSION,
               ACCESS_CODE, NONCE)

PERSONAL = {
    "first": "Zdzisława", "last": "Wróblewska", "street": "ul. Jaśminowa 14/3", "postcode": "45-231",
    "city": "Kędzierzyn-Koźle", "phone": "604555321", "email": "zdzislawa.wroblewska@poczta.example",
    "pesel": "75061123450", "nip": "5260001045", "account": "61109010140000071219812874",
    "carer": "Bogumił Ptaszyński",
}
# What must not be left in any file: each value as sent, and the ways another field writes it.
PERSONAL_VALUES = (*PERSONAL.values(), "604 555 321", "61 1090 1014 0000 0712 1981 2874", "WRÓBLEWSKA", "Jaśminowa")
PDF_BYTES = f"%PDF-1.4\n1 0 obj\n<< >>\nstream\nBT ({PERSONAL['last']} {PERSONAL['pesel']}) Tj ET\n".encode()
SCAN_BYTES = b"\x89PNG\r\n\x1a\n" + ("skan umowy " + PERSONAL["last"]).encode() * 8
GROSS = Decimal("123.45")
NOTE = f"Prosze o kontakt: tel. 604 555 321 lub {PERSONAL['email']}, PESEL {PERSONAL['pesel']}"


def customer_record() -> Customer:
    """The customer as both adapters read them."""
    address = Address(PERSONAL["street"], PERSONAL["postcode"], PERSONAL["city"])
    return Customer(
        CUSTOMER_ID, f"{PERSONAL['first']} {PERSONAL['last']}", address, PERSONAL["email"], PERSONAL["phone"],
        PERSONAL["pesel"], TaxIdKind.PESEL, (Premise("L-1", address, PremiseKind.FLAT),), PERSONAL["account"],
    )


def _invoice(number: str, gross: str) -> InvoiceSummary:
    day = date(2026, 11, 5)
    amount = Decimal(gross)
    return InvoiceSummary(number, number, None, day, day, day, day, amount, Decimal("0"), amount,
                          InvoiceStatus.UNPAID, None)


class ForeignRestBilling(BillingPort):
    """A hand-written adapter for a JSON API with its own field names; offers three operations."""

    def __init__(self, settings: ErpSettings, *, http: ErpHttp | None = None) -> None:
        self.url = settings.url.rstrip("/")
        self.http = http or ErpHttp(settings)

    def perform(self, operation: str, customer_id: str, *args: Any) -> Any:
        raise ErpNotFound(operation, "not offered by this ERP")

    def _get(self, operation: str, path: str, **params: str) -> Any:
        reply = self.http.send(operation, "GET", self.url + path, idempotent=True, headers={"X-Api-Key": HEADER_KEY},
                               params={**params, "api_key": API_KEY})
        if reply.status == 404:
            raise ErpNotFound(operation, "no such object")
        return reply

    def get_customer(self, customer_id: str) -> Customer:
        data = json.loads(self._get("get_customer", f"/klienci/{customer_id}").content)
        address = Address(data["AdresUlica"], data["KodPocztowy"], data["Miasto"])
        return Customer(customer_id, f"{data['Imie']} {data['Nazwisko']}", address, data["Email"], data["Telefon"],
                        data["Pesel"], TaxIdKind.PESEL, (), data["NrKonta"])

    def list_invoices(self, customer_id: str) -> list[InvoiceSummary]:
        rows = json.loads(self._get("list_invoices", "/faktury", klient=customer_id, rok="2026").content)
        return [_invoice(row["NrFaktury"], row["Brutto"]) for row in rows]

    def get_invoice_pdf(self, customer_id: str, invoice_id: str) -> FileContent:
        reply = self._get("get_invoice_pdf", f"/faktury/{invoice_id}/pdf", klient=customer_id)
        return FileContent(f"{invoice_id}.pdf", reply.content_type, reply.content)


def rest_erp(mock: responses.RequestsMock) -> None:
    """The foreign REST ERP's answers, on a running mock."""
    customer = {"Id": CUSTOMER_ID, "Imie": PERSONAL["first"], "Nazwisko": PERSONAL["last"],
                "AdresUlica": PERSONAL["street"], "KodPocztowy": PERSONAL["postcode"], "Miasto": PERSONAL["city"],
                "Telefon": PERSONAL["phone"], "Email": PERSONAL["email"], "Pesel": PERSONAL["pesel"],
                "NrKonta": PERSONAL["account"], "Opiekun": PERSONAL["carer"], "token": REPLY_TOKEN}
    invoices = [{"NrFaktury": INVOICE_ID, "Brutto": str(GROSS), "Nabywca": f"{PERSONAL['last'].upper()} "
                 f"{PERSONAL['first'].upper()}", "AdresDostawy": f"{PERSONAL['street']}, {PERSONAL['postcode']} "
                 f"{PERSONAL['city']}", "Uwagi": NOTE, "NIPPlatnika": "526-000-10-45",
                 "Konto": "61 1090 1014 0000 0712 1981 2874",
                 "Skan": base64.b64encode(SCAN_BYTES).decode()}]
    cookie = {"Set-Cookie": f"SESJA={SESSION_COOKIE}; HttpOnly"}
    # ensure_ascii (the default): Polish letters travel as \u escapes, which must not hide them.
    mock.add("GET", f"{REST_URL}/klienci/{CUSTOMER_ID}", json=customer, headers=cookie)
    mock.add("GET", f"{REST_URL}/faktury", body=json.dumps(invoices), content_type="application/json")
    mock.add("GET", f"{REST_URL}/faktury/{INVOICE_ID}/pdf", body=PDF_BYTES, content_type="application/pdf",
             headers={"Content-Disposition": f'attachment; filename="faktura-{PERSONAL["last"]}.pdf"'})


SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
FOREIGN = "urn:obce:erp"


class ForeignSoapBilling(ForeignRestBilling):
    """A SOAP ERP with a custom header carrying the password, WS-Security, and an access code in the body."""

    secret_fields = ("KodDostepu",)
    access_code = ACCESS_CODE

    def _call(self, operation: str, name: str, **fields: str) -> Any:
        envelope = (
            f'<s:Envelope xmlns:s="{SOAP}" xmlns:w="{WSSE}" xmlns="{FOREIGN}"><s:Header>'
            f"<AuthHeader><Uzytkownik>portal</Uzytkownik><Haslo>{PASSWORD}</Haslo><IdSesji>{SOAP_SESSION}</IdSesji>"
            f"</AuthHeader><w:Security><w:UsernameToken><w:Username>portal</w:Username>"
            f"<w:Password>{WSSE_PASSWORD}</w:Password><w:Nonce>{NONCE}</w:Nonce></w:UsernameToken></w:Security>"
            f"</s:Header><s:Body><{name}><KodDostepu>{self.access_code}</KodDostepu>"
            + "".join(f"<{key}>{value}</{key}>" for key, value in fields.items())
            + f"</{name}></s:Body></s:Envelope>"
        )
        reply = self.http.send(operation, "POST", self.url, idempotent=True, data=envelope.encode(),
                               headers={"Content-Type": "text/xml; charset=utf-8"})
        body = etree.fromstring(reply.content).find(f"{{{SOAP}}}Body")
        return body[0]

    def get_customer(self, customer_id: str) -> Customer:
        found = self._call("get_customer", "PobierzKlienta", IdKlienta=customer_id)
        text = {etree.QName(element).localname: element.text for element in found.iter()}
        address = Address(text["Ulica"], text["Kod"], text["Miasto"])
        return Customer(customer_id, f"{text['Imie']} {text['Nazwisko']}", address, text["Email"], text["Telefon"],
                        text["NIP"], TaxIdKind.NIP, (), text["NrKonta"])

    def list_invoices(self, customer_id: str) -> list[InvoiceSummary]:
        found = self._call("list_invoices", "ListaFaktur", IdKlienta=customer_id)
        return [_invoice(row.findtext(f"{{{FOREIGN}}}Numer") or "", row.findtext(f"{{{FOREIGN}}}Brutto") or "0")
                for row in found]

    def get_invoice_pdf(self, customer_id: str, invoice_id: str) -> FileContent:
        found = self._call("get_invoice_pdf", "PlikFaktury", IdKlienta=customer_id, Numer=invoice_id)
        content = base64.b64decode(found.findtext(f"{{{FOREIGN}}}Plik") or "")
        return FileContent(f"{invoice_id}.pdf", "application/pdf", content)


def _soap_reply(inner: str) -> str:
    body = f'<Odpowiedz xmlns="{FOREIGN}">{inner}</Odpowiedz>'
    return f'<s:Envelope xmlns:s="{SOAP}"><s:Body>{body}</s:Body></s:Envelope>'


SOAP_REPLIES = {
    "PobierzKlienta": _soap_reply(
        f"<Imie>{PERSONAL['first']}</Imie><Nazwisko>Wr&#243;blewska</Nazwisko><Ulica>{PERSONAL['street']}</Ulica>"
        f"<Kod>{PERSONAL['postcode']}</Kod><Miasto>{PERSONAL['city']}</Miasto><Telefon>+48 604 555 321</Telefon>"
        f"<Email>{PERSONAL['email']}</Email><NIP>{PERSONAL['nip']}</NIP><NrKonta>{PERSONAL['account']}</NrKonta>"
        f"<TokenSesji>{REPLY_TOKEN}</TokenSesji><Opiekun>{PERSONAL['carer']}</Opiekun>"
    ),
    "ListaFaktur": _soap_reply(
        f'<Faktura><Numer>{INVOICE_ID}</Numer><Brutto>{GROSS}</Brutto><Nabywca>{PERSONAL["first"].upper()} '
        f'{PERSONAL["last"].upper()}</Nabywca><Uwagi>{NOTE}</Uwagi><Adres ulica="{PERSONAL["street"]}"/></Faktura>'
    ),
    "PlikFaktury": _soap_reply(f"<Plik>{base64.b64encode(PDF_BYTES).decode()}</Plik>"),
}


def soap_erp(mock: responses.RequestsMock) -> None:
    """The foreign SOAP ERP: one address, the answer chosen by the body's operation."""
    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        body = etree.fromstring(request.body).find(f"{{{SOAP}}}Body")
        return 200, {"Set-Cookie": f"ASP.NET_SessionId={SESSION_COOKIE}"}, SOAP_REPLIES[etree.QName(body[0]).localname]

    mock.add_callback("POST", SOAP_URL, callback=answer, content_type="text/xml; charset=utf-8")
