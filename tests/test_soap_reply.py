"""Reading a good SOAP reply straight into the dict the schemas load: the same dict zeep's objects gave."""

from __future__ import annotations

import base64

import pytest
from lxml import etree
from marshmallow import fields

from adapters.core.errors import ErpBadResponse
from adapters.soap.reply import read_list, read_object
from adapters.wire import schemas

NS = "urn:ibok:erp:v1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _element(inner: str, name: str = "Reply") -> etree._Element:
    return etree.fromstring(f'<erp:{name} xmlns:erp="{NS}" xmlns:xsi="{XSI}">{inner}</erp:{name}>')


DOCUMENT = ("<erp:documentId>DOC-1</erp:documentId><erp:title>Taryfa</erp:title><erp:category>tariff</erp:category>"
            "<erp:publishedOn>2025-12-15</erp:publishedOn><erp:sizeBytes>11647</erp:sizeBytes>"
            "<erp:contentType>application/pdf</erp:contentType><erp:isPublic>true</erp:isPublic>")


def test_fields_come_as_the_json_would_bring_them_int_and_bool_typed():
    plain = read_object("op", _element(DOCUMENT), schemas.DOCUMENT_INFO)
    assert plain == {"documentId": "DOC-1", "title": "Taryfa", "category": "tariff", "publishedOn": "2025-12-15",
                     "sizeBytes": 11647, "contentType": "application/pdf", "isPublic": True}
    assert schemas.load_one("op", schemas.DOCUMENT_INFO, plain).size == 11647


def test_a_list_reply_collects_its_repeated_elements():
    reply = _element(f"<erp:documents>{DOCUMENT}</erp:documents><erp:documents>{DOCUMENT}</erp:documents>")
    plain = read_list("list_documents", reply, schemas.DOCUMENT_INFO, "documents")
    assert len(schemas.load_list("list_documents", schemas.DOCUMENT_INFO, plain, "documents")) == 2
    assert read_list("list_documents", _element(""), schemas.DOCUMENT_INFO, "documents") == {"documents": []}


def test_absent_empty_and_nil_elements_are_left_out_and_unknown_ones_ignored():
    inner = ('<erp:street>ul. Testowa 1</erp:street><erp:postalCode xsi:nil="true"/><erp:city/>'
             "<erp:planet>Ziemia</erp:planet>")
    address = schemas.CUSTOMER.fields["address"]
    assert isinstance(address, fields.Nested)
    assert read_object("op", _element(inner), address.schema) == {"street": "ul. Testowa 1"}


def test_nested_objects_and_lists_of_text():
    message = _element("<erp:attachmentNames>a.pdf</erp:attachmentNames>"
                       "<erp:attachmentNames>b.png</erp:attachmentNames>"
                       "<erp:replies><erp:sentAt>2026-11-01T10:00:00+01:00</erp:sentAt></erp:replies>")
    plain = read_object("op", message, schemas.MESSAGE)
    assert plain == {"attachmentNames": ["a.pdf", "b.png"], "replies": [{"sentAt": "2026-11-01T10:00:00+01:00"}]}


def test_file_content_is_decoded_from_base64_line_breaks_and_all():
    encoded = base64.encodebytes(b"%PDF-1.4 " * 20).decode()
    plain = read_object("op", _element(f"<erp:content>{encoded}</erp:content>"), schemas.FILE_CONTENT)
    assert plain["content"] == b"%PDF-1.4 " * 20


def test_content_that_is_not_base64_is_a_bad_response():
    with pytest.raises(ErpBadResponse, match="base64"):
        read_object("get_document", _element("<erp:content>abc</erp:content>"), schemas.FILE_CONTENT)


@pytest.mark.parametrize("inner, field", [
    ("<erp:sizeBytes>12kB</erp:sizeBytes>", "sizeBytes"),
    ("<erp:isPublic>maybe</erp:isPublic>", "isPublic"),
    ("<erp:title><erp:b>bold</erp:b></erp:title>", "title"),
])
def test_a_value_of_the_wrong_shape_reaches_the_schema_which_names_it(inner, field):
    document = DOCUMENT.replace(f"<erp:{field}>", "<erp:skipped>").replace(f"</erp:{field}>", "</erp:skipped>")
    plain = read_object("list_documents", _element(document + inner), schemas.DOCUMENT_INFO)
    with pytest.raises(ErpBadResponse) as raised:
        schemas.load_one("list_documents", schemas.DOCUMENT_INFO, plain)
    assert raised.value.field == field
