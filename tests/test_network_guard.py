"""The network guard, checked rather than hoped for (the import rules are import-linter contracts in setup.cfg)."""

import socket

import pytest

from tests.conftest import NetworkForbidden


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
