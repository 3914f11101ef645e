"""The working-day calendar of a year as the deadlines count it (issue 8 item 5), for the rules pages:
every public holiday and announced day swap of the `holidays` package, and every day off or make-up
working day of the rule sets (`calendar.extra_days_off`, `calendar.extra_working_days`), each with where it
comes from. Whether a day is worked is decided by `dangvu.lib.workdays.Calendar`, the one the deadlines
use, so the page cannot disagree with them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import holidays
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dangvu.lib.workdays import Calendar, make_up_working_days
from dangvu.rules.models import RuleSet

OFF, WORKING = "calendar.extra_days_off", "calendar.extra_working_days"
KEYS = (OFF, WORKING)
YEARS = (1995, 2100)  # the package's Vietnamese rules start in 1995 (observed days)


@dataclass
class Day:
    day: dt.date
    working: bool = False
    names: list[str] = field(default_factory=list)
    from_package: bool = False
    rule_sets: list[RuleSet] = field(default_factory=list)

    @property
    def is_weekend(self) -> bool:
        return self.day.weekday() >= 5


def is_calendar_only(rule_set: RuleSet) -> bool:
    """A rule set that holds nothing but announced days (a government letter on days off and swaps)."""
    return bool(rule_set.values) and all(name in KEYS for name in rule_set.values)


def _package_holidays(year: int) -> dict[dt.date, str]:
    language = "vi" if (get_language() or "vi").startswith("vi") else "en_US"
    return dict(holidays.country_holidays("VN", years=year, language=language).items())


def year_days(year: int, rule_sets: list[RuleSet]) -> list[Day]:
    """The year's days off and make-up working days, in date order."""
    days: dict[dt.date, Day] = {}

    def at(day: dt.date) -> Day:
        return days.setdefault(day, Day(day))

    for day, name in _package_holidays(year).items():
        entry = at(day)
        entry.names.append(name)
        entry.from_package = True
    for day in make_up_working_days(year):
        entry = at(day)
        entry.names.append(_("Make-up working day"))
        entry.from_package = True
    off: set[dt.date] = set()
    working: set[dt.date] = set()
    for rule_set in sorted(rule_sets, key=lambda r: (r.effective_from, r.pk)):
        for key, label, bucket in ((OFF, _("Day off"), off), (WORKING, _("Make-up working day"), working)):
            for value in rule_set.values.get(key, []):
                day = dt.date.fromisoformat(str(value))
                bucket.add(day)
                if day.year != year:
                    continue
                entry = at(day)
                if label not in entry.names:
                    entry.names.append(label)
                if rule_set not in entry.rule_sets:
                    entry.rule_sets.append(rule_set)
    calendar = Calendar(frozenset(off), frozenset(working))
    for entry in days.values():
        entry.working = calendar.is_working_day(entry.day)
    return [days[day] for day in sorted(days)]
