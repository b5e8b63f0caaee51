"""`next=` sends a customer back only to a path of this portal, never to another host."""

from __future__ import annotations

import pytest

from gateway.web.security import safe_next
from tests.portal.conftest import sign_in


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/settings/", "/settings/"),
        ("/settings/?tab=1", "/settings/?tab=1"),
        (None, "/"),
        ("", "/"),
        ("https://evil.example/", "/"),
        ("http://localhost/settings/", "/"),
        ("//evil.example/", "/"),
        ("///evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("\\\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("settings", "/"),
        ("/\tevil", "/"),
        ("/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"),
    ],
)
def test_only_own_paths_are_followed(target, expected):
    assert safe_next(target, "/") == expected


def test_sign_in_follows_next_to_its_own_path(client, make_account):
    make_account()
    assert sign_in(client, query_string={"next": "/settings/"}).location == "/settings/"


@pytest.mark.parametrize("target", ["https://evil.example/phish", "//evil.example", "/\\evil.example"])
def test_sign_in_refuses_next_to_another_host(client, make_account, target):
    make_account()
    assert sign_in(client, query_string={"next": target}).location == "/"


def test_language_switch_refuses_next_to_another_host(client):
    response = client.post("/language", data={"language": "en", "next": "https://evil.example/"})
    assert response.location == "/"
