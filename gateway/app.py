"""The composition root: create_app builds configuration, the ERP port, extensions, blueprints and commands."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any, Mapping

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from adapters.core.port import BillingPort
from gateway.accounts.passwords import EXTENSION_KEY as PASSWORDS_KEY
from gateway.accounts.passwords import Passwords
from gateway.cli.accounts import accounts_commands
from gateway.cli.db import db_commands
from gateway.cli.erp import erp_commands
from gateway.cli.payments import payments_commands
from gateway.cli.retention import retention_commands
from gateway.config_check import check_production, host_only
from gateway.db.database import close_session, init_database
from gateway.erp import billing as billing_module
from gateway.notify.cli import notify_commands
from gateway.outbox.invalidation import drop_changed_answers, init_invalidation
from gateway.outbox.runner import init_outbox, start_in_process_delivery
from gateway.pages.auth import bp as auth_bp
from gateway.pages.contracts import bp as contracts_bp
from gateway.pages.downloads import bp as downloads_bp
from gateway.pages.health import bp as health_bp
from gateway.pages.home import bp as home_bp
from gateway.pages.invoices import bp as invoices_bp
from gateway.pages.messages import bp as messages_bp
from gateway.pages.meters import bp as meters_bp
from gateway.pages.notifications import bp as notifications_bp
from gateway.pages.payments import bp as payments_bp
from gateway.pages.readings import bp as readings_bp
from gateway.pages.settings import bp as settings_bp
from gateway.pages.settlements import bp as settlements_bp
from gateway.payments.wiring import init_payments
from gateway.web.branding import init_branding
from gateway.web.errors import init_errors
from gateway.web.extensions import babel, csrf, login_manager
from gateway.web.freshness import init_freshness, start_tracking, stop_tracking
from gateway.web.i18n import init_i18n, select_locale
from gateway.web.ksef import init_ksef
from gateway.web.links import init_links
from gateway.web.logs import begin_request, end_request, finish_request, init_logging
from gateway.web.nav import init_nav
from gateway.web.ownership import check_chosen_customer
from gateway.web.paying import init_paying
from gateway.web.security import add_security_headers
from gateway.web.sessions import enforce_timeouts, require_onboarding
from gateway.web.templating import Portal, compile_every_template

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = ROOT / "config"


def create_app(config: Mapping[str, Any] | None = None, billing: BillingPort | None = None) -> Flask:
    """Build the portal; tests pass configuration and a port of their own."""
    app = Portal(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    load_config(app, config or {})
    check_production(app.config)
    apply_derived_settings(app)
    billing_module.init_billing(app, billing)
    register_extensions(app)
    register_pipeline(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    if app.config["COMPILE_TEMPLATES_AT_START"]:
        compile_every_template(app)
    return app


def load_config(app: Flask, overrides: Mapping[str, Any]) -> None:
    """Defaults, the profile's file (IBOK_PROFILE), a file of IT's (IBOK_CONFIG_FILE), IBOK_ variables, overrides."""
    app.config.from_pyfile(str(CONFIG_DIR / "defaults.py"))
    profile = overrides.get("PROFILE") or os.environ.get("IBOK_PROFILE")
    if profile:
        app.config.from_pyfile(str(CONFIG_DIR / f"{profile}.py"))
    config_file = overrides.get("CONFIG_FILE") or os.environ.get("IBOK_CONFIG_FILE")
    if config_file:
        app.config.from_pyfile(str(Path(config_file).resolve()))
    app.config.from_prefixed_env("IBOK")
    app.config.update(overrides)


def apply_derived_settings(app: Flask) -> None:
    """Settings that follow from others, and the proxy headers IT said to trust."""
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=float(app.config["SESSION_ABSOLUTE_HOURS"]))
    if app.config["PRODUCTION"]:
        app.config["SESSION_COOKIE_NAME"] = host_only(str(app.config["SESSION_COOKIE_NAME"]))
    hops_for, hops_proto = int(app.config["PROXY_FIX_X_FOR"]), int(app.config["PROXY_FIX_X_PROTO"])
    if hops_for or hops_proto:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops_for, x_proto=hops_proto)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    init_database(app)
    app.extensions[PASSWORDS_KEY] = Passwords(app.config)
    login_manager.init_app(app)  # also adds Flask-Login's remember-me cookie update, run after every other hook
    babel.init_app(app, locale_selector=select_locale)
    init_invalidation(app)
    init_payments(app)


def register_pipeline(app: Flask) -> None:
    """Every hook a request passes through, in the order they run; nothing else adds one but the extension
    bound above (Flask-Login)."""
    # Before the view, in this order:
    app.before_request(begin_request)  # correlation id and clock first: a request refused below still has both
    csrf.init_app(app)  # Flask-WTF's token check of every POST (CSRFProtect.init_app adds its hook here)
    app.before_request(enforce_timeouts)  # an idle or too old session is emptied before the account is loaded
    app.before_request(require_onboarding)  # loads the account (its session version checked); terms come first
    app.before_request(check_chosen_customer)  # a linked customer chosen in the header but unlinked since is dropped
    app.before_request(drop_changed_answers)  # answers that writes finished by any process changed are evicted
    app.before_request(start_tracking)  # the ERP reads behind the page, for its notice of how old its data is
    app.before_request(start_in_process_delivery)  # the demo's outbox thread, started by a process's first request
    # After the view, in this order (Flask runs the last registered first, so they are registered reversed):
    for after in reversed((finish_request, add_security_headers)):  # the id header and log line; security headers
        app.after_request(after)
    # Teardown, in this order (likewise run last registered first):
    for teardown in reversed((stop_tracking, end_request)):  # the read tracking ended; the correlation id reset
        app.teardown_request(teardown)
    app.teardown_appcontext(close_session)  # the request's database session closed, rolled back if not committed


def register_blueprints(app: Flask) -> None:
    init_logging(app)
    init_i18n(app)
    init_freshness(app)
    init_branding(app)
    init_links(app)
    init_nav(app)
    init_paying(app)
    init_ksef(app)
    app.register_blueprint(health_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(contracts_bp)
    app.register_blueprint(meters_bp)
    app.register_blueprint(readings_bp)
    app.register_blueprint(invoices_bp)
    app.register_blueprint(downloads_bp)
    app.register_blueprint(messages_bp)
    app.register_blueprint(settings_bp)
    app.register_blueprint(settlements_bp)
    app.register_blueprint(payments_bp)
    app.register_blueprint(notifications_bp)


def register_errorhandlers(app: Flask) -> None:
    init_errors(app)


def register_commands(app: Flask) -> None:
    app.cli.add_command(erp_commands)
    app.cli.add_command(db_commands)
    app.cli.add_command(accounts_commands)
    app.cli.add_command(retention_commands)
    app.cli.add_command(payments_commands)
    app.cli.add_command(notify_commands)
    init_outbox(app)
