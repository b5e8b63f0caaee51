"""The `cache` tag: a part of a page rendered once per ERP answer, never shown to another customer; the
`layoutcache` tag: a part of the layout rendered once for everyone."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

import pytest
from flask_babel import force_locale
from flask_login import login_user

from gateway.web.sessions import load_account

LAYOUT_SOURCE = '{% layoutcache "part", name %}<p>{{ name }} {{ count() }}</p>{% endlayoutcache %}'
SOURCE = ('{% cache "rows", items %}{% for item in items %}<td>{{ item.name }} {{ count() }}</td>{% endfor %}'
          '{% endcache %}')


@dataclass(frozen=True)
class Row:
    name: str
    amount: Decimal


class Counter:
    """Counts renderings of the block."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


@pytest.fixture
def accounts(app, make_account):
    """Two signed-in customers' ids as their session cookies name them."""
    return {login: f"{make_account(login=login, customer_id=customer)}:1"
            for login, customer in (("kowalski", "K-1001"), ("nowak", "K-1002"))}


def render(app, user_id: str | None, items: list, count: Counter, base_url: str = "http://localhost/",
           language: str = "pl") -> str:
    with app.test_request_context("/", base_url=base_url), force_locale(language):
        if user_id is not None:
            login_user(load_account(user_id))
        return app.jinja_env.for_page().from_string(SOURCE).render(items=items, count=count)


def render_layout(app, name: str, count: Counter, user_id: str | None = None,
                  base_url: str = "http://localhost/", language: str = "pl") -> str:
    with app.test_request_context("/", base_url=base_url), force_locale(language):
        if user_id is not None:
            login_user(load_account(user_id))
        return app.jinja_env.for_page().from_string(LAYOUT_SOURCE).render(name=name, count=count)


def test_the_same_records_are_rendered_once_even_in_a_new_list(app, accounts):
    answer, count = [Row("<F/1>", Decimal("1.00")), Row("F/2", Decimal("2.00"))], Counter()
    first = render(app, accounts["kowalski"], answer, count)
    again = render(app, accounts["kowalski"], list(answer), count)
    assert first == again == "<td>&lt;F/1&gt; 1</td><td>F/2 2</td>"
    assert count.calls == 2


def test_a_new_answer_with_equal_values_is_rendered_again(app, accounts):
    count = Counter()
    render(app, accounts["kowalski"], [Row("F/1", Decimal("1.00"))], count)
    assert render(app, accounts["kowalski"], [Row("F/1", Decimal("1.00"))], count) == "<td>F/1 2</td>"


def test_another_customer_never_gets_the_kept_rows(app, accounts):
    answer, count = [Row("F/1", Decimal("1.00"))], Counter()
    assert render(app, accounts["kowalski"], answer, count) == "<td>F/1 1</td>"
    assert render(app, accounts["nowak"], answer, count) == "<td>F/1 2</td>"


def test_each_language_and_mount_point_has_its_own_rows(app, accounts):
    answer, count = [Row("F/1", Decimal("1.00"))], Counter()
    render(app, accounts["kowalski"], answer, count)
    assert render(app, accounts["kowalski"], answer, count, language="en") == "<td>F/1 2</td>"
    assert render(app, accounts["kowalski"], answer, count, "http://portal.example/ibok/") == "<td>F/1 3</td>"


def test_nothing_is_kept_for_a_visitor(app):
    answer, count = [Row("F/1", Decimal("1.00"))], Counter()
    render(app, None, answer, count)
    assert render(app, None, answer, count) == "<td>F/1 2</td>"


def test_the_invoice_list_follows_the_erps_answer(signed_in, billing, monkeypatch):
    """The same answer gives the same page; a new answer (one invoice paid off and its amount corrected) shows."""
    answer = billing.inner.list_invoices("K-1001")
    monkeypatch.setattr(billing.inner, "list_invoices", lambda customer_id: answer)
    first = signed_in.get("/invoices/").get_data(as_text=True)
    assert signed_in.get("/invoices/").get_data(as_text=True) == first
    newest = max(answer, key=lambda invoice: (invoice.issued_on, invoice.id))
    changed = dataclasses.replace(newest, gross=Decimal("98765.43"))
    answer = [changed if invoice is newest else invoice for invoice in answer]
    page = signed_in.get("/invoices/").get_data(as_text=True)
    assert "98 765,43 zł" in page and "98 765,43 zł" not in first


def test_a_layout_part_is_rendered_once_for_visitors_and_customers_alike(app, accounts):
    count = Counter()
    assert render_layout(app, "menu", count) == "<p>menu 1</p>"
    assert render_layout(app, "menu", count, accounts["kowalski"]) == "<p>menu 1</p>"
    assert render_layout(app, "menu", count, accounts["nowak"]) == "<p>menu 1</p>"
    assert count.calls == 1


def test_each_value_language_and_mount_point_has_its_own_layout_part(app):
    count = Counter()
    render_layout(app, "menu", count)
    assert render_layout(app, "footer", count) == "<p>footer 2</p>"
    assert render_layout(app, "menu", count, language="en") == "<p>menu 3</p>"
    assert render_layout(app, "menu", count, base_url="http://portal.example/ibok/") == "<p>menu 4</p>"


def test_the_kept_menu_marks_each_page_as_the_current_one(signed_in):
    """The menu is kept per page: the invoice list's marks Faktury, the start page's Dane Klienta."""
    invoices = signed_in.get("/invoices/").get_data(as_text=True)
    start = signed_in.get("/").get_data(as_text=True)
    assert '<li><a href="/invoices/" aria-current="page">Faktury</a></li>' in invoices
    assert '<li><a href="/" aria-current="page">Dane Klienta</a></li>' not in invoices
    assert '<li><a href="/" aria-current="page">Dane Klienta</a></li>' in start
    assert '<li><a href="/invoices/">Faktury</a></li>' in start
    menu = signed_in.get("/invoices/").get_data(as_text=True).split('<nav class="wrap site-nav"')[1].split("</nav>")[0]
    assert menu.count('aria-current="page"') == 1
