"""Documents of a member's review (issue 11 item 7), as DOCX in the Party layout (dangvu.documents.partydoc):

- `review_form(review)`: the member's review form (bản kiểm điểm đảng viên) of their situation — Mẫu 2A,
  2B or 2C of Hướng dẫn 43-HD/BTCTW, the form chosen in the self-assessment — filled from it: the criteria
  groups of the campaign's rules with their maximum and the points given and evidence, the tasks of the year
  (on time, exceeded), shortcomings and remedy, the total and the grade the member proposes; then, once
  they exist, the cell's comments and proposed grade and the committee's grade with its decision. Signed by
  the member (the signed form is the submitted one; before submission it is marked "DỰ THẢO").
- `review_minutes(campaign, meeting)`: the minutes of the cell's review meeting — the meeting's own minutes
  (dangvu.documents.meetings: time, attendance, agenda, votes, conclusions, signatures) with the table of the
  proposals recorded at that meeting, one row per member with the vote that adopted it; after the
  signatures, the appendix (PHỤ LỤC) listing each member's proposed grade and the vote on it (entitled, in
  favour, against, not voting, the share in favour, the result).

The text is Vietnamese whatever the page's language: these are Party documents.
"""

from __future__ import annotations

import io

from django.utils import timezone, translation

from dangvu.documents.admission import GeneratedDocument, committee_name, document_place
from dangvu.documents.meetings import minutes_layout
from dangvu.documents.partydoc import (
    Para,
    Signature,
    Table,
    add_block,
    add_line,
    add_signature,
    form_document,
    percent,
    place_and_date,
)
from dangvu.lib.dates import fmt
from dangvu.orgs.models import Organisation
from dangvu.reviews.forms_rule import ReviewRules
from dangvu.reviews.models import Campaign, Grade, Period, Review, ReviewState

GRADE = {
    Grade.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    Grade.GOOD: "Hoàn thành tốt nhiệm vụ",
    Grade.COMPLETED: "Hoàn thành nhiệm vụ",
    Grade.NOT_COMPLETED: "Không hoàn thành nhiệm vụ",
}
DOTS = "…………………………………………"


def _points(value) -> str:
    return "" if value in (None, "") else str(value).replace(".", ",")


def review_form(review: Review) -> GeneratedDocument:
    campaign = review.campaign
    rules = ReviewRules.on(campaign.rules_date)
    form = rules.forms.get(review.form) or {}
    cell = review.organisation
    parent = Organisation.objects.get_parent(cell)
    member = review.member
    with translation.override("vi"):
        doc = form_document(f"Bản kiểm điểm đảng viên năm {campaign.year}", member.full_name)
        if review.state == ReviewState.DRAFT:
            add_line(doc, "DỰ THẢO", size=14, bold=True, align="right")
        add_line(doc, f"Mẫu {review.form}" if review.form else "", size=12, italic=True, align="right")
        if parent is not None:
            add_line(doc, committee_name(parent).upper(), size=13, align="left")
        add_line(doc, cell.name.upper(), size=13, bold=True, align="left")
        add_line(doc, "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True, underline=True, align="right")
        day = review.submitted_at.date() if review.submitted_at else None
        add_line(doc, place_and_date(document_place(), day), size=14, italic=True, align="right")
        add_line(doc, "")
        add_line(doc, "BẢN KIỂM ĐIỂM ĐẢNG VIÊN", size=16, bold=True)
        add_line(doc, f"Năm {campaign.year}", size=14, bold=True)
        if form.get("label"):
            add_line(doc, f"({form['label']})", size=13, italic=True)
        add_line(doc, "")
        for label, value in (
            ("Họ và tên", member.full_name),
            ("Ngày sinh", fmt(member.birth_date)),
            ("Chức vụ", member.position or DOTS),
            ("Đơn vị công tác", member.occupation or DOTS),
            ("Sinh hoạt tại chi bộ", cell.name),
        ):
            add_block(doc, Para(f"{label}: {value}", indent=False, align="left"))
        add_block(doc, Para("I. TỰ ĐÁNH GIÁ THEO CÁC NHÓM TIÊU CHÍ", bold=True, indent=False, align="left"))
        rows = [["STT", "Nhóm tiêu chí", "Điểm tối đa", "Điểm tự chấm", "Minh chứng"]]
        for n, group in enumerate(rules.groups(review.form), 1):
            rows.append(
                [
                    str(n),
                    group.label,
                    str(group.max),
                    _points(review.scores.get(group.code)),
                    review.evidence.get(group.code, ""),
                ]
            )
        rows.append(["", "Tổng cộng", str(sum(g.max for g in rules.groups(review.form))), _points(review.points), ""])
        add_block(doc, Table(rows, widths_mm=[12, 70, 22, 22, 39]))
        add_block(
            doc, Para("II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO TRONG NĂM", bold=True, indent=False, align="left")
        )
        tasks = [["STT", "Nhiệm vụ", "Đúng tiến độ", "Vượt yêu cầu"]]
        for n, task in enumerate(review.tasks, 1):
            tasks.append(
                [str(n), task["title"], "Có" if task.get("on_time") else "Chậm", "Có" if task.get("exceeded") else ""]
            )
        if len(tasks) == 1:
            tasks.append(["", "Không kê khai nhiệm vụ.", "", ""])
        add_block(doc, Table(tasks, widths_mm=[12, 103, 25, 25]))
        add_block(doc, Para("III. HẠN CHẾ, KHUYẾT ĐIỂM VÀ BIỆN PHÁP KHẮC PHỤC", bold=True, indent=False, align="left"))
        add_block(doc, Para(f"Hạn chế, khuyết điểm: {review.shortcomings or DOTS}"))
        add_block(doc, Para(f"Biện pháp khắc phục: {review.remedy or DOTS}"))
        add_block(doc, Para("IV. TỰ NHẬN MỨC XẾP LOẠI", bold=True, indent=False, align="left"))
        add_block(
            doc,
            Para(f"Tổng số điểm: {_points(review.points) or DOTS}. Tự xếp loại: {GRADE.get(review.self_grade, DOTS)}."),
        )
        add_signature(doc, Signature(title="NGƯỜI TỰ KIỂM ĐIỂM", name=member.full_name))
        if review.proposed_grade:
            add_block(doc, Para("NHẬN XÉT, ĐÁNH GIÁ CỦA CHI BỘ", bold=True, indent=False, align="center"))
            if review.comments:
                add_block(doc, Para(review.comments))
            add_block(
                doc,
                Para(f"Chi bộ đề xuất xếp loại: {GRADE[review.proposed_grade]} (họp ngày {fmt(review.proposed_on)})."),
            )
        if review.grade and review.decision_id:
            decision = review.decision
            add_block(doc, Para("XẾP LOẠI CỦA CẤP ỦY", bold=True, indent=False, align="center"))
            add_block(
                doc,
                Para(
                    f"{committee_name(decision.organisation)} xếp loại: {GRADE[review.grade]} "
                    f"(Quyết định số {decision.document_number} ngày {fmt(decision.document_date)})."
                ),
            )
    buffer = io.BytesIO()
    doc.save(buffer)
    return GeneratedDocument(f"ban-kiem-diem-{campaign.year}-{review.pk}.docx", buffer.getvalue())


def _vote(review: Review) -> str:
    vote = review.vote
    if vote is None:
        return ""
    verdict = "thông qua" if vote.passed else "không thông qua"
    return f"{vote.question}: {vote.yes or 0}/{vote.eligible or 0} tán thành, {verdict}"


def proposals_table(reviews: list[Review]) -> Table:
    rows = [["STT", "Họ và tên", "Mẫu", "Điểm", "Tự xếp loại", "Chi bộ đề xuất", "Biểu quyết", "Ý kiến chi bộ"]]
    for n, r in enumerate(reviews, 1):
        rows.append(
            [
                str(n),
                r.member.full_name,
                r.form,
                _points(r.points),
                GRADE.get(r.self_grade, ""),
                GRADE.get(r.proposed_grade, ""),
                _vote(r),
                r.comments,
            ]
        )
    return Table(rows, widths_mm=[10, 32, 12, 13, 24, 24, 28, 22])


def _share(part: int | None, whole: int | None) -> str:
    return percent(part or 0, whole) if whole else ""


def appendix_table(reviews: list[Review]) -> Table:
    """One row per member: the grade the cell proposes and the vote adopting it (entitled, in favour,
    against, not voting, share in favour, result)."""
    rows = [
        [
            "STT",
            "Họ và tên",
            "Chi bộ đề xuất xếp loại",
            "Nội dung biểu quyết",
            "Số có quyền biểu quyết",
            "Tán thành",
            "Không tán thành",
            "Không biểu quyết",
            "Tỷ lệ tán thành",
            "Kết quả",
        ]
    ]
    for n, r in enumerate(reviews, 1):
        v = r.vote
        counts = ["", "", "", "", "", "Không biểu quyết riêng"]
        if v is not None:
            result = "Thông qua" if v.passed else "Không thông qua"
            counts = [str(v.eligible or 0), str(v.yes or 0), str(v.no or 0), str(v.abstain or 0)]
            counts += [_share(v.yes, v.eligible), result]
        rows.append([str(n), r.member.full_name, GRADE.get(r.proposed_grade, ""), v.question if v else "", *counts])
    return Table(rows, widths_mm=[9, 30, 22, 26, 14, 12, 13, 13, 14, 17])


def _appendix(doc, campaign: Campaign, reviews: list[Review]) -> None:
    """The appendix after the signatures: each member's proposed grade and the vote on it."""
    add_block(doc, Para("PHỤ LỤC", bold=True, align="center", indent=False))
    add_block(
        doc,
        Para(
            f"Danh sách đảng viên, mức xếp loại chi bộ đề xuất và kết quả biểu quyết ({_period(campaign)})",
            bold=True,
            align="center",
            indent=False,
        ),
    )
    if not reviews:
        add_block(doc, Para("Cuộc họp chưa ghi đề xuất xếp loại nào.", indent=False))
        return
    add_block(doc, appendix_table(reviews))


def _period(campaign: Campaign) -> str:
    return f"nhiệm kỳ {campaign.period_label}" if campaign.period == Period.TERM else f"năm {campaign.year}"


def review_minutes(campaign: Campaign, meeting) -> GeneratedDocument:
    """The meeting's minutes with the review's proposals recorded at it (a draft until the meeting's minutes
    are approved, as the meeting's own)."""
    reviews = list(
        Review.objects.filter(campaign=campaign, meeting=meeting)
        .select_related("member", "vote")
        .order_by("member__name_sort", "id")
    )
    with translation.override("vi"):
        layout, _record = minutes_layout(meeting)
        layout.subject = f"Kiểm điểm, đánh giá, xếp loại đảng viên {_period(campaign)}"
        counts = {g: sum(1 for r in reviews if r.proposed_grade == g) for g in GRADE}
        summary = "; ".join(f"{label}: {counts[g]}" for g, label in GRADE.items())
        result = [
            Para("KẾT QUẢ KIỂM ĐIỂM VÀ ĐỀ XUẤT XẾP LOẠI ĐẢNG VIÊN", bold=True, indent=False, align="left"),
            Para(f"Chi bộ đề xuất xếp loại {len(reviews)} đảng viên: {summary}."),
            proposals_table(reviews),
        ]
        ending = layout.paragraphs.pop()  # the meeting's end time stays last
        layout.paragraphs.extend([*result, ending])
        doc = layout.build()
        _appendix(doc, campaign, reviews)
    buffer = io.BytesIO()
    doc.save(buffer)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return GeneratedDocument(f"bien-ban-kiem-diem-{campaign.year}-{meeting.pk}-{stamp}.docx", buffer.getvalue())
