"""Working days in Vietnam: legal deadlines ("within 30 working days") skip weekends, public holidays
(including the lunar ones: Tết, Hùng Kings' day) and their substitute days off,
and count the Saturdays worked in exchange for a bridge day off.

Holidays come from the maintained `holidays` package (docs/dependencies.md). The government also announces
extra days off and make-up Saturdays year by year; those the package misses are rule data
(`calendar.extra_days_off`, `calendar.extra_working_days`, ISO dates): shipped by migrations (rules/0004:
2026) and recorded by an administrator at /rules/calendar/new/, so a deadline follows the calendar
actually in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


@lru_cache(maxsize=64)
def make_up_working_days(year: int) -> frozenset[dt.date]:
    """Saturdays worked in exchange for a bridge day off (e.g. 26/04/2025 for Friday 02/05/2025): the
    package lists the bridge day as a holiday and the Saturday among its `weekend_workdays`."""
    found = holidays.country_holidays("VN", years=year).weekend_workdays
    return frozenset(day for day in found if day.year == year)


@dataclass(frozen=True)
class Calendar:
    extra_days_off: frozenset[dt.date] = field(default_factory=frozenset)
    extra_working_days: frozenset[dt.date] = field(default_factory=frozenset)

    @classmethod
    def from_rules(cls, values: dict) -> Calendar:
        return cls(
            frozenset(_dates(values.get("calendar.extra_days_off", []))),
            frozenset(_dates(values.get("calendar.extra_working_days", []))),
        )

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:  # the rule set overrides the package, both ways
            return False
        if day in make_up_working_days(day.year):
            return True
        if day.weekday() >= 5:
            return False
        return day not in public_holidays(day.year)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (start itself not counted): the last day of a
        deadline of `days` working days counted from `start`."""
        if days < 0:
            raise ValueError("days must be >= 0")
        day = start
        while days:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]."""
        n, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            n += self.is_working_day(day)
        return n


def _dates(values: Iterable) -> Iterable[dt.date]:
    for v in values:
        yield v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def calendar_on(day: dt.date | None = None) -> Calendar:
    """The calendar of the rule set in force on `day`."""
    from dangvu.rules.registry import rules_on

    return Calendar.from_rules(rules_on(day))
