"""Notifications: the unsubscribe page an e-mail reminder links to, which works without signing in."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from gateway.pages.notifications import views  # noqa: E402,F401  (the views register on bp)
