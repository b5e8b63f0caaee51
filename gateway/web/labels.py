"""Names of the ERP's record states that more than one page shows, so the pages call them alike."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from adapters.core.records import MeterStatus

METER_STATUSES = {
    MeterStatus.ACTIVE: _l("in service"),
    MeterStatus.REMOVED: _l("removed"),
    MeterStatus.FAULTY: _l("faulty"),
}
