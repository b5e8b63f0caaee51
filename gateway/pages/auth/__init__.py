"""Signing in and out, the first sign-in (terms and a new password), and password reset by e-mail."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from gateway.pages.auth import first_sign_in, reset, views  # noqa: E402,F401  (the views register on bp)
