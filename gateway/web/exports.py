"""CSV exports as Polish spreadsheets open them: semicolons, decimal commas, dates as 27.11.2026."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Iterable, Sequence

from flask import Response

from gateway.web.files import safe_filename, send_download

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """Numbers and dates in Polish form; text from the ERP defused so no cell becomes a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    """UTF-8 with a byte-order mark, which Excel needs to read Polish letters right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return send_download(content, safe_filename(filename, "eksport.csv", "text/csv"), "text/csv")
