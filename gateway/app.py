"""The composition root: create_app builds configuration, the ERP port, blueprints and commands."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from flask import Flask

from adapters.port import BillingPort
from gateway import billing as billing_module
from gateway.erp_cli import erp_commands

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = ROOT / "config"


def create_app(config: Mapping[str, Any] | None = None, billing: BillingPort | None = None) -> Flask:
    """Build the portal; tests pass configuration and a port of their own."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"), instance_path=str(ROOT / "instance"))
    load_config(app, config or {})
    billing_module.init_billing(app, billing)
    app.cli.add_command(erp_commands)
    return app


def load_config(app: Flask, overrides: Mapping[str, Any]) -> None:
    """Defaults, then the profile's file (IBOK_PROFILE), then IBOK_ environment variables, then overrides."""
    app.config.from_pyfile(str(CONFIG_DIR / "defaults.py"))
    profile = overrides.get("PROFILE") or os.environ.get("IBOK_PROFILE")
    if profile:
        app.config.from_pyfile(str(CONFIG_DIR / f"{profile}.py"))
    app.config.from_prefixed_env("IBOK")
    app.config.update(overrides)
