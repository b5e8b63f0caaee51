"""Builds the configured payment operator once per app and hands it out through one accessor."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app

from adapters.payments.port import PaymentOperator
from adapters.payments.registry import resolve_operator

EXTENSION_KEY = "payment_operator"


def init_operator(app: Flask) -> None:
    """Only when payments are on: a portal without them needs none of the operator's settings."""
    if app.config.get("PAYMENTS_ENABLED"):
        name = str(app.config["PAYMENT_OPERATOR"])
        app.extensions[EXTENSION_KEY] = resolve_operator(name).from_config(app.config)


def payments_enabled() -> bool:
    return EXTENSION_KEY in current_app.extensions


def payment_operator() -> PaymentOperator:
    return current_app.extensions[EXTENSION_KEY]


def abandon_after() -> timedelta:
    return timedelta(minutes=float(current_app.config["PAYMENT_ABANDON_MINUTES"]))


def public_url(path: str) -> str:
    """Links the operator sends the payer and its notifications to: the configured public address, never the
    request's Host header."""
    base = str(current_app.config.get("PAYMENT_PUBLIC_URL") or current_app.config["PORTAL_URL"])
    return base.rstrip("/") + path
