"""Paying online: confirm the amount, off to the operator, back to a page that says what happened; its notification."""

from flask import Blueprint

bp = Blueprint("payments", __name__, url_prefix="/payments")

from gateway.pages.payments import views  # noqa: E402,F401  (the views register on bp)
