"""/healthz and /readyz for the utility's monitoring, and the 503 page when the ERP has nothing to give."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from adapters.core.errors import ErpUnavailable
from gateway.erp.billing import build_billing


def test_healthz_says_the_process_answers(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_reports_the_database_and_breakers_without_secrets(app, client):
    app.extensions["billing"] = build_billing({**app.config, "ERP_ADAPTER": "fake"})
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["database"] == "ok"
    assert response.json["erp_breakers"]["invoices"] == "closed"
    body = response.get_data(as_text=True)
    assert app.config["SECRET_KEY"] not in body and "sqlite" not in body and "postgresql" not in body


def test_readyz_is_not_ready_without_a_database(app, client, tmp_path):
    from gateway.db.database import init_database

    url = make_url(app.config["DATABASE_URL"])
    # The same backend, a database that is not there: a file in a missing folder, a name the server lacks.
    missing = str(tmp_path / "missing" / "dir" / "db.sqlite") if url.get_backend_name() == "sqlite" else "missing"
    app.config["DATABASE_URL"] = url.set(database=missing).render_as_string(hide_password=False)
    init_database(app)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json["database"] == "unavailable"


def test_a_page_with_nothing_to_show_is_a_polish_503_with_retry_after(app):
    def erp_down():
        raise ErpUnavailable("list_invoices", "timed out talking to erp.internal.example")

    app.add_url_rule("/erp-down", view_func=erp_down)
    response = app.test_client().get("/erp-down")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert "System rozliczeń jest w tej chwili niedostępny" in page
    assert "erp.internal.example" not in page and "Traceback" not in page
