"""Documents of the yearly review (issue 11 item 7): the committee's classification report (DOCX in the
Party format, dangvu.documents.partydoc) with its table per organisation and predecessor, and the results
of a campaign as XLSX. Both read dangvu.reviews.stats / the user's reviews only (scope of the caller)."""

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
from dangvu.reviews import stats
from dangvu.reviews.access import reviews_for
from dangvu.reviews.models import Campaign, Grade

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


def classification_report(org: Organisation, year: int) -> bytes:
    result = stats.distribution(org, year)
    c = result.combined
    parent = Organisation.objects.get_parent(org)
    shares = "; ".join(f"{label}: {c.grades[g]} ({percent(c.grades[g], c.decided)})" for g, label in GRADE_COLUMNS)
    paragraphs = [
        Para(
            f"Tổng số đảng viên: {c.total}; đã có quyết định xếp loại: {c.decided}; chưa có quyết định: "
            f"{c.pending}; không xếp loại (miễn, đình chỉ sinh hoạt, chuyển sinh hoạt trong năm): {c.not_graded}; "
            f"chưa kiểm điểm (kết nạp, chuyển đến sau khi triển khai): {c.not_reviewed}; trong đó chuyển sinh "
            f"hoạt trong năm: {c.transferred}."
        ),
        Para(f"Kết quả xếp loại: {shares}."),
        Table(report_table(result), widths_mm=[10, 40, 14, 16, 16, 16, 16, 14, 14, 14]),
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
        subject=f"Kết quả đánh giá, xếp loại đảng viên năm {year}",
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
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
