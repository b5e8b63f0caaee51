"""The forms of signing in, first sign-in and password reset; new passwords share one check."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from gateway.accounts.passwords import password_problems
from gateway.accounts.terms import TermsDocument

REQUIRED = _l("This field is required.")


class SignInForm(FlaskForm):
    login = StringField(_l("Login"), validators=[DataRequired(REQUIRED), Length(max=254)])
    # Long input is cut short here so that nobody can make argon2 hash megabytes.
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), Length(max=1024)])


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
        _l("Current password"), validators=[DataRequired(REQUIRED), Length(max=1024)]
    )


class ResetRequestForm(FlaskForm):
    login_or_email = StringField(_l("Login or e-mail address"), validators=[DataRequired(REQUIRED), Length(max=254)])


def accept_field_name(document: TermsDocument) -> str:
    return "accept_" + document.key.replace("-", "_")


def onboarding_form(documents: list[TermsDocument], new_password: bool) -> FlaskForm:
    """One checkbox per document still to accept, plus the new password when the current one is one-time."""
    base = NewPasswordForm if new_password else FlaskForm

    class OnboardingForm(base):  # type: ignore[valid-type,misc]
        pass

    for document in documents:
        label = _l("I have read and accept the %(title)s, version %(version)s.", title=document.title,
                   version=document.version)
        setattr(OnboardingForm, accept_field_name(document),
                BooleanField(label, validators=[DataRequired(_l("Please accept the terms to continue."))]))
    return OnboardingForm()
