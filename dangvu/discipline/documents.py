"""The discipline decision as DOCX in the Party format (Hướng dẫn 36-HD/VPTW; dangvu.documents.partydoc):
"QUYẾT ĐỊNH thi hành kỷ luật …" issued by the deciding body, numbered by its decision number, with the
grounds, the articles (the form and the person or organisation, the effective date, who executes it) and
the signature of the body's secretary (or head of the inspection committee)."""

from __future__ import annotations

from django.utils import translation

from dangvu.discipline.models import Case, Form, Organ, SubjectKind
from dangvu.documents.admission import GeneratedDocument, committee_name, document_place, secretary_on
from dangvu.documents.partydoc import Header, PartyDocument, Signature
from dangvu.lib.dates import fmt
from dangvu.orgs.queries import parent_on
from dangvu.rules.registry import rules_on

FORMS_VI = {
    Form.REPRIMAND: "khiển trách",
    Form.WARNING: "cảnh cáo",
    Form.REMOVAL: "cách chức",
    Form.EXPULSION: "khai trừ ra khỏi Đảng",
    Form.DISSOLUTION: "giải tán",
}
GROUNDS = [
    "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
    "Căn cứ Quy định của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng;",
    "Căn cứ Quy định của Bộ Chính trị về xử lý kỷ luật tổ chức đảng, đảng viên vi phạm;",
]


def _issuer(case: Case) -> str:
    org = case.decided_by
    if case.organ == Organ.INSPECTION:
        return f"Ủy ban Kiểm tra {committee_name(org)}"
    if case.organ == Organ.STANDING:
        return f"Ban Thường vụ {committee_name(org)}"
    return committee_name(org)


def _signature(case: Case) -> Signature:
    if case.organ == Organ.INSPECTION:
        return Signature("T/M ỦY BAN KIỂM TRA", "CHỦ NHIỆM", case.issuer)
    if case.organ == Organ.STANDING:
        return Signature(
            "T/M BAN THƯỜNG VỤ", "BÍ THƯ", case.issuer or secretary_on(case.decided_by, case.document_date)
        )
    whom = "T/M CHI BỘ" if case.decided_by.holds_members else "T/M ĐẢNG ỦY"
    return Signature(whom, "BÍ THƯ", case.issuer or secretary_on(case.decided_by, case.document_date))


def decision(case: Case) -> GeneratedDocument:
    """The decision of a decided case (its form as decided; an appeal's outcome is a document of the body
    that settled it)."""
    if not case.form:
        raise ValueError("the case has no decision")
    issuer = _issuer(case)
    higher = parent_on(case.decided_by, case.document_date)
    form = FORMS_VI[case.form]
    category = rules_on(case.opened_on)["discipline.categories"].get(case.category, {}).get("label", case.category)
    with translation.override("vi"):
        if case.subject_kind == SubjectKind.MEMBER:
            who = f"đồng chí {case.member.full_name}, đảng viên {case.organisation.name}"
            if case.form == Form.REMOVAL and case.seat_id:
                who += f", {case.seat.get_position_display().lower()} {case.seat.committee.organisation.name}"
        else:
            who = case.organisation.name
        reasons = [
            *GROUNDS,
            f"Xét vi phạm ({category}) xảy ra ngày {fmt(case.violation_date)}: {case.facts.strip().rstrip('.')}.",
        ]
        articles = [
            f"Thi hành kỷ luật bằng hình thức {form} đối với {who}.",
            f"Quyết định có hiệu lực từ ngày {fmt(case.effective_date)}.",
            "Các tổ chức đảng có liên quan và "
            + ("đồng chí có tên tại Điều 1" if case.member_id else "tổ chức đảng có tên tại Điều 1")
            + " chịu trách nhiệm thi hành Quyết định này.",
        ]
        document = PartyDocument(
            header=Header(
                issuer=issuer,
                higher=committee_name(higher) if higher else "",
                number=case.document_number,
                place=document_place(),
                date=case.document_date,
                number_code="QĐ",
            ),
            kind="QUYẾT ĐỊNH",
            subject=f"về việc thi hành kỷ luật {form} đối với {case.subject_name}",
            paragraphs=reasons,
            enacting=f"{issuer.upper()} QUYẾT ĐỊNH:",
            articles=articles,
            signature=_signature(case),
            recipients=["Như Điều 3", "Cấp ủy cấp trên (để báo cáo)", "Lưu hồ sơ kỷ luật"],
        )
        content = document.to_bytes()
    return GeneratedDocument(f"quyet-dinh-ky-luat-{case.pk}.docx", content)
