"""Recorded ERP exchanges: capturing them from a live ERP, and the file format they are kept in.

One JSON file per exchange, numbered in the order the calls were made, so a recording reads like
a transcript and a replay can hand out answers in the same order.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.structures import CaseInsensitiveDict

from adapters.wire.http import ErpHttp, HttpReply

KEPT_REPLY_HEADERS = ("Content-Type", "Content-Disposition")
TEXT_TYPES = ("json", "xml", "text", "html")


@dataclass
class Exchange:
    operation: str
    method: str
    path: str
    request_body: str
    status: int
    headers: dict[str, str]
    text: str | None = None
    base64: str | None = None
    note: str = field(default="")
    # Request fields whose values were credentials: removed here, and ignored when a replay matches.
    redacted: list[str] = field(default_factory=list)

    @property
    def content(self) -> bytes:
        if self.base64 is not None:
            return base64.b64decode(self.base64)
        return (self.text or "").encode("utf-8")

    @property
    def content_type(self) -> str:
        return CaseInsensitiveDict(self.headers).get("Content-Type", "").split(";")[0].strip().lower()


def is_text(content_type: str) -> bool:
    return any(kind in content_type for kind in TEXT_TYPES)


def exchange_from_reply(operation: str, method: str, path: str, body: Any, reply: HttpReply) -> Exchange:
    """Keep only what a replay needs: no cookies, no server banners, no host names."""
    headers = {name: reply.headers[name] for name in KEPT_REPLY_HEADERS if name in reply.headers}
    exchange = Exchange(operation, method, path, _body_text(body), reply.status, headers)
    if is_text(exchange.content_type):
        exchange.text = reply.content.decode("utf-8", errors="replace")
    else:
        exchange.base64 = base64.b64encode(reply.content).decode("ascii")
    return exchange


def _body_text(body: Any) -> str:
    if body is None:
        return ""
    if isinstance(body, bytes):
        return body.decode("utf-8", errors="replace")
    return str(body)


class RecordingHttp(ErpHttp):
    """ErpHttp that also keeps every exchange it made, for `flask erp record`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exchanges: list[Exchange] = []

    def _send_once(self, operation: str, method: str, url: str, *args: Any, **kwargs: Any) -> HttpReply:
        reply = super()._send_once(operation, method, url, *args, **kwargs)
        # The URL as sent, a query passed as `params=` included, so a replay can match it however it comes.
        full = requests.Request(method, url, params=kwargs.get("params")).prepare().url or url
        base = self.settings.url.rstrip("/")
        path = full[len(base):] if full.startswith(base) else full
        body = kwargs.get("data") if kwargs.get("data") is not None else kwargs.get("json")
        if isinstance(body, (dict, list)):
            body = json.dumps(body, sort_keys=True)
        self.exchanges.append(exchange_from_reply(operation, method, path, body, reply))
        return reply


def split_query(path: str) -> tuple[str, list[tuple[str, str]]]:
    """A recorded path's part before the query, and the query's parameters decoded, in their order."""
    parts = urlsplit(path)
    base = path.split("?", 1)[0]
    return base, parse_qsl(parts.query, keep_blank_values=True)


def _file_name(index: int, operation: str) -> str:
    return f"{index:04d}-{re.sub(r'[^a-z_]', '', operation)}.json"


def save_exchanges(exchanges: list[Exchange], folder: Path) -> list[Path]:
    """Replace the folder's recording with these exchanges."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("[0-9][0-9][0-9][0-9]-*.json"):
        old.unlink()
    paths = []
    for index, exchange in enumerate(exchanges, start=1):
        path = folder / _file_name(index, exchange.operation)
        path.write_text(json.dumps(asdict(exchange), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def load_exchanges(folder: Path) -> list[Exchange]:
    """The exchanges of one recording, in the order they were made."""
    paths = sorted(folder.glob("[0-9][0-9][0-9][0-9]-*.json"))
    if not paths:
        raise FileNotFoundError(f"no recorded exchanges in {folder}")
    return [Exchange(**json.loads(path.read_text(encoding="utf-8"))) for path in paths]
