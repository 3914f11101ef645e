from __future__ import annotations

import calendar
import datetime as dt
import re


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class NoSuchDate(ValueError):
    """Text written as a date (dd/mm/yyyy or yyyy-mm-dd) naming a day that does not exist, e.g. 31/02/1990.
    `message` says why, for the person who typed it (not "write dd/mm/yyyy": the form was right)."""

    def __init__(self, day: int, month: int, year: int) -> None:
        self.day, self.month, self.year = day, month, year
        super().__init__(f"{day}/{month}/{year}")

    @property
    def message(self) -> str:
        from django.utils.translation import gettext as _

        if not 1 <= self.month <= 12:
            return _("There is no such date: a year has 12 months.")
        if not 1 <= self.year <= 9999:
            return _("There is no such date.")
        days = calendar.monthrange(self.year, self.month)[1]
        return _("There is no such date: %(month)s/%(year)s has %(days)s days.") % {
            "month": self.month,
            "year": self.year,
            "days": days,
        }


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def date_parts(text: str) -> tuple[int, int, int] | None:
    """(day, month, year) of text shaped as dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or yyyy-mm-dd,
    whether or not that day exists; None for any other text."""
    cleaned = str(text).strip()
    if match := _DMY.match(cleaned):
        return int(match[1]), int(match[2]), int(match[3])
    if match := _YMD.match(cleaned):
        return int(match[3]), int(match[2]), int(match[1])
    return None


def no_such_date(text: str) -> NoSuchDate | None:
    """The NoSuchDate for text shaped as a date that names no day (31/02/1990), else None."""
    parts = date_parts(text)
    if parts is None:
        return None
    try:
        dt.date(parts[2], parts[1], parts[0])
    except ValueError:
        return NoSuchDate(*parts)
    return None


def parse_vn_date(text: str) -> dt.date:
    """Parse dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy); raises ValueError, NoSuchDate when the text is
    shaped right but names no day."""
    cleaned = text.strip().replace("-", "/").replace(".", "/")
    parts = cleaned.split("/")
    if len(parts) != 3 or len(parts[2]) != 4:
        raise ValueError(text)
    day, month, year = (int(p) for p in parts)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise NoSuchDate(day, month, year) from None


def fmt(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""
