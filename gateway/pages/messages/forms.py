"""The message form: what the customer types, what it may be tied to, and its attachments checked by content."""

from __future__ import annotations

import uuid
from typing import Callable

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext, ngettext
from flask_wtf.file import MultipleFileField
from werkzeug.exceptions import NotFound
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, ValidationError

from adapters.core.records import Attachment, InvoiceSummary, MessageDraft, MessageKind
from gateway.pages.messages.attachments import (
    MAX_FILES_ERP_TAKES,
    AttachmentRefused,
    Problem,
    base_name,
    check_attachments,
)
from gateway.pages.messages.service import KINDS, LinkChoices
from gateway.web.files import MAX_NAME_LENGTH
from gateway.web.forms import REQUIRED, PortalForm
from gateway.web.i18n import format_date, format_money, human_size
from gateway.web.ownership import own_invoice, own_premise

SUBJECT_MAX, BODY_MAX = 200, 5000
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
NONE_CHOSEN = SelectChoice("", _l("— none —"))
NO_KIND_CHOSEN = SelectChoice("", _l("— please choose —"))
REFUSALS = {
    Problem.EMPTY: _l("The file “%(name)s” is empty."),
    Problem.TOO_LARGE: _l("The file “%(name)s” is larger than %(size)s."),
    Problem.NOT_ALLOWED: _l("The file “%(name)s” is not a PDF, JPEG or PNG file. Only these can be attached."),
    Problem.NAME_MISMATCH: _l("The content of the file “%(name)s” does not match its name's extension. "
                              "Please attach a PDF, JPEG or PNG file whose name ends as its type."),
    Problem.NAME_TOO_LONG: _l("The name of the file “%(name)s” is longer than %(length)d characters. "
                              "Please shorten the name and attach the file again."),
}
# A refused name is quoted up to this many characters: the page says which file, not the whole of a long name.
SHOWN_NAME = 40


def one_line(text: str | None) -> str | None:
    return " ".join(text.split()) if text is not None else None


def unix_newlines(text: str | None) -> str | None:
    """Browsers send CRLF but count a line break as one character: count it as they do."""
    return text.replace("\r\n", "\n").strip() if text is not None else None


def attachment_limits() -> tuple[int, int]:
    """Bytes per file and files per message, from the configuration (files no more than the ERP takes)."""
    config = current_app.config
    return (int(config["MESSAGE_ATTACHMENT_MAX_BYTES"]),
            min(int(config["MESSAGE_ATTACHMENT_MAX_FILES"]), MAX_FILES_ERP_TAKES))


def shown_name(filename: str) -> str:
    name = base_name(filename)
    return name if len(name) <= SHOWN_NAME else name[:SHOWN_NAME] + "…"


def refusal_message(refused: AttachmentRefused) -> str:
    max_bytes, max_files = attachment_limits()
    if refused.problem is Problem.TOO_MANY:
        return ngettext("You can attach at most %(num)d file.", "You can attach at most %(num)d files.", max_files)
    values = {"name": shown_name(refused.filename), "size": human_size(max_bytes), "count": max_files,
              "length": MAX_NAME_LENGTH}
    return str(REFUSALS[refused.problem] % values)


class MessageForm(PortalForm):
    """Ids posted for the premise and invoice go through own_premise/own_invoice: another customer's is an error."""

    # No kind is preselected: a complaint has consequences an inquiry has not, so the customer picks one.
    kind = SelectField(_l("Kind of message"), validate_choice=False, render_kw={"required": True},
                       choices=[NO_KIND_CHOSEN, *(SelectChoice(kind.value, label) for kind, label in KINDS.items())],
                       validators=[AnyOf([kind.value for kind in MessageKind], _l("Choose the kind of message."))])
    subject = StringField(_l("Subject"), filters=[one_line], render_kw={"maxlength": SUBJECT_MAX},
                          validators=[DataRequired(REQUIRED), Length(max=SUBJECT_MAX, message=lazy_ngettext(
                              "The subject may be at most %(num)d character long.",
                              "The subject may be at most %(num)d characters long.", SUBJECT_MAX))])
    body = TextAreaField(_l("Text of the message"), filters=[unix_newlines],
                         render_kw={"maxlength": BODY_MAX, "rows": 8},
                         validators=[DataRequired(REQUIRED), Length(max=BODY_MAX, message=lazy_ngettext(
                             "The message may be at most %(num)d character long.",
                             "The message may be at most %(num)d characters long.", BODY_MAX))])
    premise_id = SelectField(_l("Premise it concerns"), choices=[NONE_CHOSEN], validate_choice=False)
    invoice_id = SelectField(_l("Invoice it concerns"), choices=[NONE_CHOSEN], validate_choice=False)
    # The portal's script lists the chosen files in that element (static/js/attachments.js).
    attachments = MultipleFileField(_l("Attachments"),
                                    render_kw={"accept": ACCEPT, "data-file-list": "attachments-chosen"})
    idempotency_key = HiddenField()

    checked_attachments: tuple[Attachment, ...] = ()

    def ensure_key(self) -> None:
        """A key fixed when the form is first drawn, kept on every re-render, replaced only if not a UUID."""
        try:
            self.idempotency_key.data = str(uuid.UUID(self.idempotency_key.data or ""))
        except ValueError:
            self.idempotency_key.data = str(uuid.uuid4())

    def offer(self, choices: LinkChoices) -> None:
        """Fill the select lists from the customer's own premises and invoices."""
        self.premise_id.choices = [NONE_CHOSEN, *(SelectChoice(p.id, str(p.address)) for p in choices.premises or ())]
        self.invoice_id.choices = [NONE_CHOSEN, *(SelectChoice(i.id, invoice_label(i)) for i in choices.invoices or ())]

    def validate_premise_id(self, field: SelectField) -> None:
        if field.data and not _is_own(own_premise, field.data):
            raise ValidationError(_l("Choose one of your premises."))

    def validate_invoice_id(self, field: SelectField) -> None:
        if field.data and not _is_own(own_invoice, field.data):
            raise ValidationError(_l("Choose one of your invoices."))

    def validate_attachments(self, field: MultipleFileField) -> None:
        """Read at most one byte past the limit: enough to know a file is too large."""
        max_bytes, max_files = attachment_limits()
        chosen = [file for file in field.data or () if file and file.filename]
        try:
            files = [(file.filename or "", file.read(max_bytes + 1)) for file in chosen[: max_files + 1]]
            self.checked_attachments = check_attachments(files, max_bytes, max_files)
        except AttachmentRefused as refused:
            raise ValidationError(refusal_message(refused)) from None

    def draft(self) -> MessageDraft:
        return MessageDraft(kind=MessageKind(self.kind.data), subject=self.subject.data or "",
                            body=self.body.data or "", idempotency_key=self.idempotency_key.data or "",
                            attachments=self.checked_attachments, premise_id=self.premise_id.data or None,
                            invoice_id=self.invoice_id.data or None)


def invoice_label(invoice: InvoiceSummary) -> str:
    return f"{invoice.number} ({format_date(invoice.issued_on)}, {format_money(invoice.gross)})"


def _is_own(finder: Callable[[str], object], object_id: str) -> bool:
    """The ownership finders end the request with 404; in a form another customer's id is a field error."""
    try:
        finder(object_id)
    except NotFound:
        return False
    return True
