"""The anchor of figure 1: a minimal Flask app rendering the invoice list's HTML from a dict.

No session, database, translations, CSRF, ERP port or cache: one Jinja template over the same 20 rows
the portal shows, served by the same gunicorn configuration, so the ratio is what the portal's own
machinery costs. Started as `gunicorn -c config/gunicorn.conf.py "bench.anchor:create_app()"` with
BENCH_ANCHOR_DATA naming the JSON file of rows the bench wrote (the REST reply of list_invoices).
"""

from __future__ import annotations

import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Flask, render_template

HERE = Path(__file__).resolve().parent
PER_PAGE = 20
STATUS = {"paid": "zapłacona", "unpaid": "niezapłacona", "partly_paid": "częściowo zapłacona"}


def polish_date(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def money(value: Decimal) -> str:
    whole, _, fraction = f"{value:,.2f}".partition(".")
    return f"{whole.replace(',', ' ')},{fraction} zł"


def _rows(wire: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    rows = []
    for invoice in wire[:PER_PAGE]:
        due = date.fromisoformat(invoice["dueDate"])
        rows.append({
            "id": invoice["invoiceId"], "number": invoice["invoiceNumber"],
            "issued": date.fromisoformat(invoice["issueDate"]), "due": due,
            "period_from": date.fromisoformat(invoice["periodFrom"]),
            "period_to": date.fromisoformat(invoice["periodTo"]),
            "gross": Decimal(invoice["grossAmount"]), "status": STATUS[invoice["status"]],
            "overdue": invoice["status"] != "paid" and due < today,
        })
    return rows


def create_app(data_path: str | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(HERE / "templates"))
    path = Path(data_path or os.environ["BENCH_ANCHOR_DATA"])
    wire = json.loads(path.read_text(encoding="utf-8"))["invoices"]
    years = sorted({date.fromisoformat(invoice["issueDate"]).year for invoice in wire}, reverse=True)
    page: dict[str, Any] = {"total": len(wire), "pages": -(-len(wire) // PER_PAGE), "years": years}
    rows = _rows(wire, date.today())
    app.add_template_filter(polish_date, "date")
    app.add_template_filter(money, "money")

    @app.get("/invoices/")
    def invoices() -> str:
        return render_template("anchor_invoices.html", page=page, rows=rows)

    return app
