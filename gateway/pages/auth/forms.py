"""The forms of signing in, first sign-in and password reset; the new-password form is shared (web/forms.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from gateway.accounts.terms import TermsDocument
from gateway.web.forms import PASSWORD_MAX, REQUIRED, NewPasswordForm, PortalForm


class SignInForm(PortalForm):
    login = StringField(_l("Login"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), Length(max=PASSWORD_MAX)])


class ResetRequestForm(PortalForm):
    login_or_email = StringField(_l("Login or e-mail address"), validators=[DataRequired(REQUIRED), Length(max=254)])


def accept_field_name(document: TermsDocument) -> str:
    return "accept_" + document.key.replace("-", "_")


def onboarding_form(documents: list[TermsDocument], new_password: bool) -> PortalForm:
    """One checkbox per document still to accept, plus the new password when the current one is one-time."""
    base = NewPasswordForm if new_password else PortalForm

    class OnboardingForm(base):  # type: ignore[valid-type,misc]
        pass

    for document in documents:
        label = _l("I have read and accept the %(title)s, version %(version)s.", title=document.title,
                   version=document.version)
        setattr(OnboardingForm, accept_field_name(document),
                BooleanField(label, validators=[DataRequired(_l("Please accept the terms to continue."))]))
    return OnboardingForm()
