from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_vn_date(text: str) -> dt.date:
    """Parse dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy); raises ValueError."""
    cleaned = text.strip().replace("-", "/").replace(".", "/")
    parts = cleaned.split("/")
    if len(parts) != 3 or len(parts[2]) != 4:
        raise ValueError(text)
    day, month, year = (int(p) for p in parts)
    return dt.date(year, month, day)


def fmt(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""
