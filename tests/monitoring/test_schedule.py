"""The visit schedule is derived from the BAST date and the year's months, at its edges."""

import datetime

import pytest

from monitoring import schedule
from programs.models import parse_months

D = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 3, 15), 3, D(2024, 6, 15)),
        (D(2024, 8, 31), 6, D(2025, 2, 28)),  # no 31 February: the month's last day
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # a leap year's
        (D(2024, 11, 30), 12, D(2025, 11, 30)),
        (D(2024, 10, 1), 3, D(2025, 1, 1)),  # into the next year
        (D(2024, 12, 31), 1, D(2025, 1, 31)),
        (D(2025, 1, 31), -1, D(2024, 12, 31)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
    ],
)
def test_add_months(day, months, expected):
    assert schedule.add_months(day, months) == expected


@pytest.mark.parametrize(
    ("today", "done", "state"),
    [
        (D(2024, 6, 1), False, schedule.UPCOMING),  # 15 days before
        (D(2024, 6, 2), False, schedule.DUE),  # the window opens 14 days before
        (D(2024, 6, 16), False, schedule.DUE),
        (D(2024, 7, 16), False, schedule.DUE),  # 30 days after: still due
        (D(2024, 7, 17), False, schedule.OVERDUE),  # 31 days after
        (D(2024, 7, 17), True, schedule.DONE),
        (D(2024, 1, 1), True, schedule.DONE),
    ],
)
def test_states_at_their_edges(today, done, state):
    assert schedule.state(D(2024, 6, 16), done=done, today=today) == state


def test_a_schedule_lists_each_month_with_its_visit():
    class Handover:
        handed_over_on = D(2024, 8, 31)

    visit, handover = object(), Handover()
    rows = schedule.schedule(handover, [3, 6, 12], {6: visit}, today=D(2025, 3, 15))
    assert all(r.handover is handover for r in rows)
    assert [(r.month, r.due, r.visit, r.state) for r in rows] == [
        (3, D(2024, 11, 30), None, schedule.OVERDUE),
        (6, D(2025, 2, 28), visit, schedule.DONE),
        (12, D(2025, 8, 31), None, schedule.UPCOMING),
    ]
    assert [r.state_label for r in rows] == ["Terlambat", "Selesai", "Akan datang"]


@pytest.mark.parametrize("month", [1, 3, 6, 12])
@pytest.mark.parametrize("today", [D(2025, 3, 1), D(2025, 3, 30), D(2025, 2, 28), D(2024, 2, 29), D(2025, 8, 31)])
def test_the_sql_ranges_of_bast_dates_agree_with_the_state_of_each_day(month, today):
    """handed_over_by() gives the BAST dates whose visit is due / overdue today, for a date filter in SQL; every
    BAST date over two years is judged the same way by the range and by state()."""
    ranges = {s: schedule.handed_over_by(month, state_=s, today=today) for s in (schedule.DUE, schedule.OVERDUE)}
    day = today - datetime.timedelta(days=800)
    while day <= today:
        expected = schedule.state(schedule.due_on(day, month), done=False, today=today)
        for state_, (low, high) in ranges.items():
            inside = (low is None or low <= day) and day <= high
            assert inside == (expected == state_), (day, state_, expected)
        day += datetime.timedelta(days=1)


@pytest.mark.parametrize("months", [1, 3, 6, 12])
def test_the_month_arithmetic_back_from_a_due_date_is_exact_on_every_day(months):
    """_minus_months: the last BAST date due on or before a day, and the first due on or after it — checked on every
    day of two years, month ends and 29 February included."""
    day = D(2024, 1, 1)
    while day <= D(2025, 12, 31):
        last = schedule._minus_months(day, months)
        assert schedule.add_months(last, months) <= day < schedule.add_months(last + datetime.timedelta(days=1), months)
        first = schedule._minus_months(day, months, upper=False)
        assert (
            schedule.add_months(first - datetime.timedelta(days=1), months) < day <= schedule.add_months(first, months)
        )
        day += datetime.timedelta(days=1)


def test_a_range_is_only_for_due_and_overdue():
    with pytest.raises(ValueError):
        schedule.handed_over_by(3, state_=schedule.DONE, today=D(2025, 1, 1))


@pytest.mark.parametrize(
    ("text", "months"),
    [("3,6,12", [3, 6, 12]), (" 12; 3 , 6 ", [3, 6, 12]), ("6,6,1", [1, 6]), ("60", [60])],
)
def test_visit_months_are_read_from_the_setting(text, months):
    assert parse_months(text) == months


@pytest.mark.parametrize("text", ["", "tiga", "3,x", "0,6", "61", "-3"])
def test_wrong_visit_months_are_refused_with_a_reason(text):
    with pytest.raises(ValueError, match="bulan|Bulan"):
        parse_months(text)
