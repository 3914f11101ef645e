"""Build import files for the tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata

from openpyxl import Workbook

from dangvu.imports.columns import COLUMNS
from dangvu.lib.text import fold
from dangvu.members.citizen_id import compose

HEADERS = [c.label for c in COLUMNS]


def row(i: int, cell: str = "A1-C1", **changes) -> dict:
    values = {
        "Họ và tên*": f"Nguyễn Thị Nhập {i}",
        "Giới tính*": "Nữ",
        "Ngày sinh*": "15/04/1990",
        "Nơi sinh": "Cần Thơ",
        "Dân tộc": "Kinh",
        "Số thẻ đảng viên": f"77{i:08d}",
        "Lý luận chính trị": "Trung cấp",
        "Mã chi bộ*": cell,
        "Ngày vào Đảng*": "03/02/2020",
        "Ngày chính thức": "05/02/2021",
    }
    values.update(changes)
    values.setdefault("Số CCCD", citizen_id(i, values["Giới tính*"], values["Ngày sinh*"]))
    return values


def citizen_id(i: int, sex: object = "Nữ", birth: object = "15/04/1990") -> str:
    """Row i's citizen ID, of the legal layout for the row's sex and year of birth (092190000001 for row 1 of
    a woman born in 1990); a sex that is not "Nam" counts as female, a date that is not dd/mm/yyyy as 1990."""
    year = str(birth)[-4:] if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", str(birth)) else "1990"
    male = fold(str(sex)).startswith("nam")
    return compose("092", "M" if male else "F", dt.date(int(year), 1, 1), i)


def rows(n: int, start: int = 1, **changes) -> list[dict]:
    return [row(i, **changes) for i in range(start, start + n)]


def xlsx(records: list[dict], headers: list[str] = HEADERS, real_dates: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for record in records:
        values = []
        for h in headers:
            v = record.get(h)
            if real_dates and isinstance(v, str) and h.startswith("Ngày") and v.count("/") == 2:
                d, m, y = (int(p) for p in v.split("/"))
                v = dt.datetime(y, m, d)
            values.append(v)
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(
    records: list[dict], headers: list[str] = HEADERS, delimiter: str = ";", bom: bool = True, nfd: bool = True
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for record in records:
        writer.writerow([record.get(h, "") or "" for h in headers])
    text = out.getvalue()
    if nfd:
        text = unicodedata.normalize("NFD", text)
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
