"""Documents of the yearly review (issue 11 item 7): the committee's classification report (DOCX in the
Party format, dangvu.documents.partydoc) with its tables per organisation and predecessor — the members'
grades and the grades of the party organisations under it (Mẫu 01) — for a year or a term, and the results
of a campaign as XLSX (the members' reviews the user may see; the organisations' reviews the user may see and,
when the user sees the whole campaign, the distribution of the organisations' grades). They read
dangvu.reviews.stats and dangvu.reviews.orgreviews, within the caller's scope."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dangvu.documents.admission import committee_name, document_place
from dangvu.documents.partydoc import Header, Para, PartyDocument, Signature, Table, percent
from dangvu.members.exports import safe_text
from dangvu.orgs.models import Organisation
from dangvu.reviews import orgreviews, stats
from dangvu.reviews.access import can, org_reviews_for, reviews_for
from dangvu.reviews.models import Campaign, Grade, Period

GRADE_COLUMNS = [
    (Grade.EXCELLENT, "Hoàn thành xuất sắc nhiệm vụ"),
    (Grade.GOOD, "Hoàn thành tốt nhiệm vụ"),
    (Grade.COMPLETED, "Hoàn thành nhiệm vụ"),
    (Grade.NOT_COMPLETED, "Không hoàn thành nhiệm vụ"),
]
REPORT_HEAD = [
    "STT",
    "Tổ chức đảng",
    "Tổng số",
    *(label for _g, label in GRADE_COLUMNS),
    "Chưa quyết định",
    "Không xếp loại",
    "Chưa kiểm điểm",
]


def _row(n: str, name: str, counts: stats.Counts) -> list[str]:
    return [
        n,
        name,
        str(counts.total),
        *(str(counts.grades[g]) for g, _label in GRADE_COLUMNS),
        str(counts.pending),
        str(counts.not_graded),
        str(counts.not_reviewed),
    ]


def report_table(result: stats.Distribution) -> list[list[str]]:
    """The report's table: one row per part (the organisation, then each predecessor) and the total."""
    rows = [REPORT_HEAD]
    parts = [p for p in result.parts if p.total] or result.parts[:1]
    for n, part in enumerate(parts, 1):
        rows.append(_row(str(n), part.organisation.name, part))
    rows.append(_row("", "Cộng", result.combined))
    return rows


ORG_HEAD = [
    "STT",
    "Tổ chức đảng",
    "Số tổ chức đảng trực thuộc được đánh giá",
    *(label for _g, label in GRADE_COLUMNS),
    "Chưa quyết định",
]


def _org_row(n: str, name: str, counts: orgreviews.OrgCounts) -> list[str]:
    return [n, name, str(counts.total), *(str(counts.grades[g]) for g, _label in GRADE_COLUMNS), str(counts.pending)]


def org_table(result: orgreviews.OrgDistribution) -> list[list[str]]:
    """The organisations' grades: one row per part (the organisation, then each predecessor) and the total,
    which adds the parts up."""
    rows = [ORG_HEAD]
    parts = [p for p in result.parts if p.total] or result.parts[:1]
    for n, part in enumerate(parts, 1):
        rows.append(_org_row(str(n), part.organisation.name, part))
    rows.append(_org_row("", "Cộng", result.combined))
    return rows


def period_words(year: int, period: str = Period.YEAR) -> str:
    """'năm 2025', or 'nhiệm kỳ 2020–2025' (the term of a campaign ending in `year`)."""
    if period == Period.TERM:
        first = (
            Campaign.objects.filter(year=year, period=Period.TERM)
            .exclude(first_year=None)
            .values_list("first_year", flat=True)
            .first()
        )
        return f"nhiệm kỳ {first}–{year}" if first else f"nhiệm kỳ kết thúc năm {year}"
    return f"năm {year}"


def classification_report(org: Organisation, year: int, period: str = Period.YEAR) -> bytes:
    result = stats.distribution(org, year, period=period)
    orgs = orgreviews.distribution(org, year, period=period)
    c, o = result.combined, orgs.combined
    parent = Organisation.objects.get_parent(org)
    shares = "; ".join(f"{label}: {c.grades[g]} ({percent(c.grades[g], c.decided)})" for g, label in GRADE_COLUMNS)
    org_shares = "; ".join(f"{label}: {o.grades[g]} ({percent(o.grades[g], o.decided)})" for g, label in GRADE_COLUMNS)
    paragraphs = [
        Para("I. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI ĐẢNG VIÊN", bold=True, indent=False, align="left"),
        Para(
            f"Tổng số đảng viên: {c.total}; đã có quyết định xếp loại: {c.decided}; chưa có quyết định: "
            f"{c.pending}; không xếp loại (miễn, đình chỉ sinh hoạt, chuyển sinh hoạt trong năm): {c.not_graded}; "
            f"chưa kiểm điểm (kết nạp, chuyển đến sau khi triển khai): {c.not_reviewed}; trong đó chuyển sinh "
            f"hoạt trong năm: {c.transferred}."
        ),
        Para(f"Kết quả xếp loại: {shares}."),
        Table(report_table(result), widths_mm=[10, 40, 14, 16, 16, 16, 16, 14, 14, 14]),
        Para("II. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI TỔ CHỨC ĐẢNG TRỰC THUỘC", bold=True, indent=False, align="left"),
        Para(
            f"Tổng số tổ chức đảng trực thuộc được đánh giá: {o.total}; đã có quyết định xếp loại: {o.decided}; "
            f"chưa có quyết định: {o.pending}."
        ),
        Para(f"Kết quả xếp loại: {org_shares}."),
        Table(org_table(orgs), widths_mm=[10, 50, 22, 18, 18, 18, 18, 18]),
    ]
    return PartyDocument(
        header=Header(
            issuer=committee_name(org),
            higher=parent.name if parent else "",
            number_code="BC",
            place=document_place(),
            date=timezone.localdate(),
        ),
        kind="BÁO CÁO",
        subject=f"Kết quả đánh giá, xếp loại đảng viên {period_words(year, period)} và tổ chức đảng trực thuộc",
        paragraphs=paragraphs,
        signature=Signature(on_behalf="T/M ĐẢNG ỦY" if parent else "", title="BÍ THƯ"),
        recipients=["Như trên", "Lưu văn phòng"],
    ).to_bytes()


RESULT_HEAD = [
    "STT",
    "Họ và tên",
    "Chi bộ",
    "Mẫu",
    "Điểm",
    "Tự xếp loại",
    "Chi bộ đề xuất",
    "Xếp loại",
    "Quyết định",
    "Ngày quyết định",
    "Không xếp loại",
]


def results_xlsx(campaign: Campaign, user) -> bytes:
    """The campaign's reviews the user may see, one row each."""
    labels = dict(Grade.choices)
    rows = (
        reviews_for(user)
        .filter(campaign=campaign)
        .select_related("member", "organisation", "decision")
        .order_by("organisation__path", "member__name_sort", "id")
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(f"Xep loai {campaign.year}")
    head = []
    for title in RESULT_HEAD:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        head.append(cell)
    ws.append(head)
    for n, r in enumerate(rows.iterator(chunk_size=2000), 1):
        ws.append(
            [
                n,
                safe_text(r.member.full_name),
                safe_text(r.organisation.name),
                r.form,
                float(r.points) if r.points is not None else None,
                str(labels.get(r.self_grade, "")),
                str(labels.get(r.proposed_grade, "")),
                str(labels.get(r.grade, "")),
                r.decision.document_number if r.decision else "",
                r.decision.document_date if r.decision else None,
                str(r.get_exclusion_display()) if r.exclusion else "",
            ]
        )
    _org_sheet(wb, campaign, user)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


ORG_RESULT_HEAD = ["STT", "Tổ chức đảng", "Điểm", "Tự xếp loại", "Xếp loại", "Quyết định", "Ngày quyết định"]


def _bold_row(ws, values: list) -> None:
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=value)
        cell.font = Font(bold=True)
        cells.append(cell)
    ws.append(cells)


def _org_sheet(wb: Workbook, campaign: Campaign, user) -> None:
    """The organisations' reviews of the campaign the user may see, one row each; then, when the user sees
    the campaign's whole subtree, the distribution of their grades per predecessor and combined (numbers)."""
    labels = dict(Grade.choices)
    ws = wb.create_sheet("To chuc dang")
    _bold_row(ws, ORG_RESULT_HEAD)
    rows = org_reviews_for(user).filter(campaign=campaign).select_related("organisation").order_by("org_path", "id")
    for n, r in enumerate(rows.iterator(chunk_size=2000), 1):
        ws.append(
            [
                n,
                safe_text(r.organisation.name),
                float(r.points) if r.points is not None else None,
                str(labels.get(r.self_grade, "")),
                str(labels.get(r.grade, "")),
                r.document_number,
                r.document_date,
            ]
        )
    if not can(user, "reviews.view", campaign.organisation.path):
        return
    ws.append([])
    table = org_table(orgreviews.distribution(campaign.organisation, campaign.year, period=campaign.period))
    _bold_row(ws, table[0])
    for row in table[1:]:
        ws.append([int(row[0]) if row[0] else None, safe_text(row[1]), *(int(v) for v in row[2:])])
