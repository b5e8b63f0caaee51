"""Accounts and signed-in session cookies for the bench: kowalski signs in for real, through the form;
the 1,000 synthetic customers get accounts written directly and cookies from the portal's own start_session.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

import requests
from flask import Flask, session
from flask_wtf.csrf import generate_csrf

from fixtures.demo.clones import FIRST_NUMBER, clone_id
from gateway import create_app
from gateway.accounts.passwords import passwords
from gateway.accounts.terms import accept_terms, current_terms
from gateway.db.database import db
from gateway.db.models import Account
from gateway.web.sessions import start_session

USER_AGENT = "ibok-bench"
SYNTHETIC_PASSWORD = "Bench-IBOK-2026-synthetic"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def portal_app(config: Mapping[str, Any]) -> Flask:
    """The portal as the gunicorn workers build it (same database, secret and ERP), in this process."""
    return create_app(dict(config))


def synthetic_accounts(app: Flask, count: int) -> list[str]:
    """Accounts s2001 … for K-2001 …, terms accepted, one password hash shared (hashing 1,000 times
    would only cost time); returns a session cookie per account, as a browser holds it after sign-in."""
    cookies = []
    with app.app_context():
        password_hash = passwords().hash(SYNTHETIC_PASSWORD)
        accounts = []
        for number in range(FIRST_NUMBER, FIRST_NUMBER + count):
            account = Account(login=f"s{number}", customer_id=clone_id(number), email=f"s{number}@example.com",
                              password_hash=password_hash, password_is_one_time=False, session_version=1,
                              locked=False)
            accept_terms(account, list(current_terms().values()), address=None)
            db().add(account)
            accounts.append(account)
        db().commit()
        for account in accounts:
            cookies.append(_cookie_for(app, account))
        db().commit()
    return cookies


def _cookie_for(app: Flask, account: Account) -> str:
    """The cookie start_session gives at sign-in, with the CSRF secret the first page adds to it."""
    with app.test_request_context("/", headers={"User-Agent": USER_AGENT}, environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        start_session(account)
        generate_csrf()
        return str(app.session_interface.get_signing_serializer(app).dumps(dict(session)))  # type: ignore[attr-defined]


def sign_in(base_url: str, login: str, password: str) -> str:
    """Sign in through the form, as a browser does, and open the start page: the cookie it then holds."""
    browser, token = _open_sign_in(base_url)
    form_data = {"csrf_token": token, "login": login, "password": password}
    answer = browser.post(f"{base_url}/sign-in", data=form_data, allow_redirects=False, timeout=30)
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in as {login} failed: HTTP {answer.status_code}")
    browser.get(f"{base_url}/", timeout=60).raise_for_status()
    return str(browser.cookies["ibok_session"])


def sign_in_form(base_url: str) -> tuple[str, str]:
    """A visitor's cookie and the CSRF token of the sign-in form it was given, to post sign-ins with."""
    browser, token = _open_sign_in(base_url)
    return str(browser.cookies["ibok_session"]), token


def _open_sign_in(base_url: str) -> tuple[requests.Session, str]:
    """A browser-like session that has opened the sign-in page, and the form's CSRF token."""
    browser = requests.Session()
    browser.headers["User-Agent"] = USER_AGENT
    form = browser.get(f"{base_url}/sign-in", timeout=30)
    token = CSRF_FIELD.search(form.text)
    if token is None:
        raise RuntimeError("no CSRF token on the sign-in page")
    return browser, token.group(1)
