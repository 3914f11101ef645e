"""The letters statistics as XLSX (issue 12 item 6): the same figures as the statistics page and the API
(dangvu.letters.stats.letters and its `table`) for an organisation of the caller's scope and a year or a term —
one column per part (the organisation and each predecessor) and the combined column when there are several;
counts only, never a sender or a content. Vietnamese headings whatever the page's language; texts never
evaluated as formulas."""

from __future__ import annotations

import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font

from dangvu.letters import stats
from dangvu.lib.dates import fmt
from dangvu.members.exports import safe_text

SHEET = "Thống kê đơn thư"


def statistics_xlsx(report: stats.Report) -> bytes:
    with translation.override("vi"):
        rows = stats.table(report)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([safe_text(f"Thống kê đơn thư tố cáo, khiếu nại, phản ánh — {report.organisation.name}")])
    sheet.append([f"Từ ngày {fmt(report.start)} đến ngày {fmt(report.end)}"])
    names = [safe_text(p.organisation.name) for p in report.parts]
    sheet.append(["Chỉ tiêu", *names, *(["Cộng"] if len(report.parts) > 1 else [])])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for label, counts in rows:
        sheet.append([safe_text(str(label)), *counts])
    sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
