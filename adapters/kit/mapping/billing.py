"""MappingBilling: the billing port over a foreign JSON-over-HTTP API, driven by a mapping file (docs/adapters.md).

The file (ERP option `mapping_file`) is read and checked when the adapter is built, so a mistake stops the start.
Each operation's reply becomes records in the contract's wire names, loaded by `load_reply`: a reply that does not
fit is ErpBadResponse naming the record field, as for every adapter.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Callable, Iterator, Mapping
from urllib.parse import urljoin, urlsplit

from adapters.core.errors import ErpBadResponse, ErpNotFound, ErpNotOffered
from adapters.core.operations import OPERATIONS
from adapters.core.port import BillingPort
from adapters.core.records import InvoiceSummary, Message, Reading
from adapters.core.settings import ErpSettings, SettingsError
from adapters.kit.mapping.fields import FieldError, distinct
from adapters.kit.mapping.loader import MappingFile, load_mapping
from adapters.kit.mapping.operations import Join, OperationMap, Paging
from adapters.kit.mapping.paths import Path, PathMismatch
from adapters.kit.mapping.templates import Request, Template
from adapters.kit.mapping.writes import send_write
from adapters.kit.replies import load_reply
from adapters.kit.rest import RestClient
from adapters.kit.soap import SoapService
from adapters.wire.http import ErpHttp
from adapters.wire.payloads import request_params
from adapters.wire.schemas import REPLIES

# The orders the contract states for lists, by the kind of record listed; the ERP's own order is kept among equals.
ORDERS: Mapping[type, tuple[Callable[[Any], Any], bool]] = {
    InvoiceSummary: (attrgetter("issued_on"), True),
    Reading: (attrgetter("date"), False),
    Message: (attrgetter("sent_at"), True),
}


class Call:
    """One port operation in progress, as hooks see it: the customer, the parameters in wire names, the ERP's
    options, and `get_json` for a request of their own (placeholders filled from the parameters)."""

    def __init__(self, billing: MappingBilling, operation: str, customer_id: str, params: dict[str, Any]) -> None:
        self.billing = billing
        self.operation = operation
        self.customer_id = customer_id
        self.params = params
        self.options = billing.settings.options

    def get(self, request: Request, item: Any = None, extra: tuple[tuple[str, str], ...] = ()) -> Any:
        url = request.url(self.operation, self.billing.rest.base_url, self.params, item)
        if extra:
            url += ("&" if "?" in url else "?") + "&".join(f"{name}={value}" for name, value in extra)
        return self.fetch(url, request.headers)

    def fetch(self, url: str, headers: Mapping[str, str]) -> Any:
        return self.billing.rest.get_json(self.operation, url, headers=headers)

    def pages(self, request: Request, paging: Paging | None, items: Path) -> Iterator[Any]:
        """Every page of a list: one reply, or a next link followed, or page after page of `top` items."""
        if paging is None:
            yield self.get(request)
        elif paging.top is not None:
            yield from _top_skip(paging, request, self, items)
        else:
            yield from _next_links(paging, request, self, self.billing.rest.base_url)

    def get_json(self, path: str, query: Mapping[str, str] | None = None) -> Any:
        """A GET of the hook's own: `path` and `query` are templates like the file's, `{customerId}` etc."""
        mapping = self.billing.mapping
        request = Request("GET", Template(path), tuple((key, Template(text)) for key, text in (query or {}).items()),
                          mapping.headers, odata=True)
        return self.get(request)


class MappingBilling(BillingPort):
    """Offers the operations the file maps; each reply goes through the file's paths and converters."""

    kit_version = "1.0"
    default_mapping: str | None = None  # a subclass shipping its own file names it here

    def __init__(self, settings: ErpSettings, *, http: ErpHttp | None = None) -> None:
        self.settings = settings
        path = settings.options.get("mapping_file") or self.default_mapping
        if not path:
            raise SettingsError("the mapping adapter needs ERP_OPTIONS mapping_file, the path of its mapping file")
        self.mapping: MappingFile = load_mapping(path)
        self.rest = RestClient(settings, http=http)
        # The WSDL is parsed on the first SOAP call, once per process (SoapService).
        self.soap = SoapService(settings, self.mapping.wsdl, http=self.rest.http) if self.mapping.wsdl else None
        # What `flask erp record` hides, in the ERP's own names, as the file declares them.
        self.personal_fields = dict(self.mapping.personal_fields)
        self.secret_fields = tuple(self.mapping.secret_fields)

    @property
    def offered_operations(self) -> frozenset[str]:
        return frozenset(self.mapping.operations)

    def perform(self, operation: str, customer_id: str, *args: Any) -> Any:
        """One deadline (ERP_DEADLINE) for the operation, however many requests its mapping makes."""
        spec = self.mapping.operations.get(operation)
        if spec is None:
            raise ErpNotOffered(operation, f"the mapping {self.mapping.source} does not offer {operation}")
        with self.rest.http.deadline():
            call = Call(self, operation, customer_id, request_params(OPERATIONS[operation], customer_id, args))
            if spec.guard is not None:
                _check_owner(call, spec.guard.owner, spec.guard.at.get(call.get(spec.guard.request)))
            return _ordered(operation, self.load(operation, self._payload(spec, call)), call.params)

    def _payload(self, spec: OperationMap, call: Call) -> Any:
        """The reply in the contract's wire names, after the operation's `after` hook if it has one."""
        payload = self._mapped(spec, call)
        return spec.after(payload, call) if spec.after is not None else payload

    def _mapped(self, spec: OperationMap, call: Call) -> Any:
        operation = spec.name
        if spec.hook is not None and spec.record is None:
            return spec.hook(call)
        if OPERATIONS[operation].file is not None:
            return self._file(spec, call)
        if spec.items is not None:
            return {REPLIES[operation].key: self._items(spec, call)}
        reply = spec.hook(call) if spec.hook is not None else self._single_reply(spec, call)
        node = spec.at.get(reply)
        if not isinstance(node, dict):
            raise ErpBadResponse(operation, "expected an object", field=spec.at.text)
        if spec.owner is not None:
            _check_owner(call, spec.owner, node)
        return _built(operation, spec, node, call)

    def load(self, operation: str, payload: Any) -> Any:
        return load_reply(operation, payload)

    def _soap_reply(self, spec: OperationMap, call: Call) -> Any:
        assert self.soap is not None
        return self.soap.call(call.operation, spec.soap.operation, write=OPERATIONS[call.operation].write,
                              **spec.soap.arguments(call.params))

    def _single_reply(self, spec: OperationMap, call: Call) -> Any:
        if spec.soap is not None:
            return self._soap_reply(spec, call)
        assert spec.request is not None
        if spec.body is None:
            return call.get(spec.request)
        url = spec.request.url(call.operation, self.rest.base_url, call.params)
        return send_write(self.rest.http, self.mapping.writes, call.operation, spec.request, url,
                          self.rest.base_url, spec.body(call.params), call.params.get("idempotencyKey"))

    def _file(self, spec: OperationMap, call: Call) -> dict[str, Any]:
        assert spec.request is not None
        reply_file = OPERATIONS[call.operation].file
        assert reply_file is not None
        url = spec.request.url(call.operation, self.rest.base_url, call.params)
        fallback = reply_file.fallback_name.format_map(call.params)
        return self.rest.get_file(call.operation, url, fallback, reply_file.content_type)

    def _items(self, spec: OperationMap, call: Call) -> list[dict[str, Any]]:
        assert spec.items is not None
        nodes = []
        if spec.soap is not None:
            pages: Any = [self._soap_reply(spec, call)]
        else:
            assert spec.request is not None
            pages = call.pages(spec.request, spec.paging, spec.items)
        for page in pages:
            try:
                nodes.extend(spec.items.each(page))
            except PathMismatch as error:
                raise ErpBadResponse(call.operation, error.message, field=error.where) from None
        if spec.unique is not None:
            nodes = distinct(nodes, spec.unique)
        if spec.join is not None:
            nodes = [_joined(spec.join, node, call) for node in nodes]
        key = str(REPLIES[call.operation].key)
        built = []
        for index, node in enumerate(nodes):
            try:
                built.append(_built(call.operation, spec, node, call))
            except ErpBadResponse as error:
                raise ErpBadResponse(call.operation, error.message, field=f"{key}.{index}.{error.field}") from None
        return built


def _built(operation: str, spec: OperationMap, node: Any, call: Call) -> dict[str, Any]:
    assert spec.record is not None
    try:
        return spec.record(node, call)
    except FieldError as error:
        raise ErpBadResponse(operation, error.message, field=".".join(error.where)) from None


def _check_owner(call: Call, owner: Path, node: Any) -> None:
    """Another customer's object is not found, exactly as one that does not exist."""
    if str(owner.get(node)) != call.customer_id:
        raise ErpNotFound(call.operation, "no such object for this customer")


def _joined(join: Join, item: Any, call: Call) -> Any:
    found = join.at.get(call.get(join.request, item))
    if not isinstance(item, dict) or not isinstance(found, dict):
        raise ErpBadResponse(call.operation, "expected an object", field=join.at.text)
    return {**item, join.name: found} if join.name else {**item, **found}


def _top_skip(paging: Paging, request: Request, call: Call, items: Path | None) -> Any:
    assert paging.top is not None and items is not None
    for page in range(paging.max_pages):
        reply = call.get(request, extra=((paging.top_param, str(paging.top)),
                                         (paging.skip_param, str(page * paging.top))))
        yield reply
        try:
            if len(items.each(reply)) < paging.top:
                return
        except PathMismatch:
            return  # the caller reads the same page again and names the fault
    raise ErpBadResponse(call.operation, f"more than {paging.max_pages} pages", field=paging.top_param)


def _next_links(paging: Paging, request: Request, call: Call, base_url: str) -> Any:
    """Every page a next link leads to (relative to the page it is on)."""
    assert paging.next is not None
    url = request.url(call.operation, base_url, call.params)
    for _ in range(paging.max_pages):
        reply = call.fetch(url, request.headers)
        yield reply
        link = paging.next.get(reply)
        if not link:
            return
        url = _on_erp(call.operation, urljoin(url, str(link)), base_url, paging.next.text)
    raise ErpBadResponse(call.operation, f"more than {paging.max_pages} pages", field=paging.next.text)


def _on_erp(operation: str, link: str, base_url: str, field: str) -> str:
    """A link's path and query, under the ERP's own address: credentials never go to another host, and a gateway
    behind a proxy (or a recording replayed) that writes another host into its links is still followed."""
    found, base = urlsplit(link), urlsplit(base_url)
    if not found.path.startswith(base.path.rstrip("/") + "/"):
        raise ErpBadResponse(operation, "a next link outside the ERP's address", field=field)
    rest = found.path[len(base.path.rstrip("/")):]
    return f"{base_url.rstrip('/')}{rest}?{found.query}" if found.query else f"{base_url.rstrip('/')}{rest}"


def _ordered(operation: str, answer: Any, params: Mapping[str, Any]) -> Any:
    """Lists in the contract's order; meters narrowed to a serial asked for, whatever the ERP's filter did."""
    if isinstance(answer, list) and answer and type(answer[0]) in ORDERS:
        key, newest_first = ORDERS[type(answer[0])]
        return sorted(answer, key=key, reverse=newest_first)
    wanted = params.get("serialContains")
    if wanted and isinstance(answer, list):
        return [meter for meter in answer if str(wanted).lower() in meter.serial.lower()]
    return answer
