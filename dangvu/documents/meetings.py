"""The minutes (biên bản) and the resolution (nghị quyết) of a meeting, generated from its record (issue 4,
item 5), in the layout of Hướng dẫn 36-HD/VPTW (dangvu.documents.partydoc).

The minutes say everything the record holds: the time and place, the chair and the minutes secretary,
attendance (members, those expected, present, late, absent with leave and why, absent without leave),
the guests present, the agenda with its presenters and speakers (and their summaries), the discussion,
every closed vote (question, method, threshold, voters entitled and present, counts with percentages,
verdict), the conclusions, the resolution, and the end time; they are signed by the minutes secretary
(left) and the chair (right). A secret vote gives counts only (the record holds no link between a voter
and a choice anyway); a vote by name also lists its voters' choices in an annex.

Before approval the file is generated on the fly and marked "DỰ THẢO"; `approve_minutes`
(dangvu.meetings.services) keeps the file as approved, so later changes (renamed organisations, addenda)
never alter it. Names of organisations and the place in the date line (DANGVU_DOCUMENT_PLACE) are the
current ones when the file is generated.

Numbering: documents are numbered per type and per term by the issuing office (36-HD); the record holds
no minutes number, so it is left blank to write in ("Số        -BB/CB"). The resolution carries the
number the secretary recorded (`resolution_number`).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from dangvu.documents.admission import committee_name, document_place, secretary_on
from dangvu.documents.partydoc import Header, Para, PartyDocument, Signature, Table, add_block, percent, vn_date
from dangvu.lib.dates import fmt
from dangvu.meetings.models import (
    AgendaItem,
    Attendance,
    Ballot,
    Choice,
    Invitation,
    InviteeRole,
    Meeting,
    MeetingKind,
    MeetingState,
    SpeakerRequest,
    SpeakerState,
    Vote,
    VoteMethod,
    VoteRule,
    VoteState,
)
from dangvu.meetings.services import meeting_day
from dangvu.orgs.models import CommitteeSeat, Organisation, OrgKind, Position
from dangvu.rules import presentation
from dangvu.rules.registry import rules_on

DRAFT_MARK = "DỰ THẢO"
MEMBER_KINDS = {MeetingKind.REGULAR, MeetingKind.THEMATIC, MeetingKind.EXTRAORDINARY}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
DOTS = "..."

METHOD = {
    VoteMethod.COUNT: "biểu quyết giơ tay",
    VoteMethod.NAMED: "biểu quyết điện tử, công khai theo tên",
    VoteMethod.SECRET: "bỏ phiếu kín",
}
CHOICE = {Choice.YES: "Tán thành", Choice.NO: "Không tán thành", Choice.ABSTAIN: "Không biểu quyết"}
# Rank of committee positions: the highest one names a person's office.
POSITION_RANK = [
    Position.SECRETARY,
    Position.DEPUTY_SECRETARY,
    Position.STANDING_MEMBER,
    Position.COMMITTEE_MEMBER,
    Position.CELL_COMMITTEE_MEMBER,
]


# --- Words that depend on the meeting -----------------------------------------------------------------


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _start(meeting: Meeting) -> dt.datetime:
    """When the meeting began: opened by the chair, else as planned."""
    return _local(meeting.opened_at or meeting.starts_at)


def _month(day: dt.date) -> str:
    """'tháng 3 năm 2026', 'tháng 02 năm 2026' (36-HD: a zero before the months 1 and 2)."""
    return vn_date(day).split(" ", 2)[2]


def _clock(moment: dt.datetime | None) -> str:
    return f"{moment.hour:02d} giờ {moment.minute:02d}" if moment else f"{DOTS} giờ {DOTS}"


def _is_cell(org: Organisation) -> bool:
    return org.kind in OrgKind.member_holding()


def _committee_body(meeting: Meeting) -> str:
    """Who sits in a committee meeting: 'chi ủy', 'Ban Chấp hành Đảng bộ Sở Một', 'Ban Thường vụ Đảng ủy …'."""
    org = meeting.organisation
    if meeting.kind == MeetingKind.STANDING:
        return f"Ban Thường vụ {committee_name(org)}"
    return "chi ủy" if _is_cell(org) else f"Ban Chấp hành {org.name}"


def subject(meeting: Meeting) -> str:
    """'Sinh hoạt chi bộ thường kỳ tháng 3 năm 2026', 'Sinh hoạt chuyên đề: …', 'Họp chi ủy tháng 3 năm 2026'."""
    day = _local(meeting.starts_at).date()
    topic = meeting.topic.strip()
    if meeting.kind == MeetingKind.REGULAR:
        return f"Sinh hoạt chi bộ thường kỳ {_month(day)}"
    if meeting.kind == MeetingKind.THEMATIC:
        return f"Sinh hoạt chuyên đề: {topic}"
    if meeting.kind == MeetingKind.EXTRAORDINARY:
        return f"Sinh hoạt chi bộ bất thường: {topic}" if topic else f"Sinh hoạt chi bộ bất thường {_month(day)}"
    body = _committee_body(meeting)
    return f"Họp {body}: {topic}" if topic else f"Họp {body} {_month(day)}"


def _activity(meeting: Meeting) -> str:
    text = subject(meeting)
    return text[0].lower() + text[1:]


def _people_word(meeting: Meeting) -> str:
    if meeting.kind in MEMBER_KINDS:
        return "đảng viên"
    return "chi ủy viên" if _is_cell(meeting.organisation) else "cấp ủy viên"


def _issuer(org: Organisation) -> str:
    return org.name if _is_cell(org) else committee_name(org)


def _header(meeting: Meeting, *, number: str, code: str) -> Header:
    org = meeting.organisation
    parent = Organisation.objects.get_parent(org)
    return Header(
        issuer=_issuer(org),
        higher=parent.name if parent else "",
        number=number,
        number_code=code,
        issuer_code="CB" if _is_cell(org) else "ĐU",
        place=document_place(),
        date=_start(meeting).date(),
    )


def _paragraphs(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


# --- The record ---------------------------------------------------------------------------------------


@dataclass
class Record:
    meeting: Meeting
    day: dt.date
    invitations: list[Invitation]
    agenda: list[AgendaItem]
    speakers: list[SpeakerRequest]
    votes: list[Vote]
    ballots: dict[int, list[Ballot]]  # named votes only
    offices: dict[int, str]  # member id → office on the day ("Bí thư Chi bộ Phòng Một")

    @classmethod
    def of(cls, meeting: Meeting) -> Record:
        day = _start(meeting).date()
        # Members in name order, then guests from outside the registry (the same on every database).
        invitations = sorted(
            meeting.invitations.select_related("member"),
            key=lambda i: (i.member_id is None, i.member.name_sort if i.member_id else "", i.pk),
        )
        agenda = list(meeting.agenda.select_related("presenter").order_by("position", "id"))
        speakers = list(
            meeting.speakers.filter(state__in=[SpeakerState.DONE, SpeakerState.SPEAKING])
            .select_related("invitation__member")
            .order_by("started_at", "requested_at", "id")
        )
        votes = list(meeting.votes.filter(state=VoteState.CLOSED).order_by("closed_at", "id"))
        ballots: dict[int, list[Ballot]] = {v.pk: [] for v in votes if v.method == VoteMethod.NAMED}
        rows = (
            Ballot.objects.filter(vote_id__in=list(ballots))
            .select_related("invitation__member")
            .order_by("invitation__member__name_sort", "id")
        )
        for ballot in rows:
            ballots[ballot.vote_id].append(ballot)
        people = {i.member_id for i in invitations if i.member_id}
        return cls(meeting, day, invitations, agenda, speakers, votes, ballots, _offices(people, day))

    def members(self) -> list[Invitation]:
        return [i for i in self.invitations if i.role == InviteeRole.MEMBER]

    def name(self, member_id: int | None) -> str:
        if member_id is None:
            return ""
        for invitation in self.invitations:
            if invitation.member_id == member_id:
                return invitation.member.full_name
        return ""


def _offices(member_ids: set[int], day: dt.date) -> dict[int, str]:
    """Each member's highest committee office in force on `day`, in one query."""
    seats = (
        CommitteeSeat.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), member_id__in=member_ids)
        .filter(valid_from__lte=day)
        .select_related("committee__organisation")
    )
    best: dict[int, CommitteeSeat] = {}
    for seat in seats:
        current = best.get(seat.member_id)
        if current is None or POSITION_RANK.index(seat.position) < POSITION_RANK.index(current.position):
            best[seat.member_id] = seat
    return {member_id: _office(seat) for member_id, seat in best.items()}


def _office(seat: CommitteeSeat) -> str:
    org = seat.committee.organisation
    return {
        Position.SECRETARY: f"Bí thư {committee_name(org)}",
        Position.DEPUTY_SECRETARY: f"Phó Bí thư {committee_name(org)}",
        Position.STANDING_MEMBER: f"Ủy viên Ban Thường vụ {committee_name(org)}",
        Position.COMMITTEE_MEMBER: f"Ủy viên Ban Chấp hành {org.name}",
        Position.CELL_COMMITTEE_MEMBER: f"Chi ủy viên {org.name}",
    }[seat.position]


def _comrade(record: Record, invitation: Invitation) -> str:
    """'đồng chí Trần Thị Bình, Bí thư Chi bộ Phòng Một' (member guests) or 'Ông X, Giám đốc' (others)."""
    if invitation.member_id:
        office = record.offices.get(invitation.member_id) or invitation.member.position
        line = f"đồng chí {invitation.member.full_name}"
        return f"{line}, {office}" if office else line
    return f"{invitation.guest_name}, {invitation.guest_title}" if invitation.guest_title else invitation.guest_name


def _person(record: Record, member_id: int | None) -> str:
    if member_id is None:
        return DOTS
    office = record.offices.get(member_id)
    line = f"đồng chí {record.name(member_id)}"
    return f"{line}, {office}" if office else line


# --- Sections of the minutes --------------------------------------------------------------------------


class Sections:
    """Numbered headings I., II., … for the sections present."""

    def __init__(self) -> None:
        self.count = 0

    def heading(self, title: str) -> Para:
        self.count += 1
        return Para(title.upper(), bold=True, lead=f"{ROMAN[self.count - 1]}.")


def _opening(record: Record) -> list[Para | str]:
    meeting = record.meeting
    start = _start(meeting)
    where = meeting.place
    if meeting.online_link:
        online = f"trực tuyến ({meeting.online_link})"
        where = f"{where}, kết hợp {online}" if where else online
    return [
        f"Vào lúc {_clock(start)}, {vn_date(start.date())}, tại {where}, {meeting.organisation.name} tiến hành "
        f"{_activity(meeting)}."
    ]


def _attendance(record: Record) -> list[Para | str]:
    word = _people_word(record.meeting)
    members = record.members()
    total = len(members)
    expected = [i for i in members if i.expected]
    voters = [i for i in members if i.may_vote]
    present = [i for i in members if i.attendance == Attendance.PRESENT]
    late = [i for i in present if i.late]
    excused = [i for i in members if i.attendance == Attendance.EXCUSED]
    unexcused = [i for i in members if i.attendance == Attendance.UNEXCUSED]
    unknown = [i for i in expected if not i.attendance]
    present_expected = sum(1 for i in present if i.expected)

    line = f"Tổng số {word}: {total} đồng chí; số phải có mặt: {len(expected)} đồng chí"
    if total > len(expected):
        line += f" (miễn sinh hoạt hoặc đang sinh hoạt tạm thời nơi khác: {total - len(expected)} đồng chí)"
    lines: list[Para | str] = [
        Para(f"Chủ trì: {_person(record, record.meeting.chair_id)}.", lead="-"),
        Para(f"Thư ký: {_person(record, record.meeting.secretary_id)}.", lead="-"),
        Para(f"{line}; có quyền biểu quyết: {len(voters)} đồng chí.", lead="-"),
    ]
    rate = f" (đạt {percent(present_expected, len(expected))} số {word} phải có mặt)" if expected else ""
    here = f"Có mặt: {len(present)} đồng chí{rate}"
    if late:
        here += f"; trong đó đến muộn {len(late)} đồng chí: {', '.join(i.name for i in late)}"
    lines.append(Para(here + ".", lead="-"))
    away = f"Vắng có lý do: {len(excused)} đồng chí"
    if excused:
        away += ": " + "; ".join(f"{i.name} ({i.absence_reason})" if i.absence_reason else i.name for i in excused)
    lines.append(Para(away + ".", lead="-"))
    absent = f"Vắng không lý do: {len(unexcused)} đồng chí"
    if unexcused:
        absent += ": " + ", ".join(i.name for i in unexcused)
    lines.append(Para(absent + ".", lead="-"))
    if unknown:
        lines.append(Para(f"Chưa ghi nhận: {len(unknown)} đồng chí: {', '.join(i.name for i in unknown)}.", lead="-"))
    guests = [i for i in record.invitations if i.role == InviteeRole.GUEST and i.attendance == Attendance.PRESENT]
    if guests:
        lines.append(Para("Đại biểu dự: " + "; ".join(_comrade(record, i) for i in guests) + ".", lead="-"))
    else:
        lines.append(Para("Đại biểu dự: không có.", lead="-"))
    return lines


def _threshold(vote: Vote, word: str, day: dt.date) -> str:
    """The threshold with the shares of the rule set of `day`: the meeting's day, the one `needed` was
    counted with (meetings.services.votes_needed), whenever the vote closed."""
    values = rules_on(day)
    majority = presentation.shown(values, "meeting.majority")
    if vote.rule == VoteRule.MAJORITY_OF_MEMBERS:
        return f"quá {majority} tổng số {word} có quyền biểu quyết"
    if vote.rule == VoteRule.MAJORITY_OF_PRESENT:
        return f"quá {majority} số {word} có quyền biểu quyết có mặt"
    return f"ít nhất {presentation.shown(values, 'meeting.qualified')} tổng số {word} có quyền biểu quyết"


def vote_lines(record: Record, vote: Vote) -> list[Para]:
    """The lines of one closed vote. Counts only: a secret vote's lines never name anyone."""
    word = _people_word(record.meeting)
    day = meeting_day(record.meeting)
    eligible, present = vote.eligible or 0, vote.present or 0
    by_present = vote.rule == VoteRule.MAJORITY_OF_PRESENT
    base = present if by_present else eligible
    basis = "có quyền biểu quyết có mặt" if by_present else "có quyền biểu quyết"
    yes, no, abstain = vote.yes or 0, vote.no or 0, vote.abstain or 0
    method = METHOD[vote.method]
    if vote.method == VoteMethod.NAMED:
        method += " (danh sách tại phụ lục)"
    lines = [
        Para(f"Biểu quyết: {vote.question}", bold=True, indent=False),
        Para(
            f"Hình thức: {method}. Điều kiện thông qua: {_threshold(vote, word, day)} ({vote.needed} phiếu tán thành)."
        ),
        Para(f"Số {word} có quyền biểu quyết: {eligible}; có mặt: {present}."),
    ]
    if vote.method == VoteMethod.SECRET:
        lines.append(Para(f"Số phiếu thu vào: {yes + no + abstain}."))
    lines.append(
        Para(
            f"Tán thành: {yes} ({percent(yes, base)}); không tán thành: {no} ({percent(no, base)}); "
            f"không biểu quyết: {abstain} ({percent(abstain, base)}) - tỷ lệ trên tổng số {base} {word} {basis}."
        )
    )
    verdict = "thông qua" if vote.passed else "không thông qua"
    if not vote.quorate:
        verdict += f" (không đủ số {word} có mặt theo quy định)"
    lines.append(Para(f"Kết quả: {verdict}.", bold=True))
    return lines


def _agenda(record: Record) -> list[Para | str]:
    items = [i for i in record.agenda if not i.withdrawn]
    withdrawn = [i for i in record.agenda if i.withdrawn]
    blocks: list[Para | str] = []
    if items:
        blocks.append(f"Chủ trì thông qua chương trình gồm {len(items)} nội dung:")
        blocks.extend(Para(item.title, lead=f"{n}.") for n, item in enumerate(items, start=1))
    else:
        blocks.append("Chương trình không có nội dung nào được ghi nhận.")
    if withdrawn:
        blocks.append(f"Nội dung rút khỏi chương trình: {'; '.join(i.title for i in withdrawn)}.")
    for n, item in enumerate(items, start=1):
        blocks.append(Para(item.title, bold=True, lead=f"{n}.", indent=False))
        if item.presenter_id:
            blocks.append(f"Đồng chí {item.presenter.full_name} trình bày.")
        blocks.extend(_paragraphs(item.description))
        blocks.extend(_speakers(record, [s for s in record.speakers if s.agenda_item_id == item.pk]))
        for vote in record.votes:
            if vote.agenda_item_id == item.pk:
                blocks.extend(vote_lines(record, vote))
    return blocks


def _speakers(record: Record, requests: list[SpeakerRequest]) -> list[Para | str]:
    if not requests:
        return []
    blocks: list[Para | str] = [Para("Ý kiến phát biểu:", italic=True)]
    for request in requests:
        line = f"Đồng chí {request.invitation.name}"
        summary = " ".join(_paragraphs(request.summary))
        blocks.append(Para(f"{line}: {summary}" if summary else f"{line}.", lead="-"))
    return blocks


def _body(record: Record) -> list[Para | str]:
    meeting = record.meeting
    sections = Sections()
    blocks: list[Para | str] = [*_opening(record)]
    blocks.append(sections.heading("Thành phần"))
    blocks.extend(_attendance(record))
    blocks.append(sections.heading("Nội dung"))
    blocks.extend(_agenda(record))
    agenda_ids = {item.pk for item in record.agenda}
    general = [s for s in record.speakers if s.agenda_item_id not in agenda_ids]
    if meeting.discussion.strip() or general:
        blocks.append(sections.heading("Thảo luận"))
        blocks.extend(_paragraphs(meeting.discussion))
        blocks.extend(_speakers(record, general))
    other_votes = [v for v in record.votes if v.agenda_item_id not in agenda_ids]
    if other_votes:
        blocks.append(sections.heading("Biểu quyết"))
        for vote in other_votes:
            blocks.extend(vote_lines(record, vote))
    blocks.append(sections.heading("Kết luận"))
    blocks.extend(_paragraphs(meeting.conclusions) or [f"Chủ trì kết luận: {DOTS}"])
    if meeting.resolution_text.strip() or meeting.resolution_number.strip():
        blocks.append(sections.heading("Nghị quyết"))
        number = meeting.resolution_number.strip()
        blocks.append(f"{_issuer(meeting.organisation)} ban hành Nghị quyết{f' số {number}' if number else ''}:")
        blocks.extend(_paragraphs(meeting.resolution_text))
    blocks.append(_ending(record))
    return blocks


def _ending(record: Record) -> Para:
    meeting = record.meeting
    start = _start(meeting)
    end = _local(meeting.ends_at)
    what = "Buổi sinh hoạt" if meeting.kind in MEMBER_KINDS else "Cuộc họp"
    if end is None:
        return Para(f"{what} kết thúc vào lúc {_clock(None)}, ngày {DOTS}.")
    when = "cùng ngày" if end.date() == start.date() else vn_date(end.date())
    return Para(f"{what} kết thúc vào lúc {_clock(end)} {when}.")


def _annex(doc, record: Record) -> None:
    """Named votes: who chose what (open votes only; a secret vote has no such list)."""
    named = [v for v in record.votes if v.method == VoteMethod.NAMED]
    if not named:
        return
    add_block(doc, Para("PHỤ LỤC", bold=True, align="center", indent=False))
    add_block(doc, Para("Danh sách biểu quyết theo tên", bold=True, align="center", indent=False))
    for vote in named:
        add_block(doc, Para(f"Biểu quyết: {vote.question}", bold=True, indent=False))
        rows = [["STT", "Họ và tên", "Biểu quyết"]]
        for n, ballot in enumerate(record.ballots.get(vote.pk, []), start=1):
            rows.append([str(n), ballot.invitation.name, CHOICE[ballot.choice]])
        add_block(doc, Table(rows, widths_mm=[15, 100, 50]))


def minutes_layout(meeting: Meeting) -> tuple[PartyDocument, Record]:
    record = Record.of(meeting)
    layout = PartyDocument(
        header=_header(meeting, number="", code="BB"),
        kind="BIÊN BẢN",
        subject=subject(meeting),
        paragraphs=_body(record),
        left_signature=Signature(title="THƯ KÝ", name=record.name(meeting.secretary_id)),
        signature=Signature(title="CHỦ TRÌ", name=record.name(meeting.chair_id)),
        mark="" if meeting.state == MeetingState.APPROVED else DRAFT_MARK,
    )
    return layout, record


def minutes_docx(meeting: Meeting) -> bytes:
    """The minutes of `meeting` as DOCX bytes (a draft until the meeting is approved)."""
    layout, record = minutes_layout(meeting)
    doc = layout.build()
    _annex(doc, record)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- The resolution -----------------------------------------------------------------------------------


def _on_behalf(meeting: Meeting) -> tuple[str, str]:
    """(signing authority, enacting body) of the meeting's resolution."""
    org = meeting.organisation
    if meeting.kind in MEMBER_KINDS:
        return "T/M CHI BỘ", org.name
    if meeting.kind == MeetingKind.STANDING:
        return "T/M BAN THƯỜNG VỤ", f"Ban Thường vụ {committee_name(org)}"
    if _is_cell(org):
        return "T/M CHI ỦY", f"Chi ủy {org.name}"
    return "T/M ĐẢNG ỦY", f"Ban Chấp hành {org.name}"


def has_resolution(meeting: Meeting) -> bool:
    return bool(meeting.resolution_text.strip())


def resolution_layout(meeting: Meeting) -> PartyDocument:
    org = meeting.organisation
    day = _start(meeting).date()
    authority, body = _on_behalf(meeting)
    # The secretary in office signs; without recorded seats, the chair (the secretary chairs as a rule).
    chair = meeting.chair.full_name if meeting.chair_id else ""
    signer = secretary_on(org, day) or chair
    parent = Organisation.objects.get_parent(org)
    recipients = [committee_name(parent)] if parent else []
    recipients += ["Các đảng viên trong chi bộ" if meeting.kind in MEMBER_KINDS else f"Các {_people_word(meeting)}"]
    recipients.append("Lưu chi bộ" if _is_cell(org) else "Lưu văn phòng đảng ủy")
    return PartyDocument(
        header=_header(meeting, number=meeting.resolution_number, code="NQ"),
        kind="NGHỊ QUYẾT",
        subject=subject(meeting),
        paragraphs=[
            Para("- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;"),
            Para(f"- Căn cứ kết quả {_activity(meeting)} ngày {fmt(day)},"),
        ],
        enacting=f"{body.upper()} QUYẾT NGHỊ:",
        closing=[
            *_paragraphs(meeting.resolution_text),
            f"Nghị quyết được {body} thông qua ngày {fmt(day)}.",
        ],
        signature=Signature(authority, "BÍ THƯ", signer),
        recipients=recipients,
        mark="" if meeting.state == MeetingState.APPROVED else DRAFT_MARK,
    )


def resolution_docx(meeting: Meeting) -> bytes:
    """The resolution of `meeting` as DOCX bytes (its text and number as recorded in the minutes)."""
    return resolution_layout(meeting).to_bytes()


def minutes_filename(meeting: Meeting) -> str:
    suffix = "" if meeting.state == MeetingState.APPROVED else "-du-thao"
    return f"bien-ban-{meeting.pk}{suffix}.docx"


def resolution_filename(meeting: Meeting) -> str:
    return f"nghi-quyet-{meeting.pk}.docx"
