"""Attacks on sessions and forms: a POST without a CSRF token or with another session's, a planted session,
a copied cookie replayed after sign-out, a password change or a reset, a forged cookie, and `next=`
pointing to another site. Each is refused with a Polish page or a redirect to this portal, never a 500,
and the refusal is logged under the request's correlation id."""

from __future__ import annotations

import logging
import re
import uuid
from urllib.parse import urljoin, urlsplit

import pytest
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import func, select

from gateway.app import create_app
from gateway.cli.db import upgrade_database
from gateway.db.database import db
from gateway.db.models import AuditEntry
from gateway.outbox.model import OutboxItem
from tests.hostile.checks import assert_safe, timed
from tests.matching import search
from tests.portal_fixtures import PASSWORD, sign_in

COOKIE = "ibok_session"
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
NEW_PASSWORD = "Another-long-phrase-77"
# A valid body for every POST route, so that only the token decides.
FORMS = {
    "/language": {"language": "en", "next": "/"},
    "/messages/new": {"kind": "complaint", "subject": "Temat", "body": "Treść", "idempotency_key": str(uuid.uuid4())},
    "/password-reset": {"login_or_email": "kowalski"},
    "/readings/W-1001-2": {"reading_date": "2026-11-20", "value": "220,5", "idempotency_key": str(uuid.uuid4())},
    "/readings/W-1001-2/sent/1/withdraw": {},
    "/settings/e-invoice": {"enable": "1", "idempotency_key": str(uuid.uuid4())},
    "/settings/password": {"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                           "confirm_password": NEW_PASSWORD},
    "/settings/reminders": {"new_invoice": "y"},
    "/settings/sms-reminders": {"new_invoice": "y"},
    "/sign-in": {"login": "kowalski", "password": PASSWORD},
    "/sign-out": {},
    "/welcome": {"accept_regulamin_ibok": "y", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
    "/payments/start": {"idempotency_key": str(uuid.uuid4()), "kind": "invoices", "amount": "166.01",
                        "invoice": "INV-202611-00116"},
    f"/payments/{'0' * 32}/cancel": {},
    "/customer": {"customer": "K-1001"},
}
# Posted by the payment operator, not from a page: no token; its signature is checked (tests/hostile/test_payments.py).
CSRF_EXEMPT = {"/payments/notify"}


@pytest.fixture
def csrf_app(config, billing, mailbox):
    app = create_app({**config, "WTF_CSRF_ENABLED": True}, billing=billing)
    upgrade_database(app)
    return app


def token_of(client, path: str = "/sign-in") -> str:
    match = TOKEN.search(client.get(path).get_data(as_text=True))
    assert match, f"no token on {path}"
    return match.group(1)


def csrf_signed_in(app, login: str = "kowalski"):
    client = app.test_client()
    response = client.post("/sign-in", data={"login": login, "password": PASSWORD, "csrf_token": token_of(client)})
    assert response.status_code == 302
    return client


# A reminder's unsubscribe link (RFC 8058 one-click: the mail client's POST carries no cookie and no form token);
# its signed token in the path is the permission, and a forged one is a 404 (tests/notify/test_unsubscribe.py).
NO_SESSION_POSTS = {"notifications.unsubscribe"}


def post_routes(app) -> list[str]:
    """Every POST route, with one of kowalski's own ids where it takes one (the reset link's own token too)."""
    paths = []
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and rule.endpoint not in NO_SESSION_POSTS:
            values = {"meter_id": "W-1001-2", "token": "not-a-valid-token", "item_id": "1", "session_id": "0" * 32}
            paths.append(rule.build({arg: values[arg] for arg in rule.arguments})[1])
    return sorted(paths)


def nothing_changed(app, billing) -> None:
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(OutboxItem)) == 0
        changes = [e.action for e in db().scalars(select(AuditEntry)) if e.action.startswith(("password", "consent"))]
    assert not changes and not [call for call in billing.calls if call[0].startswith(("submit", "send", "set"))]


def test_every_post_route_has_a_form_here(csrf_app):
    known = set(FORMS) | {"/password-reset/not-a-valid-token"} | CSRF_EXEMPT
    assert set(post_routes(csrf_app)) <= known, f"add a form for {set(post_routes(csrf_app)) - known}"


@pytest.mark.parametrize("token_from", ["nowhere", "another session"])
def test_a_post_without_this_sessions_token_is_refused_everywhere(csrf_app, make_account, billing, logs, token_from):
    make_account()
    make_account(login="nowak", customer_id="K-1002", email="nowak@example.com")
    client = csrf_signed_in(csrf_app)
    foreign = token_of(csrf_signed_in(csrf_app, "nowak"), "/settings/")
    for path in set(post_routes(csrf_app)) - CSRF_EXEMPT:
        data = dict(FORMS.get(path, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}))
        if token_from == "another session":
            data["csrf_token"] = foreign
        result = timed(client.post, path, data=data)
        assert_safe(result, logs, statuses=(400,), log_level=logging.WARNING)
        assert "Formularz wygasł" in result.page, path
        reference = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}", result.page)
        assert reference, "the page gives no reference"
        assert reference.group() in "\n".join(line.getMessage() for line in logs.for_request(result.response)), (
            "the reference does not lead to the request's log lines")
    nothing_changed(csrf_app, billing)
    assert client.get("/").status_code == 200, "the refused posts signed the customer out"


def test_a_planted_session_is_thrown_away_at_sign_in(app, client, make_account, logs):
    """Session fixation: the attacker hands the victim a cookie, then waits for the victim to sign in."""
    make_account()
    attacker = app.test_client()
    attacker.get("/sign-in")
    with attacker.session_transaction() as planted:
        planted["_user_id"] = "1:1"
        planted["planted"] = "by the attacker"
    fixed = attacker.get_cookie(COOKIE).value
    client.set_cookie(COOKIE, fixed)
    assert sign_in(client).status_code == 302
    assert client.get_cookie(COOKIE).value != fixed
    with client.session_transaction() as session:
        assert "planted" not in session and session["sid"]
    result = timed(attacker.get, "/")
    assert_safe(result, logs, statuses=(302,))
    assert result.response.location.startswith("/sign-in")


def copied_cookie_is_dead(app, copied: str, logs) -> None:
    other = app.test_client()
    other.set_cookie(COOKIE, copied)
    for path in ("/", "/invoices/", "/settings/"):
        result = timed(other.get, path)
        assert_safe(result, logs, statuses=(302,))
        assert result.response.location.startswith("/sign-in")
    assert other.post("/settings/e-invoice", data=FORMS["/settings/e-invoice"]).status_code == 302


def test_a_copied_cookie_is_dead_after_sign_out(app, signed_in, logs, billing):
    copied = signed_in.get_cookie(COOKIE).value
    signed_in.post("/sign-out")
    copied_cookie_is_dead(app, copied, logs)
    nothing_changed(app, billing)


def test_a_copied_cookie_is_dead_after_a_password_change(app, signed_in, logs):
    copied = signed_in.get_cookie(COOKIE).value
    assert signed_in.post("/settings/password", data=FORMS["/settings/password"]).status_code == 302
    copied_cookie_is_dead(app, copied, logs)
    assert signed_in.get("/").status_code == 200


def test_a_copied_cookie_is_dead_after_a_password_reset(app, signed_in, logs, mailbox):
    copied = signed_in.get_cookie(COOKIE).value
    app.test_client().post("/password-reset", data={"login_or_email": "kowalski"}, follow_redirects=True)
    link = search(r"http://portal\.test(/password-reset/\S+)", mailbox.received[-1].get_content()).group(1)
    assert app.test_client().post(link, data={"new_password": NEW_PASSWORD,
                                              "confirm_password": NEW_PASSWORD}).status_code == 302
    copied_cookie_is_dead(app, copied, logs)


@pytest.mark.parametrize("forgery", ["another key", "tampered", "garbage", "huge"])
def test_a_forged_session_cookie_is_anonymous(app, make_account, logs, forgery):
    make_account()
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert serializer is not None
    valid = serializer.dumps({"_user_id": "1:1", "auth_at": 2**40, "seen_at": 2**40, "sid": "x"})
    app.secret_key, original = "a-key-the-attacker-chose-himself", app.secret_key
    attackers = SecureCookieSessionInterface().get_signing_serializer(app)
    assert attackers is not None
    other_key = attackers.dumps({"_user_id": "1:1"})
    app.secret_key = original
    cookie = {"another key": other_key, "tampered": valid[:-3] + "AAA", "garbage": "%00\x7f'\"<>",
              "huge": "A" * 3900}[forgery]
    client = app.test_client()
    client.set_cookie(COOKIE, cookie)
    result = timed(client.get, "/settings/")
    assert_safe(result, logs, statuses=(302,))
    assert result.response.location.startswith("/sign-in")


ELSEWHERE = ["//evil.example", "https://evil.example/", "/\\evil.example", "\\\\evil.example", "javascript:alert(1)",
             "///evil.example", "/%5Cevil.example", "%2F%2Fevil.example", "http:evil.example", " //evil.example",
             "/\t/evil.example", "//evil.example%00", "data:text/html,<script>alert(1)</script>",
             "https:/evil.example", "/.//evil.example"]


def assert_stays_here(result, logs) -> None:
    assert_safe(result, logs, statuses=(302,))
    location = result.response.location
    assert location.startswith("/") and "\\" not in location  # browsers read a backslash as a slash
    assert urlsplit(urljoin("http://portal.test/page", location)).netloc == "portal.test"


@pytest.mark.parametrize("target", ELSEWHERE)
def test_next_after_sign_in_never_leaves_the_portal(client, make_account, logs, target):
    make_account()
    assert_stays_here(timed(sign_in, client, query_string={"next": target}), logs)


@pytest.mark.parametrize("target", ELSEWHERE)
def test_next_after_the_language_switch_never_leaves_the_portal(client, logs, target):
    assert_stays_here(timed(client.post, "/language", data={"language": "en", "next": target}), logs)


@pytest.mark.parametrize("target", ELSEWHERE)
def test_a_signed_in_visit_to_sign_in_with_next_never_leaves_the_portal(signed_in, logs, target):
    assert_stays_here(timed(signed_in.get, "/sign-in", query_string={"next": target}), logs)


def test_log_lines_carry_no_reset_token_and_cannot_be_forged(app, client, logs):
    """The request line names the route, not the path: no secret from a link, no line break from an attacker."""
    token = "eyJhIjoxfQ.secret-part-of-a-reset-link"
    for path in (f"/password-reset/{token}", "/no-such-page%0d%0a2026-01-01 INFO forged line"):
        result = timed(client.get, path)
        assert_safe(result, logs, statuses=(400, 404), log_level=logging.WARNING)
    text = logs.text()
    assert "secret-part" not in text and "forged line" not in text
    assert all("\n" not in record.getMessage() for record in logs.caplog.records)
