"""The reading rules on plain records: values as people type them, what may be sent, what needs confirming."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from adapters.core.records import Meter, MeterStatus, Reading, ReadingStatus, ReadingType
from gateway.erp.reading_rules import (
    FLOOR,
    Problem,
    average_daily,
    check_submission,
    counted,
    is_unusual,
    last_reading,
    parse_value,
    usual_ceiling,
)

TODAY = date(2026, 11, 27)
INSTALLED = date(2019, 4, 5)


def meter(status: MeterStatus = MeterStatus.ACTIVE, installed: date = INSTALLED, meter_id: str = "W-1") -> Meter:
    return Meter(meter_id, "SN-1", status, "Jan Kowalski", "P-1", installed, "G1", "DN15", date(2030, 1, 1), installed)


def reading(day: date, value: str | Decimal, status: ReadingStatus = ReadingStatus.ACCEPTED,
            kind: ReadingType = ReadingType.COLLECTOR, meter_id: str = "W-1") -> Reading:
    return Reading(meter_id, day, Decimal(value), None, kind, status)


def monthly(start: date, first: Decimal, per_month: Decimal, count: int) -> list[Reading]:
    return [reading(start + timedelta(days=30 * n), first + per_month * n) for n in range(count)]


HISTORY = monthly(date(2025, 11, 1), Decimal("100.000"), Decimal("9.000"), 13)  # last: 2026-10-27, 208 m³
LAST = HISTORY[-1]


@pytest.mark.parametrize("text, value", [
    ("123,456", Decimal("123.456")), ("123.456", Decimal("123.456")), ("123", Decimal("123.000")),
    ("0,5", Decimal("0.500")), (" 1 234,5 ", Decimal("1234.500")), ("1\u00a0234,56", Decimal("1234.560")),
])
def test_values_are_read_the_way_people_type_them(text, value):
    assert parse_value(text) == value


@pytest.mark.parametrize("text", ["", "abc", "-1", "1,2345", "1,2,3", "1e3", "NaN", "12,", ",5", "1" * 10, "٣", None])
def test_anything_else_is_not_a_value(text):
    assert parse_value(text) is None


def test_a_reading_that_keeps_every_rule_may_be_sent():
    assert check_submission(meter(), HISTORY, TODAY, LAST.value + 1, TODAY) == []


@pytest.mark.parametrize("day, value, problem", [
    (TODAY + timedelta(days=1), LAST.value + 1, Problem.FUTURE_DATE),
    (LAST.date - timedelta(days=1), LAST.value + 1, Problem.BEFORE_LAST),
    (LAST.date, LAST.value + 1, Problem.SAME_DAY),
    (TODAY, LAST.value - Decimal("0.001"), Problem.BELOW_LAST),
])
def test_each_rule_is_named_when_broken(day, value, problem):
    assert problem in check_submission(meter(), HISTORY, day, value, TODAY)


def test_a_reading_before_the_installation_is_refused():
    fresh = meter(installed=date(2026, 11, 1))
    assert check_submission(fresh, [], date(2026, 10, 31), Decimal(1), TODAY) == [Problem.BEFORE_INSTALLATION]


@pytest.mark.parametrize("status", [MeterStatus.REMOVED, MeterStatus.FAULTY])
def test_only_a_meter_in_service_takes_readings(status):
    assert check_submission(meter(status), HISTORY, TODAY, LAST.value + 1, TODAY) == [Problem.METER_NOT_ACTIVE]


def test_a_replacement_meter_counts_from_its_own_readings_only():
    """The old meter stood at 2085 m³; the new one starts near zero and may well read 8 m³."""
    old = [reading(date(2025, 3, 14), "2085.906", meter_id="W-OLD")]
    new = [reading(date(2025, 3, 14), "0.012", meter_id="W-1")]
    assert check_submission(meter(installed=date(2025, 3, 14)), old + new, TODAY, Decimal("8"), TODAY) == []


def test_a_rejected_reading_neither_sets_the_last_value_nor_takes_its_day():
    wrong = reading(TODAY - timedelta(days=3), "999.000", ReadingStatus.REJECTED, ReadingType.CUSTOMER)
    assert last_reading([*HISTORY, wrong]) == LAST
    assert check_submission(meter(), [*HISTORY, wrong], wrong.date, LAST.value + 1, TODAY) == []


def test_the_same_value_sent_again_the_same_day_is_left_to_the_erps_idempotency():
    """A double click: the first went through, the second must reach the ERP to get the first's receipt."""
    sent = reading(TODAY, LAST.value + 1, ReadingStatus.PENDING, ReadingType.CUSTOMER)
    assert check_submission(meter(), [*HISTORY, sent], TODAY, sent.value, TODAY) == []
    assert Problem.SAME_DAY in check_submission(meter(), [*HISTORY, sent], TODAY, sent.value + 1, TODAY)


def test_the_average_covers_about_a_year():
    assert average_daily(HISTORY) == Decimal("0.3")
    assert average_daily(HISTORY[:1]) is None


def test_a_value_far_above_the_usual_consumption_needs_confirming():
    days = (TODAY - LAST.date).days
    ceiling = LAST.value + 3 * Decimal("0.3") * days + FLOOR
    assert usual_ceiling(HISTORY, TODAY) == ceiling
    assert not is_unusual(HISTORY, TODAY, ceiling)
    assert is_unusual(HISTORY, TODAY, ceiling + Decimal("0.001"))


def test_without_history_nothing_is_called_unusual():
    assert usual_ceiling([], TODAY) is None
    assert not is_unusual([], TODAY, Decimal("99999"))


# --- properties ---------------------------------------------------------------------------------------

values = st.decimals(min_value=0, max_value=Decimal("999999999.999"), places=3, allow_nan=False)


@st.composite
def histories(draw):
    """A meter's counted readings: increasing dates and values, maybe with rejected ones in between."""
    start = draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 1, 1)))
    steps = draw(st.lists(st.tuples(st.integers(1, 90), st.decimals(0, 50, places=3)), min_size=1, max_size=30))
    day, value, result = start, Decimal(draw(st.decimals(0, 5000, places=3))), []
    for gap, use in steps:
        result.append(reading(day, value))
        day, value = day + timedelta(days=gap), value + use
    return result


@given(values)
def test_a_formatted_value_reads_back_as_itself(value):
    whole, _, fraction = f"{value:.3f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    assert parse_value(f"{grouped},{fraction}") == value
    assert parse_value(f"{value:.3f}") == value


@given(st.text(max_size=30))
def test_parsing_never_fails_and_yields_a_sane_value(text):
    value = parse_value(text)
    assert value is None or (value >= 0 and value == round(value, 3))


@given(histories(), st.integers(0, 400), st.decimals(0, 10_000, places=3))
def test_a_later_day_and_a_value_not_below_the_last_break_no_rule(history, days_after, extra):
    last = history[-1]
    day = last.date + timedelta(days=days_after + 1)
    assert check_submission(meter(installed=history[0].date), history, day, last.value + extra, day) == []


@given(histories(), st.decimals(Decimal("0.001"), 1000, places=3))
def test_a_value_below_the_last_is_always_refused(history, less):
    last = history[-1]
    assume(last.value - less >= 0)
    problems = check_submission(meter(installed=history[0].date), history, TODAY, last.value - less, TODAY)
    assert Problem.BELOW_LAST in problems


@given(histories(), st.integers(1, 1000))
def test_a_future_date_is_always_refused(history, ahead):
    problems = check_submission(meter(installed=history[0].date), history, TODAY + timedelta(days=ahead),
                                history[-1].value, TODAY)
    assert Problem.FUTURE_DATE in problems


@given(histories(), st.integers(1, 400), values, st.decimals(0, 1000, places=3))
def test_unusual_is_monotonic_and_never_below_the_floor(history, days_after, value, more):
    day = history[-1].date + timedelta(days=days_after)
    if is_unusual(history, day, value):
        assert is_unusual(history, day, value + more)
    assert not is_unusual(history, day, history[-1].value + FLOOR)


@given(histories(), st.lists(st.integers(0, 4000), max_size=5), st.integers(1, 400), values)
def test_rejected_readings_change_nothing(history, offsets, days_after, value):
    noise = [reading(history[0].date + timedelta(days=n), "1.000", ReadingStatus.REJECTED) for n in offsets]
    day = history[-1].date + timedelta(days=days_after)
    m = meter(installed=history[0].date)
    assert counted(history + noise) == history
    assert check_submission(m, history + noise, day, value, day) == check_submission(m, history, day, value, day)
    assert is_unusual(history + noise, day, value) == is_unusual(history, day, value)
