"""The first sign-in: terms and a new password before any other page; a new terms version asks again."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gateway.db.database import db
from gateway.db.models import Account, AuditEntry, ConsentRecord
from tests.portal.conftest import sign_in

NEW = "Moje-nowe-haslo-do-IBOK"
ACCEPT_BOTH = {"accept_regulamin_ibok": "y", "accept_regulamin_e_faktury": "y"}


@pytest.fixture
def newcomer(client, make_account):
    """Signed in with a one-time password, nothing accepted yet."""
    make_account(login="nowy", customer_id="K-1003", one_time=True, terms=False, email="piotr.nowy@example.com")
    response = sign_in(client, login="nowy")
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("path", ["/", "/settings/"])
def test_every_page_leads_to_the_first_sign_in_until_done(newcomer, path):
    response = newcomer.get(path)
    assert response.status_code == 302
    assert response.location == "/welcome"


def test_first_sign_in_page_shows_both_terms_and_asks_for_a_password(newcomer):
    page = newcomer.get("/welcome").get_data(as_text=True)
    assert "Regulamin korzystania z IBOK" in page and "Regulamin korzystania z e-faktury" in page
    assert "wersja 2026-01" in page
    assert 'name="new_password"' in page
    assert 'href="/settings/"' not in page


def test_terms_must_be_accepted(newcomer):
    response = newcomer.post("/welcome", data={"accept_regulamin_ibok": "y", "new_password": NEW,
                                               "confirm_password": NEW})
    assert response.status_code == 200
    assert "Aby kontynuować, prosimy zaakceptować regulamin." in response.get_data(as_text=True)
    assert newcomer.get("/").location == "/welcome"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-one", "co najmniej 12 znaków"),
        ("qwerty123456", "należy do najpopularniejszych"),
        ("Strzelce-2026!", "łatwo odgadnąć"),
        ("Nowy-2026-2026!", "łatwo odgadnąć"),
    ],
)
def test_weak_new_passwords_are_refused(newcomer, password, message):
    response = newcomer.post("/welcome", data={**ACCEPT_BOTH, "new_password": password, "confirm_password": password})
    assert message in response.get_data(as_text=True)
    assert newcomer.get("/").location == "/welcome"


def test_repeated_password_must_match(newcomer):
    response = newcomer.post("/welcome", data={**ACCEPT_BOTH, "new_password": NEW, "confirm_password": NEW + "x"})
    assert "Hasła nie są takie same." in response.get_data(as_text=True)


def test_completing_it_records_the_consents_and_opens_the_portal(app, newcomer):
    response = newcomer.post("/welcome", data={**ACCEPT_BOTH, "new_password": NEW, "confirm_password": NEW},
                             environ_base={"REMOTE_ADDR": "198.51.100.4"})
    assert response.status_code == 302 and response.location == "/"
    assert "Piotr Nowy" in newcomer.get("/").get_data(as_text=True)
    with app.app_context():
        account = db().scalars(select(Account)).one()
        assert not account.password_is_one_time
        assert (account.terms_ibok_version, account.terms_einvoice_version) == ("2026-01", "2026-01")
        consents = db().scalars(select(ConsentRecord)).all()
        assert {(c.document, c.version, c.granted, c.client_address) for c in consents} == {
            ("regulamin-ibok", "2026-01", True, "198.51.100.4"),
            ("regulamin-e-faktury", "2026-01", True, "198.51.100.4"),
        }
        actions = [entry.action for entry in db().scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert actions[-2:] == ["terms.accepted", "password.changed"]


def test_the_one_time_password_stops_working_after_it(app, newcomer):
    newcomer.post("/welcome", data={**ACCEPT_BOTH, "new_password": NEW, "confirm_password": NEW})
    newcomer.post("/sign-out")
    assert sign_in(newcomer, login="nowy").status_code == 200
    assert sign_in(newcomer, login="nowy", password=NEW).location == "/"


def test_a_new_terms_version_asks_again_without_a_new_password(app, signed_in):
    app.config["TERMS_IBOK_VERSION"] = "2026-02"
    assert signed_in.get("/").location == "/welcome"
    page = signed_in.get("/welcome").get_data(as_text=True)
    assert "Regulamin został zmieniony" in page
    assert "accept_regulamin_ibok" in page and "accept_regulamin_e_faktury" not in page
    assert 'name="new_password"' not in page
    assert signed_in.post("/welcome", data={"accept_regulamin_ibok": "y"}).location == "/"
    assert signed_in.get("/").status_code == 200
    with app.app_context():
        assert db().scalars(select(Account)).one().terms_ibok_version == "2026-02"


def test_terms_can_be_read_without_signing_in(client):
    page = client.get("/terms/regulamin-e-faktury").get_data(as_text=True)
    assert "REGULAMIN KORZYSTANIA Z E-FAKTURY" in page
    assert client.get("/terms/nothing").status_code == 404
