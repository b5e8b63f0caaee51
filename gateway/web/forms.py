"""Form texts and forms more than one page uses: the required-field message and the new-password pair."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from gateway.accounts.passwords import password_problems

REQUIRED = _l("This field is required.")
# Long input is cut short so that nobody can make argon2 hash megabytes.
PASSWORD_MAX = 1024


class NewPasswordForm(FlaskForm):
    """A new password and its repetition; the length and common-password rules come from passwords.py."""

    new_password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED)])
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(REQUIRED), EqualTo("new_password", _l("The passwords do not match."))],
    )
    # Set by the view: a password that spells the login is refused.
    account_login = ""

    def validate_new_password(self, field: PasswordField) -> None:
        problems = password_problems(field.data or "", self.account_login)
        if problems:
            raise ValidationError(problems[0])


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(REQUIRED), Length(max=PASSWORD_MAX)]
    )
