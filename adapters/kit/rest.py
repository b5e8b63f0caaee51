"""RestClient: a foreign ERP's REST API through ErpHttp, each reply checked (status, type, JSON) before use."""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import quote, urlencode

from adapters.core.settings import ErpSettings
from adapters.rest.replies import JSON_TYPE, file_payload, json_payload
from adapters.wire.http import ErpHttp


class RestClient:
    """Paths are joined to `settings.url`; each value put into a path is quoted whole, and a query is written
    into the URL itself, so recordings and replays see it as the ERP does."""

    def __init__(self, settings: ErpSettings, *, http: ErpHttp | None = None) -> None:
        self.base_url = settings.url.rstrip("/")
        self.http = http or ErpHttp(settings)

    def url(self, path: str, *values: object, query: Mapping[str, object] | None = None) -> str:
        """`path` with each `{}` filled by one value, quoted whole; `query` leaves out empty values."""
        filled = path.format(*(quote(str(value), safe="") for value in values))
        pairs = {name: value for name, value in (query or {}).items() if value not in (None, "")}
        return f"{self.base_url}{filled}?{urlencode(pairs)}" if pairs else f"{self.base_url}{filled}"

    def get_json(self, operation: str, url: str, *, headers: Mapping[str, str] | None = None) -> Any:
        """A read's JSON (numbers with a fraction as Decimal); any status but 2xx is its typed error."""
        reply = self.http.send(operation, "GET", url, idempotent=True, headers={"Accept": JSON_TYPE, **(headers or {})})
        return json_payload(operation, reply)

    def send_json(self, operation: str, method: str, url: str, body: Any, *,
                  idempotency_key: str | None = None) -> Any:
        """A write: never retried; the idempotency key, when the ERP takes one, makes a repeat harmless."""
        headers = {"Accept": JSON_TYPE, **({"Idempotency-Key": idempotency_key} if idempotency_key else {})}
        reply = self.http.send(operation, method, url, idempotent=False, json=body, headers=headers)
        return json_payload(operation, reply)

    def get_file(self, operation: str, url: str, fallback_name: str, content_type: str | None = None
                 ) -> dict[str, Any]:
        """A file as the dict `load_reply` takes for a file operation: a safe name, the type, the bytes."""
        reply = self.http.send(operation, "GET", url, idempotent=True, headers={"Accept": content_type or "*/*"})
        return file_payload(operation, reply, fallback_name, content_type)
