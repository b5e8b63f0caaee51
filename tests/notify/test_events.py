"""What counts as news, on plain records: the lead time before a due date, the portal's overdue rule, the reading
schedule, replies to the moment, and nothing from before the switch or beyond the look-back."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from adapters.core.records import Address, Customer, Premise
from gateway.notify import events
from gateway.notify.events import Horizon
from gateway.notify.schedule import ScheduleError, window_opened_on
from tests.notify.conftest import NOW, TODAY, news

HORIZON = Horizon(TODAY, lookback_days=14, due_days=3)
SINCE_DAY = NOW.date()


def _keys(found: list[events.Event]) -> list[str]:
    return [event.key for event in found if HORIZON.counts(event, NOW, SINCE_DAY)]


def test_a_payment_is_due_soon_from_the_lead_time_before_its_date_to_the_date_itself():
    settlements = news(1)["get_settlements"]
    assert _keys(events.due_soon(settlements, HORIZON)) == ["INV-13:2026-12-12"]
    on_the_day = Horizon(date(2026, 12, 12), 14, 3)
    assert [event.key for event in events.due_soon(settlements, on_the_day)] == ["INV-13:2026-12-12"]
    a_day_late = Horizon(date(2026, 12, 13), 14, 3)
    assert [event.key for event in events.due_soon(settlements, a_day_late)] == []


def test_the_due_reminders_amount_is_what_is_left_to_pay():
    (event,) = events.due_soon(news(1)["get_settlements"], HORIZON)
    assert event.facts == {"number": "FV/00013/12/2026", "amount": Decimal("50.00"), "due_on": date(2026, 12, 12)}


def test_overdue_follows_the_portals_rule_and_dates_from_the_day_after_the_due_date():
    found = events.overdue(news(1)["get_settlements"], HORIZON)
    assert [(event.key, event.day) for event in found] == [("INV-15:2026-12-08", date(2026, 12, 9)),
                                                           ("INV-16:2026-11-20", date(2026, 11, 21))]
    assert _keys(found) == ["INV-15:2026-12-08"]


def test_a_reply_counts_from_the_moment_of_the_switch_not_its_day():
    (new_reply, _old) = events.replies(news(1)["list_messages"])
    assert new_reply.moment == datetime(2026, 12, 3, 9, 0)
    assert HORIZON.counts(new_reply, datetime(2026, 12, 3, 8, 59), date(2026, 12, 3))
    assert not HORIZON.counts(new_reply, datetime(2026, 12, 3, 9, 1), date(2026, 12, 3))


def test_nothing_older_than_the_look_back_counts_even_with_an_old_switch():
    old_switch = datetime(2025, 1, 1)
    invoices = events.new_invoices(news(1)["list_invoices"])
    assert [event.key for event in invoices if HORIZON.counts(event, old_switch, old_switch.date())] == ["INV-11"]
    longer = Horizon(TODAY, lookback_days=40, due_days=3)
    assert [event.key for event in invoices if longer.counts(event, old_switch, old_switch.date())] == [
        "INV-11", "INV-12"]


def test_the_reading_window_names_only_active_meters_once_per_window():
    (event,) = events.reading_window(news(1)["list_meters"], date(2026, 12, 8))
    assert (event.key, event.facts) == ("2026-12-08", {"serials": ["SW-1-ACTIVE"]})
    assert events.reading_window(news(1)["list_meters"][1:], date(2026, 12, 8)) == []


SCHEDULE = {"READING_WINDOW_FIRST_DAY": 25, "READING_WINDOW_LAST_DAY": 31, "READING_WINDOW_MONTHS": []}


@pytest.mark.parametrize(("today", "settings", "opened"), [
    (date(2026, 12, 24), {}, None),
    (date(2026, 12, 25), {}, date(2026, 12, 25)),
    (date(2026, 12, 31), {}, date(2026, 12, 25)),
    (date(2026, 2, 28), {}, date(2026, 2, 25)),
    (date(2026, 11, 26), {"READING_WINDOW_MONTHS": [1, 3, 5, 7, 9, 11]}, date(2026, 11, 25)),
    (date(2026, 12, 26), {"READING_WINDOW_MONTHS": [1, 3, 5, 7, 9, 11]}, None),
    (date(2026, 12, 3), {"READING_WINDOW_FIRST_DAY": 1, "READING_WINDOW_LAST_DAY": 5}, date(2026, 12, 1)),
])
def test_the_reading_window_follows_the_utilitys_schedule(today, settings, opened):
    assert window_opened_on(today, {**SCHEDULE, **settings}) == opened


@pytest.mark.parametrize("settings", [{"READING_WINDOW_FIRST_DAY": 0}, {"READING_WINDOW_LAST_DAY": 32},
                                      {"READING_WINDOW_FIRST_DAY": 28, "READING_WINDOW_LAST_DAY": 20},
                                      {"READING_WINDOW_MONTHS": [13]}])
def test_a_schedule_that_is_no_window_is_refused(settings):
    with pytest.raises(ScheduleError):
        window_opened_on(date(2026, 12, 26), {**SCHEDULE, **settings})


def test_a_lead_time_of_zero_reminds_on_the_due_date_only():
    zero = Horizon(date(2026, 12, 12), 14, 0)
    assert [event.key for event in events.due_soon(news(1)["get_settlements"], zero)] == ["INV-13:2026-12-12"]
    assert events.due_soon(news(1)["get_settlements"], Horizon(date(2026, 12, 11), 14, 0)) == []


def _customer(*premise_ids: str) -> Customer:
    premises = tuple(Premise(premise_id, Address(f"ul. Lipowa {premise_id}", "45-002", "Opole"), None)
                     for premise_id in premise_ids)
    return Customer("K-1", "Wspólnota", Address("ul. Biurowa 1", "45-001", "Opole"), None, None, None, None, premises)


@pytest.mark.parametrize(("premise_ids", "named", "line"), [
    (("P-1", "P-2"), "P-2", "ul. Lipowa P-2, 45-002 Opole"),
    (("P-1",), None, "ul. Lipowa P-1, 45-002 Opole"),
    (("P-1",), "P-9", "ul. Lipowa P-1, 45-002 Opole"),
    (("P-1", "P-2"), None, None),
    ((), None, None),
])
def test_the_mail_names_the_premise_its_invoice_names_or_the_customers_only_one(premise_ids, named, line):
    event = events.Event("new_invoice", "INV-1", TODAY, {"premise_id": named})
    assert events.premise_line(_customer(*premise_ids), event) == line
    assert events.premise_line(None, event) is None
