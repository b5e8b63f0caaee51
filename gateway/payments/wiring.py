"""Payments in the app: the operator built once, and the states the invoice, start and settlements pages show."""

from __future__ import annotations

from flask import Flask

from gateway.payments.operator import init_operator
from gateway.payments.states import states_for_page


def init_payments(app: Flask) -> None:
    init_operator(app)
    app.add_template_global(states_for_page, "payment_states")
