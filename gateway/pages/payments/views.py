"""The payment pages: thin views over gateway/payments; every invoice id passes own_invoice() first."""

from __future__ import annotations

import functools
import uuid
from decimal import Decimal
from typing import Callable, ParamSpec, TypeVar

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from gateway import clock
from gateway.accounts.audit import client_address
from gateway.accounts.throttle import Bucket, digest, reserve, reserve_all
from gateway.db.database import db
from gateway.erp.billing import billing
from gateway.pages.payments import bp
from gateway.pages.payments.forms import MAX_INVOICES, PayForm
from gateway.payments import notifications, service, store
from gateway.payments.charges import Charge, invoices_charge, overdue_charge
from gateway.payments.model import CANCELLED, KIND_OVERDUE, Payment
from gateway.payments.operator import payment_operator, payments_enabled
from gateway.payments.states import is_open, payment_states, states_for_page
from gateway.web.extensions import csrf
from gateway.web.ownership import customer_id, own_invoice
from gateway.web.security import CONTENT_SECURITY_POLICY
from gateway.web.sessions import signed_in_account

P = ParamSpec("P")
R = TypeVar("R")


def enabled_only(view: Callable[P, R]) -> Callable[P, R]:
    """Without an operator there is nothing here: the same 404 as any unknown address. A decorator, not a
    before_request hook: the request pipeline stays as register_pipeline lists it."""

    @functools.wraps(view)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        if not payments_enabled():
            abort(404)
        return view(*args, **kwargs)

    return checked


def _charge(kind: str, invoice_ids: list[str]) -> Charge:
    """The sum from the ERP's data; ids not the customer's own are 404 before anything else is read."""
    if len(invoice_ids) > MAX_INVOICES:
        abort(400)
    invoices = [own_invoice(invoice_id) for invoice_id in invoice_ids]
    all_invoices = billing().list_invoices(customer_id())
    blocked = payment_states(customer_id(), all_invoices).blocked
    if kind == KIND_OVERDUE:
        return overdue_charge(billing(), customer_id(), clock.today(), blocked)
    return invoices_charge(billing(), customer_id(), invoices, blocked)


def _confirm_page(charge: Charge, form: PayForm, changed: bool = False) -> Response:
    """The form's submit ends in a redirect to the operator, which the page's CSP must allow (form-action)."""
    form.kind.data, form.amount.data = charge.kind, f"{charge.amount:.2f}"
    if not form.idempotency_key.data:
        form.idempotency_key.data = str(uuid.uuid4())
    page = make_response(render_template("payments/confirm.html", charge=charge, form=form, changed=changed))
    origin = payment_operator().payer_origin
    page.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {origin}")
    return page


@bp.get("/confirm")
@enabled_only
@login_required
def confirm() -> Response:
    """?invoice=ID (repeatable) or ?overdue=1: the amount as the portal computes it, to confirm."""
    kind = KIND_OVERDUE if request.args.get("overdue") else "invoices"
    return _confirm_page(_charge(kind, request.args.getlist("invoice")), PayForm(formdata=None))


@bp.post("/start")
@enabled_only
@login_required
def start() -> Response | tuple[Response, int]:
    """The payment written, then the customer sent to the operator; a repeat of the form finds the first one."""
    form = PayForm()
    if not form.validate():
        abort(400)
    existing = store.by_key(db(), form.idempotency_key.data)
    if existing is not None and existing.customer_id == customer_id():
        return redirect(url_for("payments.status", session_id=existing.session_id), 303)
    charge = _charge(form.kind.data, request.form.getlist("invoice"))
    if not charge.payable or Decimal(form.amount.data) != charge.amount:
        form.idempotency_key.data = str(uuid.uuid4())
        return _confirm_page(charge, form, changed=True), 409
    started = service.start(signed_in_account(), charge, form.idempotency_key.data)
    if started.redirect_url:
        return redirect(started.redirect_url, 303)
    return redirect(url_for("payments.status", session_id=started.payment.session_id), 303)


def _own_payment(session_id: str) -> Payment:
    payment = store.by_session_id(db(), session_id[:64])
    if payment is None or payment.customer_id != customer_id():
        abort(404)
    return payment


@bp.get("/<session_id>")
@enabled_only
@login_required
def status(session_id: str) -> str:
    """What the portal's record says, which only a verified notification turns into paid."""
    payment = _own_payment(session_id)
    states = states_for_page()
    return render_template("payments/status.html", payment=payment, state=states.of_payment(payment),
                           open=is_open(payment))


@bp.get("/<session_id>/return")
@enabled_only
@login_required
def returned(session_id: str) -> str:
    """The operator's return link: its query says nothing the page believes."""
    return status(session_id)


@bp.post("/<session_id>/cancel")
@enabled_only
@login_required
def cancel(session_id: str) -> Response:
    """The customer gave up at the operator: the invoices may be paid again (a late notification still counts)."""
    payment = _own_payment(session_id)
    store.finish(db(), payment, CANCELLED)
    db().commit()
    return redirect(url_for("payments.status", session_id=payment.session_id), 303)


@bp.post("/notify")
@csrf.exempt
@enabled_only
def notify() -> tuple[str, int, dict[str, str]]:
    """The operator's notification: no session, no CSRF token; its signature and the portal's record decide."""
    plain = {"Content-Type": "text/plain; charset=utf-8"}
    wait = _notification_wait()
    if wait:
        return "TOO_MANY", 429, {**plain, "Retry-After": str(wait)}
    outcome = notifications.receive(request.get_data(cache=False))
    return outcome.name, outcome.value, plain


def _notification_wait() -> int:
    """The operator sends few notifications: beyond PAYMENT_NOTIFICATIONS_PER_MINUTE from one address, a flood
    of forged ones is refused before its signature is checked or its session looked up. Logged at the first
    refusal of each minute, naming no address."""
    limit = int(current_app.config["PAYMENT_NOTIFICATIONS_PER_MINUTE"])
    client = digest(client_address() or "unknown")
    wait = reserve_all([Bucket(f"payment-notify:{client}", limit, window=60)])
    if wait and reserve(Bucket(f"audit:payment-notify:{client}", 10**9, window=60)).attempts == 1:
        current_app.logger.warning("payment notifications from one address over %d a minute: refused for %d s",
                                   limit, wait)
    return wait
