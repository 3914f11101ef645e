"""The discipline statistics as XLSX (issue 12 item 6): the same figures as the statistics page and the API
(dangvu.discipline.stats.discipline) for an organisation of the caller's scope and a year or a term — one
row per part (the organisation and each predecessor) and the combined row, by form and subject; a second
sheet by category of violation. Vietnamese headings; texts never evaluated as formulas."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from dangvu.discipline import stats
from dangvu.discipline.models import Form
from dangvu.lib.dates import fmt
from dangvu.members.exports import safe_text
from dangvu.rules.registry import rules_on

FORMS_VI = {
    Form.REPRIMAND: "Khiển trách",
    Form.WARNING: "Cảnh cáo",
    Form.REMOVAL: "Cách chức",
    Form.EXPULSION: "Khai trừ",
    Form.DISSOLUTION: "Giải tán",
}
HEAD = ["STT", "Tổ chức đảng", *FORMS_VI.values(), "Đảng viên", "Trong đó cấp ủy viên", "Tổ chức đảng bị kỷ luật"]


def _row(n, name: str, counts: stats.Counts) -> list:
    forms = [counts.by_subject[stats.MEMBERS][f.value] + counts.by_subject[stats.ORGANISATIONS][f.value] for f in Form]
    return [n, safe_text(name), *forms, counts.members, counts.committee_members, counts.organisations]


def statistics_xlsx(report: stats.Report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Thống kê kỷ luật"
    sheet.append([safe_text(f"Thống kê thi hành kỷ luật — {report.organisation.name}")])
    sheet.append([f"Từ ngày {fmt(report.start)} đến ngày {fmt(report.end)}"])
    sheet.append(HEAD)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for n, part in enumerate(report.parts, 1):
        sheet.append(_row(n, part.organisation.name, part))
    sheet.append(_row(None, "Cộng", report.combined))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 48

    labels = rules_on(report.end)["discipline.categories"]
    by_category = book.create_sheet("Theo loại vi phạm")
    by_category.append(["Loại vi phạm", *(safe_text(p.organisation.name) for p in report.parts), "Cộng"])
    for cell in by_category[1]:
        cell.font = Font(bold=True)
    for code, total in sorted(report.combined.categories.items(), key=lambda kv: (-kv[1], kv[0])):
        label = labels.get(code, {}).get("label", code)
        by_category.append([safe_text(str(label)), *(p.categories[code] for p in report.parts), total])
    by_category.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
