"""The downloads pages: the list by category and one document's download, always through own_document()."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from marshmallow import fields
from werkzeug.wrappers import Response

from adapters.core.records import DocumentCategory
from gateway.accounts import audit
from gateway.db.database import db
from gateway.erp.billing import billing
from gateway.pages.downloads import NEEDS, bp
from gateway.pages.downloads.service import CATEGORIES, document_groups, type_name
from gateway.web.files import send_erp_file
from gateway.web.i18n import human_size
from gateway.web.nav import needs_operations
from gateway.web.ownership import customer_id, own_document
from gateway.web.query import QuerySchema, parse_query


class DocumentQuery(QuerySchema):
    category = fields.Enum(DocumentCategory, by_value=True, load_default=None)


LABELS = {"category": _l("Category")}


@bp.get("/")
@login_required
@needs_operations(*NEEDS)
def index() -> tuple[str, int]:
    """All documents, or one category's; an unknown category shows them all with a message (400)."""
    parsed = parse_query(DocumentQuery, LABELS)
    category = parsed.values["category"]
    groups = document_groups(billing(), customer_id(), category)
    page = render_template("downloads/index.html", groups=groups, categories=CATEGORIES, chosen=category,
                           errors=parsed.errors, human_size=human_size, type_name=type_name)
    return page, parsed.status


@bp.get("/<document_id>")
@login_required
@needs_operations(*NEEDS)
def download(document_id: str) -> Response:
    """The ERP lists public documents for every customer, so own_document() admits them too; audited."""
    document = own_document(document_id)
    file = billing().get_document(customer_id(), document.id)
    audit.record("document.download", document_id=document.id)
    db().commit()
    return send_erp_file(file, fallback_name=document.title)
