"""Party-fee reports as XLSX: an organisation's month (each direct subordinate and the total) and its year (each
month and the year), with the figures of dangvu.fees.remittance (they add up to the đồng: integers, never
floats). Vietnamese headings whatever the page's language; names never evaluated as formulas."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from dangvu.fees import months
from dangvu.fees.remittance import Flow, Remittance
from dangvu.members.exports import safe_text

HEADINGS = ["Tổ chức đảng", "Số đảng viên", "Phải thu (đồng)", "Đã thu (đồng)", "Giữ lại (đồng)", "Nộp cấp trên (đồng)"]


def _values(f: Flow) -> list[int]:
    return [f.members_below, f.due_below, f.collected_below, f.kept_below, f.sent_up]


def _book(title: str, subtitle: str, headings: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Đảng phí"
    sheet.append([safe_text(title)])
    sheet.append([subtitle])
    sheet.append(headings)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_text(str(row[0])), *row[1:]])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def month_xlsx(rem: Remittance) -> bytes:
    rows = rem.table()
    return _book(f"Thu, nộp đảng phí — {rem.organisation.name}", f"Tháng {months.fmt(rem.month)}", HEADINGS, rows)


def year_xlsx(org, year: int, rems: list[Remittance]) -> bytes:
    rows = [[months.fmt(r.month), *_values(r.top)] for r in rems]
    totals = [sum(r[i] for r in rows) for i in range(2, 6)]
    rows.append(["Cả năm", max((r[1] for r in rows), default=0), *totals])
    return _book(f"Thu, nộp đảng phí — {org.name}", f"Năm {year}", ["Tháng", *HEADINGS[1:]], rows)
