"""The inspection statistics as XLSX (issue 12 item 6): the same figures as the statistics page
(dangvu.inspection.stats.coverage and remediation_on_time) for an organisation of the caller's scope and a year
or a term — one column per part (the organisation and each predecessor) and the combined column when there are
several; counts and shares only. Built like the letters and discipline statistics (openpyxl, `safe_text`);
Vietnamese headings whatever the page's language; texts never evaluated as formulas."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from dangvu.inspection import stats
from dangvu.lib.dates import fmt
from dangvu.members.exports import safe_text

SHEET = "Thống kê kiểm tra, giám sát"


def _share(value: float | None) -> float | None:
    """A percentage rounded to one decimal like the page (an empty cell without a base)."""
    return None if value is None else round(value, 1)


def table(coverage: stats.Report, remediation: stats.RemediationReport) -> list[tuple[str, list]]:
    """The page's rows, each with one value per part and the combined value when there are several parts."""
    combined = len(coverage.parts) > 1

    def row(label, values, total):
        return label, [*values, *([total] if combined else [])]

    cov, rem = coverage.parts, remediation.parts
    c, r = coverage.combined, remediation.combined
    return [
        row("Tổ chức cơ sở đảng", [p.total for p in cov], c.total),
        row("Đã kiểm tra hoặc giám sát", [p.count for p in cov], c.count),
        row("Tỷ lệ được kiểm tra, giám sát (%)", [_share(p.share) for p in cov], _share(c.share)),
        row("Nội dung khắc phục đến hạn", [p.total for p in rem], r.total),
        row("Khắc phục đúng hạn", [len(p.on_time) for p in rem], len(r.on_time)),
        row("Khắc phục quá hạn", [len(p.late) for p in rem], len(r.late)),
        row("Chưa khắc phục, đã quá hạn", [len(p.overdue) for p in rem], len(r.overdue)),
        row("Tỷ lệ khắc phục đúng hạn (%)", [_share(p.share) for p in rem], _share(r.share)),
    ]


def statistics_xlsx(coverage: stats.Report, remediation: stats.RemediationReport) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([safe_text(f"Thống kê kiểm tra, giám sát — {coverage.organisation.name}")])
    sheet.append([f"Từ ngày {fmt(coverage.start)} đến ngày {fmt(coverage.end)}"])
    names = [safe_text(p.organisation.name) for p in coverage.parts]
    sheet.append(["Chỉ tiêu", *names, *(["Cộng"] if len(coverage.parts) > 1 else [])])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for label, values in table(coverage, remediation):
        sheet.append([label, *values])
    sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
