"""The architecture's one-way rule and the network guard, checked rather than hoped for."""

import ast
import socket
from pathlib import Path

import pytest

from tests.conftest import NetworkForbidden

ADAPTERS = Path(__file__).resolve().parent.parent / "adapters"
FORBIDDEN_ROOTS = {"flask", "flask_login", "flask_wtf", "flask_babel", "werkzeug", "gateway", "fixtures"}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", sorted(ADAPTERS.rglob("*.py")), ids=lambda p: p.name)
def test_adapters_import_neither_flask_nor_gateway(path):
    assert not (_imported_roots(path) & FORBIDDEN_ROOTS)


def test_network_beyond_loopback_is_refused():
    with pytest.raises(NetworkForbidden):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)


def test_name_lookups_beyond_loopback_are_refused():
    with pytest.raises(NetworkForbidden):
        socket.getaddrinfo("erp.example.com", 443)


def test_loopback_is_allowed():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    with server, socket.create_connection(server.getsockname(), timeout=1):
        pass
