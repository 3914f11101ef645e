"""Fee months: a month is stored as the date of its first day; written mm/yyyy for people."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

_TEXT = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-01)?\s*$")


def first(day: dt.date) -> dt.date:
    return day.replace(day=1)


def shift(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def last_day(month: dt.date) -> dt.date:
    return shift(month, 1) - dt.timedelta(days=1)


def count(start: dt.date, end: dt.date) -> int:
    """Months from `start` to `end`, both included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def current() -> dt.date:
    return first(timezone.localdate())


def parse(text: str) -> dt.date | None:
    """'03/2026', '3-2026', '2026-03' or '2026-03-01' → 1 March 2026; None when unreadable."""
    text = str(text or "")
    match = _TEXT.match(text)
    if match:
        month, year = int(match[1]), int(match[2])
    else:
        match = _ISO.match(text)
        if not match:
            return None
        year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or not 1900 <= year <= 2999:
        return None
    return dt.date(year, month, 1)


def fmt(month: dt.date | None) -> str:
    return f"{month:%m/%Y}" if month else ""


def year_months(year: int) -> list[dt.date]:
    return [dt.date(year, m, 1) for m in range(1, 13)]
