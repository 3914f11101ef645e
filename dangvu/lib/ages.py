"""Ages as the admission rule counts them: "đủ 18 tuổi đến đủ 60 tuổi (tính theo tháng)" (Quy định
294-QĐ/TW; domain.md §4).

An age limit is rule data: `{"years": 18, "unit": "month"}`. Whatever the unit, a person has reached
("đủ") N years on the day N×12 months after their birth; a month runs to the same day of the month, or to
the month's last day when it has no such day (Bộ luật Dân sự 2015, Điều 148: born 29/02, a person is full
18 on 28/02 of a common year). The unit says when a person is *past* the maximum:

- "month" (the regulation): past N years as soon as N years and one month are complete, so a person aged
  60 years and some months is over the limit of 60;
- "year" (whole years, how the rule was read before): past N years at N + 1.

Rule sets written before the unit existed hold a bare number: it is read in months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dangvu.lib.dates import add_months

MONTH, YEAR = "month", "year"
UNITS = (MONTH, YEAR)


@dataclass(frozen=True)
class AgeLimit:
    years: int
    unit: str = MONTH

    @classmethod
    def of(cls, value: Any) -> AgeLimit:
        """The limit a rule value states: `{"years": n, "unit": "month"|"year"}` or a bare number (months)."""
        if isinstance(value, AgeLimit):
            return value
        if isinstance(value, dict):
            unit = value.get("unit") or MONTH
            if unit not in UNITS:
                raise ValueError(f"unknown age unit {unit!r}")
            return cls(int(value["years"]), unit)
        if isinstance(value, int) and not isinstance(value, bool):
            return cls(value, MONTH)
        raise ValueError(f"not an age limit: {value!r}")

    def as_value(self) -> dict[str, Any]:
        return {"years": self.years, "unit": self.unit}


def months_old(birth: dt.date, on: dt.date) -> int:
    """Months completed from `birth` to `on` (negative before the birth)."""
    months = (on.year - birth.year) * 12 + on.month - birth.month
    if add_months(birth, months) > on:
        months -= 1
    return months


def years_and_months(birth: dt.date, on: dt.date) -> tuple[int, int]:
    """The age on `on` in completed years and the months completed since the last birthday."""
    return divmod(months_old(birth, on), 12)


def reached(birth: dt.date, limit: AgeLimit, on: dt.date) -> bool:
    """True when the person is full ("đủ") `limit.years` old on `on`."""
    return add_months(birth, 12 * limit.years) <= on


def past(birth: dt.date, limit: AgeLimit, on: dt.date) -> bool:
    """True when the person is over `limit` on `on`: from N years and one month (months), N + 1 (years)."""
    step = 1 if limit.unit == MONTH else 12
    return add_months(birth, 12 * limit.years + step) <= on
