"""The inspection (or supervision) decision and its conclusion as DOCX in the Party format (Hướng dẫn
36-HD/VPTW; dangvu.documents.partydoc; issue 12 item 7):

- "QUYẾT ĐỊNH về việc kiểm tra … đối với …", issued by the conducting body (its committee or its inspection
  committee) under the decision's number and date: the grounds (the Party Statute, Quy định 296-QĐ/TW, the
  year's programme), the articles (what is inspected or supervised, of whom, when; the team; who executes);
- "THÔNG BÁO kết luận kiểm tra …" under the conclusion's number and date: what was done, the conclusion as
  written and the remediation required with owners and deadlines.
Signed for the inspection committee by its chair (CHỦ NHIỆM), for a committee by its secretary."""

from __future__ import annotations

from django.utils import translation

from dangvu.documents.admission import GeneratedDocument, committee_name, document_place, secretary_on
from dangvu.documents.partydoc import Header, Para, PartyDocument, Signature, Table
from dangvu.inspection.models import Activity, Kind, Mode, Organ
from dangvu.lib.dates import fmt
from dangvu.orgs.queries import parent_on

KIND_VI = {Kind.INSPECTION: "kiểm tra", Kind.SUPERVISION: "giám sát"}
MODE_VI = {Mode.REGULAR: "thường xuyên", Mode.THEMATIC: "chuyên đề", Mode.SIGNS: "khi có dấu hiệu vi phạm"}
GROUNDS = [
    "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
    "Căn cứ Quy định số 296-QĐ/TW ngày 30/5/2025 của Ban Chấp hành Trung ương về công tác kiểm tra, giám sát "
    "và kỷ luật của Đảng;",
]


def _issuer(activity: Activity) -> str:
    name = committee_name(activity.organisation)
    return f"Ủy ban Kiểm tra {name}" if activity.organ == Organ.INSPECTION else name


def _signature(activity: Activity, day) -> Signature:
    if activity.organ == Organ.INSPECTION:
        return Signature("T/M ỦY BAN KIỂM TRA", "CHỦ NHIỆM", "")
    whom = "T/M CHI BỘ" if activity.organisation.holds_members else "T/M ĐẢNG ỦY"
    return Signature(whom, "BÍ THƯ", secretary_on(activity.organisation, day))


def _header(activity: Activity, number: str, day, code: str) -> Header:
    higher = parent_on(activity.organisation, day)
    return Header(
        issuer=_issuer(activity),
        higher=committee_name(higher) if higher else "",
        number=number,
        place=document_place(),
        date=day,
        number_code=code,
    )


def _what(activity: Activity) -> str:
    """ "kiểm tra chuyên đề", "giám sát thường xuyên", "kiểm tra khi có dấu hiệu vi phạm"."""
    return f"{KIND_VI[Kind(activity.kind)]} {MODE_VI[Mode(activity.mode)]}"


def _subjects(activity: Activity) -> str:
    names = []
    for s in activity.subjects.select_related("organisation", "member").order_by("id"):
        names.append(f"đồng chí {s.member.full_name} ({s.organisation.name})" if s.member_id else s.organisation.name)
    return "; ".join(names)


def decision(activity: Activity) -> GeneratedDocument:
    """The decision to inspect or supervise (dated its decision date, else its first day)."""
    day = activity.decided_on or activity.start
    issuer = _issuer(activity)
    what = _what(activity)
    with translation.override("vi"):
        grounds = list(GROUNDS)
        if activity.programme_id:
            p = activity.programme
            grounds.append(
                f"Căn cứ Chương trình kiểm tra, giám sát năm {p.year}"
                + (f" số {p.document_number}" if p.document_number else "")
                + f" của {_issuer(activity)};"
            )
        grounds.append("Xét đề nghị của bộ phận tham mưu,")
        team = [line.strip() for line in activity.team.splitlines() if line.strip()]
        articles = [
            f"{what.capitalize()} đối với {_subjects(activity)}. Nội dung: {activity.title.strip().rstrip('.')}. "
            f"Thời gian từ ngày {fmt(activity.start)} đến ngày {fmt(activity.end)}.",
            "Thành phần đoàn (tổ): " + ("; ".join(team) + "." if team else "theo phân công."),
            "Đoàn (tổ), các tổ chức đảng và đảng viên có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
        ]
        document = PartyDocument(
            header=_header(activity, activity.decision_number, day, "QĐ"),
            kind="QUYẾT ĐỊNH",
            subject=f"về việc {what} đối với {_subjects(activity)}",
            paragraphs=grounds,
            enacting=f"{issuer.upper()} QUYẾT ĐỊNH:",
            articles=articles,
            signature=_signature(activity, day),
            recipients=["Như Điều 3", "Cấp ủy cấp trên (để báo cáo)", "Lưu hồ sơ kiểm tra, giám sát"],
        )
        content = document.to_bytes()
    return GeneratedDocument(f"quyet-dinh-kiem-tra-giam-sat-{activity.pk}.docx", content)


def conclusion(activity: Activity) -> GeneratedDocument:
    """The notice of the conclusion of a concluded activity, with the remediation required."""
    if not activity.concluded_on:
        raise ValueError("the activity is not concluded")
    day = activity.concluded_on
    what = _what(activity)
    with translation.override("vi"):
        opening = (
            f"Thực hiện {('Quyết định số ' + activity.decision_number) if activity.decision_number else 'quyết định'}"
        )
        if activity.decided_on:
            opening += f" ngày {fmt(activity.decided_on)}"
        opening += (
            f" của {_issuer(activity)}, từ ngày {fmt(activity.start)} đến ngày {fmt(activity.end)} đoàn (tổ) đã "
            f"tiến hành {what} đối với {_subjects(activity)} về {activity.title.strip().rstrip('.')}. "
            f"Xét báo cáo kết quả, {_issuer(activity)} kết luận như sau:"
        )
        paragraphs: list = [opening]
        paragraphs += [Para(line.strip()) for line in activity.conclusion.splitlines() if line.strip()]
        items = list(activity.remediations.all())
        if items:
            paragraphs.append(Para("Yêu cầu khắc phục:", bold=True))
            rows = [["STT", "Nội dung khắc phục", "Chịu trách nhiệm", "Thời hạn"]]
            rows += [[str(i), r.description, r.owner, fmt(r.deadline)] for i, r in enumerate(items, 1)]
            paragraphs.append(Table(rows, widths_mm=[12, 85, 40, 28]))
        document = PartyDocument(
            header=_header(activity, activity.conclusion_number, day, "TB"),
            kind="THÔNG BÁO",
            subject=f"kết luận {what} đối với {_subjects(activity)}",
            paragraphs=paragraphs,
            signature=_signature(activity, day),
            recipients=[
                "Tổ chức đảng, đảng viên được " + KIND_VI[Kind(activity.kind)],
                "Cấp ủy cấp trên (để báo cáo)",
                "Lưu hồ sơ",
            ],
        )
        content = document.to_bytes()
    return GeneratedDocument(f"thong-bao-ket-luan-{activity.pk}.docx", content)
