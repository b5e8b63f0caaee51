"""The words the readings pages use: labels of types and statuses, and each broken rule in a sentence."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from adapters.core.records import Meter, Reading, ReadingStatus, ReadingType
from gateway.erp.reading_rules import Problem
from gateway.web.i18n import format_date, format_decimal

READING_TYPES = {
    ReadingType.CUSTOMER: _l("by the customer"),
    ReadingType.COLLECTOR: _l("by the collector"),
    ReadingType.REMOTE: _l("remote"),
    ReadingType.ESTIMATED: _l("estimated"),
}
READING_STATUSES = {
    ReadingStatus.ACCEPTED: _l("accepted"),
    ReadingStatus.PENDING: _l("waiting for verification"),
    ReadingStatus.REJECTED: _l("rejected"),
}
# A waiting reading a delivery attempt may have brought to the ERP: it goes as it is, never withdrawn or changed.
SENDING_NO_WITHDRAWAL = _l("This reading is being passed on to the billing system and may already be there, so it "
                           "can no longer be withdrawn here. It will be passed on as it is; once it shows as taken, "
                           "please contact the customer office to correct it.")
SENDING_NO_CHANGE = _l("This reading is being passed on to the billing system and may already be there, so it can no "
                       "longer be changed here. It will be passed on as it is; once it shows as taken, please "
                       "contact the customer office to correct it.")
# Which form field each broken rule is shown next to; None: above the form.
PROBLEM_FIELDS = {
    Problem.METER_NOT_ACTIVE: None,
    Problem.FUTURE_DATE: "reading_date",
    Problem.BEFORE_INSTALLATION: "reading_date",
    Problem.BEFORE_LAST: "reading_date",
    Problem.SAME_DAY: "reading_date",
    Problem.BELOW_LAST: "value",
}


def problem_text(problem: Problem, meter: Meter, last: Reading | None, day_text: str) -> str:
    """The rule in words, with the dates and values that decide it."""
    last_date = format_date(last.date) if last else ""
    last_value = format_decimal(last.value, 3) if last else ""
    texts = {
        Problem.METER_NOT_ACTIVE: lambda: _("Readings can be submitted only for a meter in service."),
        Problem.FUTURE_DATE: lambda: _("The reading date cannot be in the future."),
        Problem.BEFORE_INSTALLATION: lambda: _("The reading date cannot be before the meter was installed "
                                               "(%(date)s).", date=format_date(meter.installed_on)),
        Problem.BEFORE_LAST: lambda: _("The reading date cannot be before the last reading (%(date)s).",
                                       date=last_date),
        Problem.SAME_DAY: lambda: _("A reading dated %(date)s is already registered for this meter: one reading "
                                    "a day.", date=day_text),
        Problem.BELOW_LAST: lambda: _("The value cannot be lower than the last reading (%(value)s m³ on "
                                      "%(date)s).", value=last_value, date=last_date),
    }
    return texts[problem]()
