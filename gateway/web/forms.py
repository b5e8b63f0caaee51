"""Form texts and forms more than one page uses: the required-field message and the new-password pair."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from gateway.accounts.passwords import normalised, password_problems, passwords
from gateway.db.models import Account

REQUIRED = _l("This field is required.")
# Long input is cut short so that nobody can make argon2 hash megabytes.
PASSWORD_MAX = 1024
SAME_AS_CURRENT = _l("The new password must differ from the current one.")


class NewPasswordForm(FlaskForm):
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
