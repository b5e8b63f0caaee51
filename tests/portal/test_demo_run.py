"""The demo as a newcomer meets it: readable e-mails on the console with links to the port it runs on, a banner
whose passwords work, consents that agree with the e-invoice terms, and no installer noise before the address."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from gateway.accounts.mail import send_mail
from gateway.app import create_app
from gateway.cli.db import upgrade_database
from tests.portal.conftest import sign_in

ROOT = Path(__file__).resolve().parents[2]
LINK = "http://127.0.0.1:5123/password-reset/" + "Ab0-" * 30


def test_a_console_e_mail_is_the_text_itself(app, tmp_path, capsys):
    app.config.update(MAIL_BACKEND="folder", MAIL_FOLDER=str(tmp_path / "mail"))
    body = f"Dzień dobry,\n\nprosimy otworzyć ten link w ciągu 30 minut:\n{LINK}\n\nŻółć gęślą jaźń\n"
    with app.app_context():
        send_mail("jan.kowalski@example.com", "Ustawienie nowego hasła w IBOK", body)
    printed = capsys.readouterr().err
    assert "Subject: Ustawienie nowego hasła w IBOK\n" in printed
    assert "To: jan.kowalski@example.com\n" in printed
    assert f"\n\n{body}--- end of e-mail ---" in printed
    assert "=?utf-8?" not in printed and "Content-Transfer-Encoding" not in printed


@pytest.fixture
def demo_app(config, billing, monkeypatch, tmp_path):
    """The demo profile as `make run` starts it on PORT=5123."""
    monkeypatch.setenv("PORT", "5123")
    app = create_app({**config, "PROFILE": "demo", "WTF_CSRF_ENABLED": False, "MAIL_FOLDER": str(tmp_path)},
                     billing=billing)
    upgrade_database(app)
    assert app.test_cli_runner().invoke(args=["accounts", "demo"]).exit_code == 0
    return app


def test_demo_links_lead_to_the_port_the_demo_runs_on(config, billing, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PORT", "5123")
    demo = {key: value for key, value in config.items() if key != "PORTAL_URL"}
    app = create_app({**demo, "PROFILE": "demo", "WTF_CSRF_ENABLED": False, "MAIL_BACKEND": "folder",
                      "MAIL_FOLDER": str(tmp_path)}, billing=billing)
    assert app.config["PORTAL_URL"] == "http://127.0.0.1:5123"
    upgrade_database(app)
    app.test_cli_runner().invoke(args=["accounts", "demo"])
    with app.test_client().post("/password-reset", data={"login_or_email": "kowalski"}) as response:
        assert response.status_code == 302
    printed = capsys.readouterr().err
    assert re.search(r"^http://127\.0\.0\.1:5123/password-reset/\S+$", printed, re.M), printed


def test_the_banner_does_not_offer_a_password_changed_since(demo_app):
    client = demo_app.test_client()
    sign_in(client, login="nowy", password="Start-IBOK-2026")
    client.post("/welcome", data={"accept_regulamin_ibok": "y", "accept_regulamin_e_faktury": "y",
                                  "new_password": "Changed-by-tester-1", "confirm_password": "Changed-by-tester-1"})
    lines = demo_app.test_cli_runner().invoke(args=["accounts", "demo"]).output.splitlines()
    assert lines[2] == ("nowy: exists for K-1003, its password was changed since "
                        "(IBOK_PROFILE=demo .venv/bin/flask accounts demo --reset restores Start-IBOK-2026)")
    assert lines[0] == "kowalski: exists for K-1001, password Demo-IBOK-2026"


@pytest.mark.parametrize(("login", "state", "consent"), [
    ("kowalski", "E-faktura jest wyłączona", "wycofana"), ("nowak", "E-faktura jest włączona", "udzielona")])
def test_demo_consents_agree_with_the_einvoice_state(demo_app, login, state, consent):
    """Accepting Regulamin e-faktury is consent to e-invoices (its § 2): an account whose e-invoices are off
    shows that it withdrew the consent, not only that it accepted the terms."""
    client = demo_app.test_client()
    sign_in(client, login=login, password="Demo-IBOK-2026")
    page = client.get("/settings/").get_data(as_text=True)
    assert state in page
    entry = re.search(r"<strong>E-faktura zamiast faktury papierowej</strong>:\s*(\w+)", page)
    assert entry and entry.group(1) == consent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_demo_banner_is_short_and_names_the_address(tmp_path):
    """scripts/run-demo as `make run` calls it, up to the address (an ERP URL is given, so no simulator starts)."""
    port = _free_port()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PORT": str(port), "IBOK_ERP_URL": "http://127.0.0.1:9/soap",
           "IBOK_DATABASE_URL": f"sqlite:///{tmp_path}/demo.sqlite"}
    process = subprocess.Popen(["bash", "scripts/run-demo"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.stdout is not None:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if line.startswith("the portal: "):
                break
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()
    assert lines and lines[-1] == f"the portal: http://127.0.0.1:{port}", lines
    assert lines[:4] == ["demo accounts (login: how it signs in now):",
                         "  kowalski: created for K-1001, password Demo-IBOK-2026",
                         "  nowak: created for K-1002, password Demo-IBOK-2026",
                         "  nowy: created for K-1003, one-time password Start-IBOK-2026"]
    assert lines[4:6] == ["  piekarnia: created for K-1004, password Demo-IBOK-2026",
                          "  zarzadca: created for K-1007 (linked: K-1008, K-1009), password Demo-IBOK-2026"]
    assert len(lines) == 8


def test_installing_writes_pip_to_a_log_not_the_screen():
    """make run's first step: pip and setuptools print hundreds of lines even with --quiet."""
    plan = subprocess.run(["make", "-n", "--always-make", "install", "VENV=/nonexistent/venv"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout
    pip_lines = [line for line in plan.replace("\\\n", " ").splitlines() if "pip install" in line]
    assert pip_lines and all(">/nonexistent/venv/install.log 2>&1" in line for line in pip_lines), plan
