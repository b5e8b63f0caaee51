"""Form texts and forms more than one page uses: the required-field message, the base every form of the portal
builds on (no control characters in any text, its errors listed for the page's summary), and the new-password pair."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, Form, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from gateway.accounts.passwords import normalised, password_problems, passwords
from gateway.db.models import Account

REQUIRED = _l("This field is required.")
# Long input is cut short so that nobody can make argon2 hash megabytes.
PASSWORD_MAX = 1024
# C0 and C1 controls, DEL and the Unicode line and paragraph separators: no text typed into a form needs them,
# and a NUL breaks PostgreSQL. Tab and line breaks (LF, CR) are text in a multi-line field.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MULTILINE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
CONTROL_MESSAGE = _l("This field contains control characters (such as NUL). Please type plain text.")
SAME_AS_CURRENT = _l("The new password must differ from the current one.")


def plain_text(_form: Form, field: Field) -> None:
    """A one-line field (login, subject, password): no control character at all."""
    if isinstance(field.data, str) and CONTROL.search(field.data):
        raise ValidationError(CONTROL_MESSAGE)


def multiline_text(_form: Form, field: Field) -> None:
    """A multi-line field (a message, a note): tab and line breaks are fine, other control characters are not."""
    if isinstance(field.data, str) and MULTILINE_CONTROL.search(field.data):
        raise ValidationError(CONTROL_MESSAGE)


@dataclass(frozen=True)
class FormProblem:
    """One line of the error summary at the top of a page: the field's label (a bare "This field is required."
    would not say which), the message, and the id of the field it links to (None for a hidden field, which the
    customer cannot reach)."""

    message: str
    field_id: str | None
    label: str = ""


class PortalForm(FlaskForm):
    """Every form of the portal: each text field refuses control characters, whatever its own validators say."""

    def problems(self, order: Sequence[str] = ()) -> list[FormProblem]:
        """Every error once, fields in the order the page draws them: those named in `order` first (a page may
        draw fields in another order than the class declares them), then the rest as declared."""
        named = [self[name] for name in order if name in self]
        fields = named + [field for field in self if field not in named]
        found = [FormProblem(str(message), None) for message in self.form_errors]
        for field in fields:
            hidden = isinstance(field, HiddenField)
            target, label = (None, "") if hidden else (field.id, str(field.label.text))
            found.extend(FormProblem(str(message), target, label) for message in field.errors)
        return found

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        extra = {name: list(validators) for name, validators in (extra_validators or {}).items()}
        for field in self:
            if isinstance(field, StringField):
                check = multiline_text if isinstance(field, TextAreaField) else plain_text
                extra.setdefault(field.short_name, []).append(check)
        return super().validate(extra_validators=extra)


class NewPasswordForm(PortalForm):
    """A new password and its repetition; the length and common-password rules come from passwords.py."""

    new_password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED)])
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(REQUIRED), EqualTo("new_password", _l("The passwords do not match."))],
    )
    # Set by the view: a password that spells the login or customer id is refused.
    account: Account | None = None
    # Set where the customer has already proved the password they hold (the one-time password at first
    # sign-in, the e-mailed link): the new password must not be it. Settings compares with the typed one.
    compare_with_stored = False

    def validate_new_password(self, field: PasswordField) -> None:
        password = field.data or ""
        login, customer_id = (self.account.login, self.account.customer_id) if self.account else ("", "")
        problems = password_problems(password, login, customer_id)
        if problems:
            raise ValidationError(problems[0])
        if self.compare_with_stored and self.account and passwords().verify(self.account.password_hash, password):
            raise ValidationError(SAME_AS_CURRENT)


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(REQUIRED), Length(max=PASSWORD_MAX)]
    )

    def validate_new_password(self, field: PasswordField) -> None:
        """Compared with the typed current password, not the stored one: no unthrottled guessing of it here."""
        super().validate_new_password(field)
        if normalised(field.data or "") == normalised(self.current_password.data or ""):
            raise ValidationError(SAME_AS_CURRENT)
