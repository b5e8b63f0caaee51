"""What the downloads page shows: documents grouped by category, types in words a customer reads."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from adapters.core.port import BillingPort
from adapters.core.records import DocumentCategory, DocumentInfo

# The order categories appear in: the customer's own first, as they are what most come for.
CATEGORIES: dict[DocumentCategory, LazyString] = {
    DocumentCategory.PERSONAL: _l("Your documents"),
    DocumentCategory.FORM: _l("Forms"),
    DocumentCategory.TARIFF: _l("Tariffs"),
    DocumentCategory.REGULATION: _l("Regulations"),
}
TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG", "text/csv": "CSV"}


@dataclass(frozen=True)
class DocumentGroup:
    category: DocumentCategory
    label: LazyString
    documents: list[DocumentInfo]


def type_name(content_type: str) -> str:
    """A short name for the file type ("PDF"), from its extension when it is not one of the usual ones."""
    bare = content_type.split(";")[0].strip().lower()
    if bare in TYPE_NAMES:
        return TYPE_NAMES[bare]
    extension = mimetypes.guess_extension(bare)
    return extension.lstrip(".").upper() if extension else bare


def _newest_first(document: DocumentInfo) -> tuple[bool, int]:
    """The sort key: dated documents newest first, then those the ERP gives no date for."""
    return document.published_on is None, -document.published_on.toordinal() if document.published_on else 0


def group_documents(documents: list[DocumentInfo], category: DocumentCategory | None = None) -> list[DocumentGroup]:
    """Non-empty groups in the fixed order, newest first within each (undated last); only the one category when
    given."""
    groups = []
    for each, label in CATEGORIES.items():
        if category is not None and each != category:
            continue
        chosen = sorted((d for d in documents if d.category == each), key=_newest_first)
        if chosen:
            groups.append(DocumentGroup(each, label, chosen))
    return groups


def document_groups(port: BillingPort, customer_id: str, category: DocumentCategory | None) -> list[DocumentGroup]:
    """One ERP call for the whole page, whatever the filter."""
    return group_documents(port.list_documents(customer_id), category)
