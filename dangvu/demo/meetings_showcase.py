"""The demo secretary's cell (bithu.chibo) in the demo's year of meetings (dangvu.demo.meetings_world),
recorded through dangvu.meetings.services as it would have happened, so that its minutes are approved by
its chair with their DOCX and its meeting room is alive:

- every past meeting step by step: planned a week before with agenda and guests, answers two days before,
  opened, check-ins (some late), excuses recorded on the day, two members given the floor, votes (the
  month's resolution by show of hands; in four months also a vote by name or a secret ballot, one of them
  rejected), minutes, closed, and approved by the chair unless it is too recent;
- this month's regular meeting in progress today: half checked in (not the plain member `dangvien`, left
  for whoever tries the demo), a speaker on the floor and another waiting, a vote by name open;
- a thematic meeting next week: answers of every kind (the plain member and the leader have not answered:
  it is in their alerts), the study material (DOCX in the Party layout, two versions, with the
  secretary's private note) and a registration sheet (XLSX).

`recording_the_past()` is what makes the services write a past meeting: while the demo is built, they read
a `Clock` set to the moment of the step being replayed instead of the real clock (so opening, closing,
votes and approval carry the meeting's times, also inside the approved DOCX), invite the cell's members
*on the meeting's day* (`MemberPeriod`; the services invite today's members, right for meetings being
planned), and read each day's rule set once. The rows' history is still written now, by the services.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from dangvu.accounts.models import User
from dangvu.demo.meetings_world import THEMATIC_TOPICS, Plan, local_time, month_label
from dangvu.documents.partydoc import Header, PartyDocument, Signature
from dangvu.meetings import ballots, services
from dangvu.meetings.models import (
    AgendaItem,
    Attendance,
    Choice,
    Invitation,
    InviteeRole,
    Meeting,
    MeetingKind,
    Rsvp,
    VoteMethod,
    VoteRule,
)
from dangvu.members.models import Member
from dangvu.orgs.models import Organisation
from dangvu.rules.registry import rules_on

if TYPE_CHECKING:
    from dangvu.demo.meetings_world import MeetingsDemo

EXCUSES_AHEAD = ("Đi công tác", "Nghỉ phép", "Đi học lớp bồi dưỡng")  # a week ahead
# The special votes, by months before today: (method, threshold, question, share of voters in favour).
SHOWCASE_VOTES = {
    2: (
        VoteMethod.SECRET,
        VoteRule.TWO_THIRDS_OF_MEMBERS,
        "Giới thiệu đồng chí {name} để Đảng ủy xem xét, bổ sung quy hoạch chi ủy nhiệm kỳ 2025–2030",
        0.9,
    ),
    3: (
        VoteMethod.NAMED,
        VoteRule.MAJORITY_OF_MEMBERS,
        "Thông qua Kế hoạch chuyển đổi số trong hoạt động của chi bộ",
        0.85,
    ),
    6: (
        VoteMethod.NAMED,
        VoteRule.MAJORITY_OF_PRESENT,
        "Đề nghị chuyển lịch sinh hoạt chi bộ thường kỳ sang chiều thứ Sáu tuần đầu tháng",
        0.3,
    ),
    10: (
        VoteMethod.SECRET,
        VoteRule.MAJORITY_OF_MEMBERS,
        "Đề nghị Đảng ủy tặng giấy khen cho đồng chí {name} đã hoàn thành xuất sắc nhiệm vụ",
        0.95,
    ),
}


class Clock:
    """Stands in for django.utils.timezone inside dangvu.meetings.services and .ballots while a past meeting is
    recorded: `now()` is the moment of the step being replayed (the real clock when `at` is None)."""

    def __init__(self) -> None:
        self.at: dt.datetime | None = None

    def now(self) -> dt.datetime:
        return self.at or timezone.now()

    def localdate(self, value: dt.datetime | None = None, tz=None) -> dt.date:
        return timezone.localtime(value or self.now(), tz).date()

    def __getattr__(self, name: str):
        return getattr(timezone, name)


@contextmanager
def recording_the_past() -> Iterator[Clock]:
    """While the demo is built: the services read the clock yielded, invite the members on the meeting's
    day, and read each day's rule set once (rule sets cannot change inside the build's transaction)."""
    clock = Clock()
    modules = (services, ballots)  # the votes live in dangvu.meetings.ballots
    saved = [(m.timezone, m.rules_on) for m in modules]
    cached_rules = functools.lru_cache(maxsize=None)(rules_on)
    for module in modules:
        module.timezone, module.rules_on = clock, cached_rules
    try:
        yield clock
    finally:
        for module, (saved_timezone, saved_rules) in zip(modules, saved, strict=True):
            module.timezone, module.rules_on = saved_timezone, saved_rules


class Showcase:
    def __init__(self, demo: MeetingsDemo, clock: Clock) -> None:
        self.d, self.clock = demo, clock

    def user_of(self, member_id: int | None) -> User:
        """The member's own account when the demo has one (the plain member, the leader), else the cell's
        secretary, who records what members tell them."""
        for username in ("dangvien", "lanhdao"):
            if member_id and self.d.users[username].member_id == member_id:
                return self.d.users[username]
        return self.d.users["bithu.chibo"]

    def record_past(self, plan: Plan, chair: Member) -> Meeting:
        rng, clock, actor = self.d.rng, self.clock, self.d.users["bithu.chibo"]
        cell, day, start = plan.cell, plan.day, plan.starts_at
        end = start + dt.timedelta(minutes=plan.minutes)
        people = self.d.people(cell, day)
        secretary = self.d.officers(cell, day, people)[1]
        clock.at = start - dt.timedelta(days=7)
        agenda = self.d.agenda(plan, chair.pk, secretary)
        meeting = services.create_meeting(
            cell,
            actor,
            kind=plan.kind,
            starts_at=start,
            topic=plan.topic,
            place=self.d.place(cell),
            chair=chair,
            secretary=Member(pk=secretary),
            agenda=agenda,
            guests=list(Member.objects.filter(pk__in=plan.visitors)),
        )
        invitations = list(meeting.invitations.order_by("id"))
        fate = self.d.fate(people, {chair.pk, secretary}, day)

        def what(inv: Invitation) -> tuple[str, str, bool]:
            if inv.role == InviteeRole.GUEST:  # the member in charge, come to this meeting
                return Attendance.PRESENT, "", False
            return fate.get(inv.member_id, ("", "", False))  # not expected (exempt, away): nothing recorded

        clock.at = start - dt.timedelta(days=2)
        told = set()  # excused in advance
        for inv in invitations:
            attendance, reason, _late = what(inv)
            if attendance == Attendance.PRESENT and (inv.role == InviteeRole.GUEST or rng.random() < 0.55):
                services.answer(inv, self.user_of(inv.member_id), rsvp=Rsvp.ATTENDING)
            elif attendance == Attendance.EXCUSED and rng.random() < 0.75:
                services.answer(inv, self.user_of(inv.member_id), rsvp=Rsvp.EXCUSED, reason=reason)
                told.add(inv.pk)
        clock.at = start + dt.timedelta(minutes=rng.randint(0, 5))
        services.open_meeting(meeting, actor)
        present = []
        for inv in invitations:
            attendance, reason, late = what(inv)
            if attendance == Attendance.PRESENT:
                minutes = rng.randint(16, 40) if late else -rng.randint(0, 15)
                services.check_in(inv, actor, at=start + dt.timedelta(minutes=minutes))
                present.append(inv)
            elif attendance == Attendance.EXCUSED and inv.pk not in told:  # excused on the day
                services.mark_attendance(inv, actor, attendance=Attendance.EXCUSED, reason=reason)
        items = list(meeting.agenda.order_by("position"))
        speakers = [i for i in present if i.role == InviteeRole.MEMBER and i.member_id not in {chair.pk, secretary}]
        for minute, inv in zip((35, 45), rng.sample(speakers, min(2, len(speakers))), strict=False):
            clock.at = start + dt.timedelta(minutes=minute)
            services.request_to_speak(inv, actor, agenda_item=items[1])
            services.next_speaker(meeting, actor)
        if plan.kind == MeetingKind.REGULAR:
            voters = [i for i in present if i.may_vote]
            special = SHOWCASE_VOTES.get(self.d.months_ago(day))
            if special:
                clock.at = end - dt.timedelta(minutes=25)
                self.ballot_vote(meeting, special, voters, day, chair, items[-1])
            clock.at = end - dt.timedelta(minutes=12)
            question = f"Thông qua Nghị quyết chi bộ tháng {month_label(day)}"
            vote = services.create_vote(
                meeting,
                actor,
                question=question,
                method=VoteMethod.COUNT,
                rule=VoteRule.MAJORITY_OF_MEMBERS,
                agenda_item=items[-1],
            )
            vote = services.open_vote(vote, actor)
            clock.at = end - dt.timedelta(minutes=8)
            services.close_vote(vote, actor, counts=self.d.show_of_hands(vote.present))
        clock.at = end - dt.timedelta(minutes=3)
        came = sum(1 for v in fate.values() if v[0] == Attendance.PRESENT)
        services.write_minutes(meeting, actor, **self.d.texts(plan, came, len(fate)))
        clock.at = end
        meeting = services.close_meeting(meeting, actor)
        approved = self.d.approval(end)
        if approved:
            clock.at = approved
            meeting = services.approve_minutes(meeting, actor)
        clock.at = None
        return meeting

    def ballot_vote(
        self, meeting: Meeting, special: tuple, voters: list[Invitation], day: dt.date, chair: Member, item: AgendaItem
    ) -> None:
        """A vote by name or a secret ballot: each voter present casts; `share` in favour decides."""
        method, rule, question, share = special
        actor = self.d.users["bithu.chibo"]
        if "{name}" in question:
            candidates = [i.member_id for i in voters if i.member_id != chair.pk]
            question = question.format(name=Member.objects.get(pk=self.d.rng.choice(candidates)).full_name)
        vote = services.create_vote(meeting, actor, question=question, method=method, rule=rule, agenda_item=item)
        vote = services.open_vote(vote, actor)
        needed = services.votes_needed(rule, vote.eligible, vote.present, day)
        while True:  # draw until the verdict is the intended one (passes when share > 1/2)
            choices = [
                Choice.YES if self.d.rng.random() < share else self.d.rng.choice((Choice.NO, Choice.ABSTAIN))
                for _ in voters
            ]
            if (choices.count(Choice.YES) >= needed) == (share > 0.5):
                break
        for inv, choice in zip(voters, choices, strict=True):
            services.cast(vote, inv, choice)
        services.close_vote(vote, actor)

    def in_progress(self, chair: Member) -> Meeting:
        """This month's regular meeting, started half an hour ago: half checked in (not the plain member,
        left for whoever tries the demo), a speaker on the floor and another waiting, a vote by name open."""
        rng, clock, actor, cell = self.d.rng, self.clock, self.d.users["bithu.chibo"], self.d.showcase
        start = max(local_time(self.d.today, 0), self.d.now - dt.timedelta(minutes=30))
        start = start.replace(minute=start.minute - start.minute % 5, second=0, microsecond=0)
        plan = Plan(cell, MeetingKind.REGULAR, start)
        people = self.d.people(cell, self.d.today)
        secretary = self.d.officers(cell, self.d.today, people)[1]
        leader = self.d.users["lanhdao"].member
        clock.at = start - dt.timedelta(days=7)
        meeting = services.create_meeting(
            cell,
            actor,
            kind=MeetingKind.REGULAR,
            starts_at=start,
            place=self.d.place(cell),
            chair=chair,
            secretary=Member(pk=secretary),
            agenda=self.d.agenda(plan, chair.pk, secretary),
            guests=[leader] if leader else [],
        )
        clock.at = start + dt.timedelta(minutes=2)
        services.open_meeting(meeting, actor)
        plain = self.d.users["dangvien"].member_id
        voters = []
        for inv in meeting.invitations.filter(role=InviteeRole.MEMBER, expected=True).order_by("id"):
            if inv.member_id in {chair.pk, secretary} or (inv.member_id != plain and rng.random() < 0.6):
                late = rng.random() < 0.15
                minutes = rng.randint(16, 25) if late else -rng.randint(0, 10)
                at = min(self.d.now, start + dt.timedelta(minutes=minutes))
                services.check_in(inv, actor, at=at)
                if inv.may_vote:
                    voters.append(inv)
        clock.at = None
        items = list(meeting.agenda.order_by("position"))
        for inv in rng.sample([v for v in voters if v.member_id != chair.pk], 2):
            services.request_to_speak(inv, actor, agenda_item=items[1])
        services.next_speaker(meeting, actor)
        question = "Thông qua Kế hoạch tổ chức phong trào thi đua của chi bộ trong quý tới"
        vote = services.create_vote(
            meeting,
            actor,
            question=question,
            method=VoteMethod.NAMED,
            rule=VoteRule.MAJORITY_OF_MEMBERS,
            agenda_item=items[3],
        )
        vote = services.open_vote(vote, actor)
        for inv in voters[: len(voters) // 2]:
            services.cast(vote, inv, Choice.YES if rng.random() < 0.9 else Choice.ABSTAIN)
        return meeting

    def upcoming(self, chair: Member, used: set[str]) -> Meeting:
        """A thematic meeting next week: invitations answered or not, the study material in two versions
        (DOCX in the Party layout) and a registration sheet (XLSX), and the secretary's private note."""
        rng, actor, cell = self.d.rng, self.d.users["bithu.chibo"], self.d.showcase
        day = self.d.working(self.d.today + dt.timedelta(days=7))
        topic = next(t for t in (THEMATIC_TOPICS[1], *THEMATIC_TOPICS) if t not in used)
        plan = Plan(cell, MeetingKind.THEMATIC, local_time(day, 14), topic=topic)
        people = self.d.people(cell, self.d.today)
        secretary = self.d.officers(cell, self.d.today, people)[1]
        leader = self.d.users["lanhdao"].member
        meeting = services.create_meeting(
            cell,
            actor,
            kind=MeetingKind.THEMATIC,
            starts_at=plan.starts_at,
            topic=topic,
            place=self.d.place(cell),
            chair=chair,
            secretary=Member(pk=secretary),
            agenda=self.d.agenda(plan, chair.pk, secretary),
            guests=[leader] if leader else [],
            external_guests=[("Báo cáo viên Ban Tuyên giáo và Dân vận Thành ủy", "Báo cáo viên chuyên đề")],
        )
        plain, leader_id = self.d.users["dangvien"].member_id, getattr(leader, "pk", None)
        # The plain member and the leader are left to answer (it is in their alerts); two members have
        # excused themselves, about half will attend, the others have not answered yet.
        left = [pk for pk in (plain, leader_id) if pk]
        others = list(meeting.invitations.filter(member__isnull=False).exclude(member_id__in=left))
        others.sort(key=lambda i: i.pk)
        away = rng.sample([i for i in others if i.member_id not in {chair.pk, secretary}], 2)
        for inv in others:
            if inv in away:
                services.answer(inv, actor, rsvp=Rsvp.EXCUSED, reason=rng.choice(EXCUSES_AHEAD))
            elif inv.member_id in {chair.pk, secretary} or rng.random() < 0.55:
                services.answer(inv, actor, rsvp=Rsvp.ATTENDING)
        items = list(meeting.agenda.order_by("position"))
        name = "tai-lieu-chuyen-de.docx"
        document = services.add_document(
            meeting,
            actor,
            title=f"Tài liệu chuyên đề: {topic}",
            upload=_upload(name, _study(cell, topic, chair, 1)),
            agenda_item=items[0],
        )
        services.add_version(document, actor, _upload(name, _study(cell, topic, chair, 2)))
        services.save_note(document, actor, "Nhấn mạnh phần liên hệ thực tế của chi bộ ở mục 3 khi trình bày.")
        names = Member.objects.filter(pk__in=[p.member_id for p in people]).order_by("name_sort", "id")
        sheet = _sheet(topic, list(names.values_list("full_name", flat=True)))
        services.add_document(
            meeting,
            actor,
            title="Bảng đăng ký việc làm thực hiện chuyên đề",
            upload=_upload("dang-ky.xlsx", sheet),
            agenda_item=items[2],
        )
        return meeting

    def write(self, plans: list[Plan]) -> int:
        chair = self.d.users["bithu.chibo"].member
        past = [self.record_past(plan, chair) for plan in plans if not plan.cancelled]
        self.d.backdate([m.pk for m in past])
        self.in_progress(chair)
        self.upcoming(chair, {p.topic for p in plans})
        return len(past) + 2


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _study(cell: Organisation, topic: str, chair: Member, version: int) -> bytes:
    """The study material of a thematic meeting (DOCX, Party layout); version 2 adds a section."""
    parent = Organisation.objects.get_parent(cell)
    paragraphs = [
        "I. MỤC ĐÍCH, YÊU CẦU",
        f"Giúp đảng viên nắm vững nội dung chuyên đề «{topic}», liên hệ với nhiệm vụ chính trị của cơ quan "
        "và trách nhiệm của từng đảng viên.",
        "II. NỘI DUNG CHỦ YẾU",
        "1. Những quan điểm, yêu cầu cơ bản của chuyên đề.",
        "2. Kết quả thực hiện tại cơ quan thời gian qua: ưu điểm, hạn chế và nguyên nhân.",
        "3. Liên hệ thực tế của chi bộ; việc làm cụ thể mỗi đảng viên đăng ký thực hiện.",
    ]
    if version > 1:
        paragraphs += ["III. TỔ CHỨC THỰC HIỆN", "Chi ủy theo dõi, đánh giá việc thực hiện trong sinh hoạt thường kỳ."]
    return PartyDocument(
        header=Header(issuer=cell.name, higher=parent.name if parent else "", place="Cần Thơ"),
        kind="CHUYÊN ĐỀ",
        subject=topic,
        paragraphs=paragraphs,
        signature=Signature(on_behalf="T/M CHI ỦY", title="BÍ THƯ", name=chair.full_name),
        mark="DỰ THẢO" if version == 1 else f"DỰ THẢO LẦN {version}",
    ).to_bytes()


def _sheet(topic: str, names: list[str]) -> bytes:
    """A registration sheet (XLSX): one row per member, the commitment to fill in."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Đăng ký"
    sheet.append([f"BẢNG ĐĂNG KÝ VIỆC LÀM THỰC HIỆN CHUYÊN ĐỀ: {topic.upper()}"])
    sheet.append(["STT", "Họ và tên", "Việc làm đăng ký", "Thời gian hoàn thành", "Ghi chú"])
    for i, name in enumerate(names, start=1):
        sheet.append([i, name, "", "", ""])
    for column, width in zip("ABCDE", (6, 30, 60, 20, 20), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
