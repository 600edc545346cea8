"""Working days in Indonesia (hari kerja): Monday to Friday, except national holidays and joint leave days as
the maintained `holidays` library knows them (country "ID"), never a hand-typed list."""

import datetime
import functools

import holidays


@functools.lru_cache(maxsize=32)
def _holidays(year: int) -> frozenset[datetime.date]:
    # "government" is the library's category for cuti bersama (joint leave set by SKB of three ministers): offices
    # are closed, so those days do not count, as LAPOR!/SP4N counts them.
    return frozenset(holidays.country_holidays("ID", years=[year], categories=("public", "government")))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The day `days` working days after `start` (the day of receipt does not count): received on a Friday,
    3 working days later is the next Wednesday."""
    day, left = start, days
    while left > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is before `start`)."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count
