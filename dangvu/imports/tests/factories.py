"""Build import files for the tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata

from openpyxl import Workbook

from dangvu.imports.columns import COLUMNS

HEADERS = [c.label for c in COLUMNS]


def row(i: int, cell: str = "A1-C1", **changes) -> dict:
    values = {
        "Họ và tên*": f"Nguyễn Thị Nhập {i}",
        "Giới tính*": "Nữ",
        "Ngày sinh*": "15/04/1990",
        "Nơi sinh": "Cần Thơ",
        "Dân tộc": "Kinh",
        "Số CCCD": f"0921{i:08d}",
        "Số thẻ đảng viên": f"77{i:08d}",
        "Lý luận chính trị": "Trung cấp",
        "Mã chi bộ*": cell,
        "Ngày vào Đảng*": "03/02/2020",
        "Ngày chính thức": "05/02/2021",
    }
    values.update(changes)
    return values


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
