"""When a delivered recipient is visited: derived from the BAST date and the budget year's visit months, never
stored, so a change of the months (3, 6, 12 …) applies at once to every recipient.

A scheduled visit is
- "selesai" (done) once a valid visit for that month is recorded;
- "akan datang" (upcoming) until its window opens, OPENS_BEFORE days before its date (the budget year's
  `visit_window_days`; a scheduled visit can be recorded only from then on);
- "jatuh tempo" (due) from then until GRACE_DAYS after its date;
- "terlambat" (overdue) afterwards.
"""

import calendar
import datetime
from dataclasses import dataclass

OPENS_BEFORE = 14  # days: a visit may be done two weeks ahead (the default of BudgetYear.visit_window_days)
GRACE_DAYS = 30  # days after the date before a missing visit counts as overdue

DONE, DUE, OVERDUE, UPCOMING = "selesai", "jatuh_tempo", "terlambat", "akan_datang"
STATE_LABELS = {DONE: "Selesai", DUE: "Jatuh tempo", OVERDUE: "Terlambat", UPCOMING: "Akan datang"}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole months; the 31st becomes the month's last day where it has none (31 Aug + 6 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(handed_over_on: datetime.date, month: int) -> datetime.date:
    return add_months(handed_over_on, month)


def opens_on(due: datetime.date, opens_before: int = OPENS_BEFORE) -> datetime.date:
    """The first day a scheduled visit due on `due` may be recorded as that visit."""
    return due - datetime.timedelta(days=opens_before)


def window(handed_over_on: datetime.date, month: int, opens_before: int = OPENS_BEFORE) -> tuple:
    """(due date, first day it may be recorded) of a BAST's scheduled visit of `month`."""
    due = due_on(handed_over_on, month)
    return due, opens_on(due, opens_before)


def state(due: datetime.date, *, done: bool, today: datetime.date, opens_before: int = OPENS_BEFORE) -> str:
    if done:
        return DONE
    if today < opens_on(due, opens_before):
        return UPCOMING
    if today > due + datetime.timedelta(days=GRACE_DAYS):
        return OVERDUE
    return DUE


def handed_over_by(
    month: int, *, state_: str, today: datetime.date, opens_before: int = OPENS_BEFORE
) -> tuple[datetime.date | None, datetime.date]:
    """The range of BAST dates (from, to; from None = unbounded) whose visit of `month` is in `state_` today, for
    counting in SQL with an indexable date filter. Not for DONE (that depends on the visits)."""
    # due = handed_over_on + month; the bounds on `due` map back through the same month arithmetic (monotonic).
    if state_ == OVERDUE:
        return None, _minus_months(today - datetime.timedelta(days=GRACE_DAYS + 1), month)
    if state_ == DUE:
        return (
            _minus_months(today - datetime.timedelta(days=GRACE_DAYS), month, upper=False),
            _minus_months(today + datetime.timedelta(days=opens_before), month),
        )
    raise ValueError(state_)


def _minus_months(day: datetime.date, months: int, *, upper: bool = True) -> datetime.date:
    """The last (upper) or first BAST date whose due date is on or before (upper) / on or after `day`.

    The first guess, `day` less the months, is never after either answer (a month's end only clamps a date
    earlier: 31 May - 3 = 28 Feb), so the walk goes forward only, at most three days."""
    candidate = add_months(day, -months)
    if upper:
        while add_months(candidate + datetime.timedelta(days=1), months) <= day:
            candidate += datetime.timedelta(days=1)
    else:
        while add_months(candidate, months) < day:
            candidate += datetime.timedelta(days=1)
    return candidate


def windows(budget_year, today: datetime.date) -> dict:
    """{(state, month): the range of BAST dates whose visit of that month is in that state today}, for DUE and
    OVERDUE over the budget year's months (its `months` and `visit_window_days`)."""
    return {
        (state_, month): handed_over_by(month, state_=state_, today=today, opens_before=budget_year.visit_window_days)
        for month in budget_year.months
        for state_ in (DUE, OVERDUE)
    }


def within(bounds: tuple, field_name: str):
    """The filter of a date field to one of those ranges (from None: unbounded)."""
    from django.db.models import Q

    low, high = bounds
    return Q(**{f"{field_name}__lte": high}) & (Q(**{f"{field_name}__gte": low}) if low else Q())


@dataclass
class ScheduledVisit:
    """One visit a recipient is due for: the BAST, the month, its date, the visit recorded (if any), its state."""

    handover: object
    month: int
    due: datetime.date
    visit: object | None
    state: str

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def schedule(
    handover, months: list[int], visits_by_month: dict, *, today: datetime.date, opens_before: int = OPENS_BEFORE
) -> list[ScheduledVisit]:
    """The scheduled visits of one BAST, in month order."""
    rows = []
    for month in months:
        due = due_on(handover.handed_over_on, month)
        visit = visits_by_month.get(month)
        row_state = state(due, done=visit is not None, today=today, opens_before=opens_before)
        rows.append(ScheduledVisit(handover, month, due, visit, row_state))
    return rows
