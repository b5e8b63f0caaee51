"""Payments tests: one portal per module with payments on, kowalski and nowak signed in, the Przelewy24 simulator."""

from tests.payments.fixtures import app, config, kowalski, nowak, operator, paying_app, signed_in

__all__ = ["app", "config", "kowalski", "nowak", "operator", "paying_app", "signed_in"]
