"""Admission forms generated from the record (issue 3, item 6): the resolutions and decisions of a
candidate's file (Hướng dẫn 12-HD/BTCTW forms, laid out per Hướng dẫn 36-HD/VPTW by partydoc).

One builder per stage that has a form; `document_for(step)` returns the file name and the DOCX bytes.
Everything comes from the record: the candidate, the cell and its ancestors (current names), the votes
and document numbers of the steps, the member record after the ceremony, the probation length from the
rule set in force, and the secretary holding the seat of the issuing organisation on the document's
date (the signer) when the committee seats are recorded. The place in the date line is the setting
DANGVU_DOCUMENT_PLACE (default "Cần Thơ").
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from dangvu.accounts import privacy
from dangvu.admission.models import Candidate, CandidateStep, Stage
from dangvu.admission.services import live_steps
from dangvu.documents.partydoc import Header, Para, PartyDocument, Signature, percent
from dangvu.lib.dates import add_months, fmt
from dangvu.lib.text import fold
from dangvu.members.models import Member
from dangvu.orgs.models import CommitteeSeat, Organisation, OrgKind, Position
from dangvu.rules.registry import rules_on

DEFAULT_PLACE = "Cần Thơ"
# The grounds cited by decisions. Text of the documents, not rule values: update when the regulation
# implementing the Statute is replaced.
STATUTE = "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;"
STATUTE_RULES = "Căn cứ Quy định số 294-QĐ/TW của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng;"
DOTS = "." * 60


@dataclass(frozen=True)
class GeneratedDocument:
    filename: str
    content: bytes


def document_place() -> str:
    return getattr(settings, "DANGVU_DOCUMENT_PLACE", DEFAULT_PLACE)


# --- Organisations ------------------------------------------------------------------------------------


def committee_name(org: Organisation) -> str:
    """The body that issues for an organisation: a cell issues as itself ("Chi bộ Phòng Một"), a party
    organisation through its committee ("Đảng bộ Sở Một" → "Đảng ủy Sở Một")."""
    if org.kind in OrgKind.member_holding():
        return org.name
    words = org.name.split(" ", 2)
    if len(words) >= 2 and fold(" ".join(words[:2])) == "dang bo":
        return " ".join(["Đảng ủy", *words[2:]])
    return org.name


@dataclass(frozen=True)
class Chain:
    """The cell and its ancestors, nearest first."""

    cell: Organisation
    ancestors: list[Organisation]  # parent first, root last

    @classmethod
    def of(cls, cell: Organisation) -> Chain:
        return cls(cell, list(reversed(list(Organisation.objects.get_ancestors(cell)))))

    def parent_of(self, org: Organisation) -> Organisation | None:
        line = [self.cell, *self.ancestors]
        index = next(i for i, o in enumerate(line) if o.pk == org.pk)
        return line[index + 1] if index + 1 < len(line) else None

    @property
    def grassroots(self) -> Organisation:
        """The grassroots organisation (đảng bộ cơ sở or chi bộ cơ sở) the cell belongs to."""
        for org in [self.cell, *self.ancestors]:
            if org.kind in OrgKind.grassroots():
                return org
        return self.cell

    @property
    def above_grassroots(self) -> Organisation | None:
        return self.parent_of(self.grassroots)

    def matching(self, issuer: str) -> Organisation | None:
        """The ancestor a committee name names ("Đảng ủy các cơ quan A" → Đảng bộ các cơ quan A)."""
        wanted = fold(issuer)
        for org in [self.cell, *self.ancestors]:
            if wanted in {fold(org.name), fold(committee_name(org))}:
                return org
        return None


def secretary_on(org: Organisation | None, day: dt.date) -> str:
    """The name of the secretary holding the seat of `org`'s committee on `day`, or ''."""
    if org is None:
        return ""
    seat = (
        CommitteeSeat.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
            committee__organisation=org,
            position=Position.SECRETARY,
            valid_from__lte=day,
        )
        .select_related("member")
        .order_by("-valid_from")
        .first()
    )
    return seat.member.full_name if seat else ""


def _name(org: Organisation | None) -> str:
    return org.name if org else ""


# --- Candidate and steps ------------------------------------------------------------------------------


def _doc_date(step: CandidateStep) -> dt.date:
    return step.document_date or step.date


def _identity(candidate: Candidate) -> str:
    """'Nguyễn Văn X, sinh ngày 05/04/1998; quê quán: …; nghề nghiệp: …' (known fields only; a field the
    reader may not see was blanked by `document_for`)."""
    born = f", sinh ngày {fmt(candidate.birth_date)}" if candidate.birth_date else ""
    parts = [f"{candidate.full_name}{born}"]
    if candidate.home_town:
        parts.append(f"quê quán: {candidate.home_town}")
    if candidate.occupation:
        parts.append(f"nghề nghiệp: {candidate.occupation}")
    if candidate.position:
        parts.append(f"chức vụ, đơn vị công tác: {candidate.position}")
    return "; ".join(parts)


def _reference(step: CandidateStep | None, default_issuer: str) -> str:
    """'Nghị quyết số 12-NQ/CB ngày 10/04/2024 của Chi bộ Phòng Một' (number and date when recorded)."""
    if step is None:
        return ""
    number = f" số {step.document_number}" if step.document_number else ""
    issuer = step.issuer or default_issuer
    return f"{number} ngày {fmt(_doc_date(step))} của {issuer}"


def _votes(step: CandidateStep, body: str) -> str:
    """'Tổng số đảng viên chính thức: 3; tán thành: 2 (đạt 66,67%); không tán thành: 1.'"""
    eligible = step.votes_eligible or 0
    agreed = step.votes_for or 0
    line = f"Tổng số {body}: {eligible}; tán thành: {agreed} (đạt {percent(agreed, eligible)})"
    if step.votes_against is not None:
        line += f"; không tán thành: {step.votes_against} ({percent(step.votes_against, eligible)})"
    return line + "."


def _header(issuer: str, higher: Organisation | None, step: CandidateStep, code: str) -> Header:
    return Header(
        issuer=issuer,
        higher=_name(higher),
        number=step.document_number,
        number_code=code,
        place=document_place(),
        date=_doc_date(step),
    )


@dataclass(frozen=True)
class Probation:
    start: dt.date | None  # the ceremony: probation runs from it
    months: int
    end: dt.date | None  # official from this date (end of the probation)


def _probation(candidate: Candidate, steps: dict[str, CandidateStep]) -> Probation:
    """The probation: its length in force on the admission decision; its end from the member record when
    it has one, otherwise the ceremony plus that length."""
    ceremony = steps.get(Stage.CEREMONY)
    decision = steps.get(Stage.DECISION)
    start = ceremony.date if ceremony else None
    basis = decision.date if decision else start
    months = rules_on(basis)["admission.probation_months"]
    member: Member | None = candidate.member
    end = (member.official_date or member.probation_end) if member else None
    if end is None and start is not None:
        end = add_months(start, months)
    return Probation(start, months, end)


def _admission_line(candidate: Candidate, steps: dict[str, CandidateStep], chain: Chain) -> str:
    decision = steps.get(Stage.DECISION)
    probation = _probation(candidate, steps)
    line = f"đồng chí {_identity(candidate)}, đảng viên dự bị thuộc {chain.cell.name}"
    if decision:
        decider = chain.above_grassroots
        default = committee_name(decider) if decider else ""
        line += f", được kết nạp vào Đảng theo Quyết định{_reference(decision, default)}"
    if probation.start:
        line += f"; thời kỳ dự bị {probation.months} tháng kể từ ngày {fmt(probation.start)}"
    return line


# --- Forms ------------------------------------------------------------------------------------------


def cell_resolution(step: CandidateStep, candidate: Candidate, chain: Chain, steps) -> PartyDocument:
    cell = chain.cell
    parent = chain.parent_of(cell)
    proposes_to = chain.above_grassroots if cell.kind == OrgKind.GRASSROOTS_CELL else chain.grassroots
    target = committee_name(proposes_to) if proposes_to and proposes_to.pk != cell.pk else "cấp ủy cấp trên"
    return PartyDocument(
        header=_header(cell.name, parent, step, "NQ"),
        kind="NGHỊ QUYẾT",
        subject="đề nghị kết nạp đảng viên",
        paragraphs=[
            f"Ngày {fmt(step.date)}, {cell.name} họp xét đề nghị kết nạp quần chúng {candidate.full_name} "
            "vào Đảng Cộng sản Việt Nam.",
            f"Quần chúng {_identity(candidate)}.",
            "Sau khi nghiên cứu hồ sơ, nghe ý kiến giới thiệu của đảng viên chính thức, nhận xét của tổ chức "
            f"đoàn thể và chi ủy nơi cư trú, chi bộ thống nhất kết luận về quần chúng {candidate.full_name}:",
            Para(f"Ưu điểm: {DOTS}", lead="1."),
            Para(f"Khuyết điểm: {DOTS}", lead="2."),
            Para(
                f"Kết quả biểu quyết đề nghị kết nạp: {_votes(step, 'đảng viên chính thức')}",
                lead="3.",
            ),
            f"{cell.name} đề nghị {target} xem xét, quyết định kết nạp quần chúng {candidate.full_name} "
            "vào Đảng Cộng sản Việt Nam.",
        ],
        signature=Signature("T/M CHI BỘ", "BÍ THƯ", secretary_on(cell, _doc_date(step))),
        recipients=[target, "Lưu chi bộ"],
    )


def committee_resolution(step: CandidateStep, candidate: Candidate, chain: Chain, steps) -> PartyDocument:
    grassroots = chain.grassroots
    above = chain.above_grassroots
    issuer = committee_name(grassroots)
    proposal = steps.get(Stage.CELL_RESOLUTION)
    target = f"Ban Thường vụ {committee_name(above)}" if above else "cấp ủy cấp trên"
    return PartyDocument(
        header=_header(issuer, above, step, "NQ"),
        kind="NGHỊ QUYẾT",
        subject="đề nghị kết nạp đảng viên",
        paragraphs=[
            f"Ngày {fmt(step.date)}, {issuer} họp xét đề nghị của {chain.cell.name} "
            f"(Nghị quyết{_reference(proposal, chain.cell.name)}) về việc kết nạp quần chúng "
            f"{candidate.full_name} vào Đảng Cộng sản Việt Nam.",
            f"Quần chúng {_identity(candidate)}.",
            f"Qua xem xét hồ sơ và kết quả thẩm tra lý lịch, {issuer} nhận thấy quần chúng "
            f"{candidate.full_name} đủ điều kiện, tiêu chuẩn để được kết nạp vào Đảng.",
            f"Kết quả biểu quyết: {_votes(step, 'cấp ủy viên')}",
            f"{issuer} đề nghị {target} xem xét, quyết định kết nạp quần chúng {candidate.full_name} "
            "vào Đảng Cộng sản Việt Nam.",
        ],
        signature=Signature("T/M ĐẢNG ỦY", "BÍ THƯ", secretary_on(grassroots, _doc_date(step))),
        recipients=[target, chain.cell.name, "Lưu văn phòng đảng ủy"],
    )


def _without_standing(issuer: str) -> str:
    """'Ban Thường vụ Đảng ủy các cơ quan A' → 'Đảng ủy các cơ quan A': the header names the committee;
    the standing committee appears in the enacting line and the signature (T/M BAN THƯỜNG VỤ)."""
    words = issuer.split()
    if len(words) > 3 and fold(" ".join(words[:3])) == "ban thuong vu":
        return " ".join(words[3:])
    return issuer


def _deciding(issuer: str, chain: Chain) -> tuple[str, Organisation | None, Organisation | None]:
    """(committee name, the deciding organisation when known, the organisation above it) for a decision.
    The recorded issuer text names the committee; without it, the committee above the grassroots
    organisation decides. A text naming no ancestor keeps the default's parent as the higher level."""
    default = chain.above_grassroots
    issuer = _without_standing(issuer.strip())
    if not issuer:
        return (committee_name(default) if default else ""), default, chain.parent_of(default) if default else None
    org = chain.matching(issuer)
    if org is None:
        return issuer, None, chain.parent_of(default) if default else None
    return issuer, org, chain.parent_of(org)


def _authority(committee: str) -> str:
    return f"BAN THƯỜNG VỤ {committee.upper()} QUYẾT ĐỊNH:"


def _grounds(*lines: str) -> list[Para]:
    return [Para(f"- {line}") for line in lines if line]


def decision(step: CandidateStep, candidate: Candidate, chain: Chain, steps) -> PartyDocument:
    issuer, org, higher = _deciding(step.issuer, chain)
    cell_res = steps.get(Stage.CELL_RESOLUTION)
    committee_res = steps.get(Stage.COMMITTEE_RESOLUTION)
    months = rules_on(step.date)["admission.probation_months"]
    considered = f"Xét Nghị quyết{_reference(cell_res, chain.cell.name)}" if cell_res else ""
    if committee_res:
        considered += f" và Nghị quyết{_reference(committee_res, committee_name(chain.grassroots))}"
    if considered:
        considered += f" đề nghị kết nạp quần chúng {candidate.full_name} vào Đảng;"
    return PartyDocument(
        header=_header(issuer, higher, step, "QĐ"),
        kind="QUYẾT ĐỊNH",
        subject="kết nạp đảng viên",
        paragraphs=_grounds(STATUTE, STATUTE_RULES, considered),
        enacting=_authority(issuer),
        articles=[
            f"Kết nạp quần chúng {_identity(candidate)}, vào Đảng Cộng sản Việt Nam.",
            f"Thời kỳ dự bị của đồng chí {candidate.full_name} là {months} tháng, kể từ ngày chi bộ tổ chức "
            "lễ kết nạp.",
            f"{committee_name(chain.grassroots)}, {chain.cell.name} và đồng chí {candidate.full_name} "
            "chịu trách nhiệm thi hành Quyết định này.",
        ],
        signature=Signature("T/M BAN THƯỜNG VỤ", "BÍ THƯ", secretary_on(org, _doc_date(step))),
        recipients=_unique([committee_name(chain.grassroots), chain.cell.name, "Như Điều 3", "Lưu hồ sơ đảng viên"]),
    )


def official_resolution(step: CandidateStep, candidate: Candidate, chain: Chain, steps) -> PartyDocument:
    cell = chain.cell
    parent = chain.parent_of(cell)
    proposes_to = chain.above_grassroots if cell.kind == OrgKind.GRASSROOTS_CELL else chain.grassroots
    target = committee_name(proposes_to) if proposes_to and proposes_to.pk != cell.pk else "cấp ủy cấp trên"
    recognised = step.recognised is not False
    if recognised:
        subject = "đề nghị công nhận đảng viên chính thức"
        proposal = (
            f"{cell.name} đề nghị {target} xem xét, quyết định công nhận đồng chí {candidate.full_name} "
            "là đảng viên chính thức."
        )
    else:
        subject = "đề nghị xóa tên đảng viên dự bị"
        proposal = (
            f"Đồng chí {candidate.full_name} không đủ tư cách đảng viên chính thức. {cell.name} đề nghị "
            f"{target} xem xét, quyết định xóa tên đồng chí {candidate.full_name} trong danh sách đảng viên "
            "dự bị."
        )
    return PartyDocument(
        header=_header(cell.name, parent, step, "NQ"),
        kind="NGHỊ QUYẾT",
        subject=subject,
        paragraphs=[
            f"Ngày {fmt(step.date)}, {cell.name} họp xét công nhận đảng viên chính thức cho "
            f"{_admission_line(candidate, steps, chain)}.",
            f"Sau khi nghe bản tự kiểm điểm của đảng viên dự bị, ý kiến của đảng viên được phân công giúp đỡ, "
            f"nhận xét của tổ chức đoàn thể và chi ủy nơi cư trú, chi bộ thống nhất kết luận: {DOTS}",
            f"Kết quả biểu quyết đề nghị công nhận đảng viên chính thức: {_votes(step, 'đảng viên chính thức')}",
            proposal,
        ],
        signature=Signature("T/M CHI BỘ", "BÍ THƯ", secretary_on(cell, _doc_date(step))),
        recipients=[target, "Lưu chi bộ"],
    )


def official_decision(step: CandidateStep, candidate: Candidate, chain: Chain, steps) -> PartyDocument:
    admission = steps.get(Stage.DECISION)
    # Without a recorded issuer, the committee that admitted decides on official membership.
    issuer, org, higher = _deciding(step.issuer or (admission.issuer if admission else ""), chain)
    proposal = steps.get(Stage.OFFICIAL_RESOLUTION)
    end = _probation(candidate, steps).end
    considered = ""
    if proposal:
        considered = f"Xét Nghị quyết{_reference(proposal, chain.cell.name)} và đề nghị của Ban Tổ chức;"
    if step.recognised is not False:
        subject = "công nhận đảng viên chính thức"
        first = f"Công nhận {_admission_line(candidate, steps, chain)}, là đảng viên chính thức kể từ ngày {fmt(end)}."
        second = f"{chain.cell.name} ghi vào hồ sơ đảng viên và thông báo cho đồng chí {candidate.full_name}."
    else:
        subject = "xóa tên đảng viên dự bị"
        first = (
            f"Xóa tên {_admission_line(candidate, steps, chain)}, trong danh sách đảng viên dự bị vì không đủ "
            "tư cách đảng viên chính thức."
        )
        second = f"{chain.cell.name} thông báo cho đồng chí {candidate.full_name} và lưu hồ sơ theo quy định."
    return PartyDocument(
        header=_header(issuer, higher, step, "QĐ"),
        kind="QUYẾT ĐỊNH",
        subject=subject,
        paragraphs=_grounds(STATUTE, STATUTE_RULES, considered),
        enacting=_authority(issuer),
        articles=[
            first,
            second,
            f"{committee_name(chain.grassroots)}, {chain.cell.name} và đồng chí {candidate.full_name} "
            "chịu trách nhiệm thi hành Quyết định này.",
        ],
        signature=Signature("T/M BAN THƯỜNG VỤ", "BÍ THƯ", secretary_on(org, _doc_date(step))),
        recipients=_unique([committee_name(chain.grassroots), chain.cell.name, "Như Điều 3", "Lưu hồ sơ đảng viên"]),
    )


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen


Builder = Callable[[CandidateStep, Candidate, Chain, dict], PartyDocument]

FORMS: dict[str, tuple[Builder, Callable[[CandidateStep], str]]] = {
    Stage.CELL_RESOLUTION: (cell_resolution, lambda s: "nghi-quyet-chi-bo"),
    Stage.COMMITTEE_RESOLUTION: (committee_resolution, lambda s: "nghi-quyet-dang-uy"),
    Stage.DECISION: (decision, lambda s: "quyet-dinh-ket-nap"),
    Stage.OFFICIAL_RESOLUTION: (
        official_resolution,
        lambda s: "nghi-quyet-xoa-ten" if s.recognised is False else "nghi-quyet-cong-nhan-chinh-thuc",
    ),
    Stage.OFFICIAL_DECISION: (
        official_decision,
        lambda s: "quyet-dinh-xoa-ten" if s.recognised is False else "quyet-dinh-cong-nhan-chinh-thuc",
    ),
}


def has_form(step: CandidateStep) -> bool:
    """A printable form exists for live, not waived steps of these stages."""
    return step.stage in FORMS and step.live and not step.waived


def build(step: CandidateStep) -> PartyDocument:
    """The layout of `step`'s form, from the record. Raises KeyError for a stage without a form."""
    builder, _name_of = FORMS[step.stage]
    candidate = step.candidate
    return builder(step, candidate, Chain.of(candidate.organisation), live_steps(candidate))


def document_for(step: CandidateStep, user=None) -> GeneratedDocument:
    """The DOCX of `step`'s form. For `user`, the person's data follows the personal-data table
    (dangvu.accounts.privacy): a field the user may not see is left out of the document (on a copy of the
    candidate; the record stays as it is). Without a user (internal use), every field."""
    _builder, name_of = FORMS[step.stage]
    if user is not None:
        shown = copy.copy(step.candidate)
        privacy.blank(shown, privacy.hidden_for_candidate(user, shown))
        step = copy.copy(step)
        step.candidate = shown
    return GeneratedDocument(f"{name_of(step)}-{step.candidate_id}.docx", build(step).to_bytes())
