import datetime

import pytest

from core.workdays import add_working_days, is_working_day, working_days_between

D = datetime.date


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2026, 11, 27), 3, D(2026, 12, 2)),  # Friday + 3 working days: Wednesday
        (D(2026, 11, 30), 5, D(2026, 12, 7)),  # Monday + 5: the next Monday
        (D(2026, 12, 23), 3, D(2026, 12, 30)),  # over joint leave (24), Christmas (25) and the weekend
        (D(2026, 8, 14), 1, D(2026, 8, 18)),  # 17 August, Independence Day, is no working day
        (D(2026, 11, 30), 0, D(2026, 11, 30)),
    ],
)
def test_adding_working_days_skips_weekends_and_national_holidays(start, days, expected):
    assert add_working_days(start, days) == expected


def test_working_days_between():
    assert working_days_between(D(2026, 11, 27), D(2026, 12, 2)) == 3
    assert working_days_between(D(2026, 12, 2), D(2026, 11, 27)) == -3
    assert (
        not is_working_day(D(2026, 8, 17)) and not is_working_day(D(2026, 11, 28)) and is_working_day(D(2026, 11, 30))
    )


def test_joint_leave_days_are_not_working_days():
    """Cuti bersama (the library's 'government' category) closes offices: received on Thursday 19 March 2026
    (Nyepi), the 20th, 23rd and 24th are joint leave, so the first answer is due on Friday 27 March, not 24 March."""
    assert add_working_days(datetime.date(2026, 3, 19), 3) == datetime.date(2026, 3, 27)
    assert not is_working_day(datetime.date(2026, 12, 24))
