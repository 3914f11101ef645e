"""A year of cell meetings for the demo world (issue 4): regular monthly and thematic meetings with agenda,
attendance, votes and minutes, so that the meeting pages, the regularity and compliance figures and the
meeting room have something to show.

Like `admission_world`, everything is dated relative to the day the demo is seeded
(`timezone.localdate()`): the 12 months before it, never in the future, except one planned meeting.

Two paths, as in `world.py` (services for what a demo user touches, bulk writes for the mass):
- The demo secretary's cell (bithu.chibo) is recorded through dangvu.meetings.services, step by step, its
  minutes approved by its chair with their DOCX; it also has a meeting in progress today and a thematic
  meeting planned next week with its documents (dangvu.demo.meetings_showcase).
- Every other cell gets its history in bulk (`bulk_create_with_history`: every row has its history row;
  the actor is the office that keeps the cell's records). The minutes are approved directly in bulk with
  `approved_by` empty (the cells' chairs have no user account) and **no DOCX file** (`minutes_file`
  empty): generating ~1,400 files would cost more than the rest of the demo. Their pages therefore offer
  no approved-minutes download (an approved record is never regenerated); the resolution DOCX is still
  generated from the record.

What the history holds: a regular meeting every month (ten cells miss one or two months, one of them last
month, some as a cancelled meeting), two thematic meetings a year (some cells one), attendance (about 90 %
present, excused with reasons, a few absent without leave, a few late), the member of the committee above
in charge of the grassroots organisation as a guest a few times a year (one of them too rarely to comply),
the month's resolution put to a vote by show of hands with its verdict, minutes texts and resolution
numbers. Recent minutes not yet approved stay "held".
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from dangvu.accounts.models import RoleAssignment, User
from dangvu.lib.dates import add_months
from dangvu.lib.text import grouped as _n
from dangvu.lib.workdays import Calendar
from dangvu.meetings import services
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
    Rsvp,
    SpeakerRequest,
    Vote,
    VoteMethod,
    VoteRule,
    VoteState,
)
from dangvu.members.models import Member, MemberPeriod, Status
from dangvu.orgs.models import CommitteeSeat, LeadershipAssignment, Organisation, OrgKind, Position
from dangvu.rules.registry import rules_on

if TYPE_CHECKING:
    from dangvu.demo.meetings_showcase import Clock
    from dangvu.demo.world import _Builder

THEMATIC_TOPICS = (
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Chuyển đổi số trong công tác đảng",
    "Nâng cao chất lượng sinh hoạt chi bộ",
    "Phát huy vai trò nêu gương của cán bộ, đảng viên",
    "Thực hành tiết kiệm, chống lãng phí trong cơ quan",
    "Phòng, chống tham nhũng, tiêu cực",
    "Bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái, thù địch",
    "Đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số (Nghị quyết 57-NQ/TW)",
    "Xây dựng văn hóa công sở, đạo đức công vụ sau sắp xếp tổ chức bộ máy",
)
POINTS = (
    "tiến độ giải quyết công việc chuyên môn, hồ sơ được giao đúng hạn",
    "công tác tham mưu phục vụ cấp ủy, lãnh đạo cơ quan",
    "thực hiện Quy chế dân chủ ở cơ sở",
    "ứng dụng công nghệ thông tin và chữ ký số trong xử lý văn bản",
    "công tác phát triển đảng viên, bồi dưỡng quần chúng ưu tú",
    "thu, nộp đảng phí đầy đủ, đúng hạn",
    "công tác bảo vệ chính trị nội bộ",
    "thực hành tiết kiệm trong chi tiêu hành chính",
    "cải cách hành chính, rút ngắn thời gian xử lý hồ sơ",
    "nắm bắt tư tưởng của cán bộ, đảng viên sau sắp xếp tổ chức bộ máy",
    "phối hợp với công đoàn, đoàn thanh niên tổ chức phong trào thi đua",
    "phòng, chống tham nhũng, lãng phí, tiêu cực",
)
TASKS = (
    "Hoàn thành đúng hạn các nhiệm vụ chuyên môn theo chương trình công tác của cơ quan",
    "Đẩy mạnh chuyển đổi số, sử dụng văn bản điện tử và chữ ký số trong toàn cơ quan",
    "Bảo đảm an ninh, trật tự, phòng cháy chữa cháy tại cơ quan",
    "Thực hiện việc làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh đã đăng ký",
    "Chuẩn bị nội dung sơ kết, tổng kết theo hướng dẫn của cấp ủy cấp trên",
    "Tiếp tục bồi dưỡng, giới thiệu quần chúng ưu tú để kết nạp vào Đảng",
    "Thực hiện nghiêm kỷ luật, kỷ cương hành chính và văn hóa công sở",
    "Tham gia đầy đủ các hoạt động của công đoàn và đoàn thanh niên cơ quan",
)
EXCUSES = ("Đi công tác", "Đi công tác", "Ốm", "Nghỉ phép", "Việc gia đình đột xuất", "Đi học lớp bồi dưỡng")
GUEST_EXCUSE = "Bận công tác, dự họp ở đơn vị khác"
CANCEL_REASONS = (
    "Hoãn do trùng lịch hội nghị của Đảng ủy cấp trên",
    "Hoãn do mưa lớn, ngập úng kéo dài",
    "Hoãn do nhiều đảng viên đi công tác cùng thời điểm",
)
HOURS = ((7, 30), (8, 0), (14, 0), (14, 0), (15, 30), (16, 0))
PRESENT, EXCUSED = 0.90, 0.975  # cumulative shares of the expected members: present, excused, unexcused
LATE = 0.05
GAPS = (1, 1, 1, 1, 1, 1, 1, 2, 2, 2)  # months missed by ten cells (the first one misses last month)
COMPLIANT_VISITS, RARE_VISITS = 6, 2  # meetings a year the member in charge attends (rule: 2 per 6 months)


def month_label(day: dt.date) -> str:
    return f"{day.month:02d}/{day.year}"


def local_time(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@dataclass
class Plan:
    """One meeting to write: where, when, what; `visitors` are the members in charge who attend."""

    cell: Organisation
    kind: str
    starts_at: dt.datetime
    topic: str = ""
    cancelled: str = ""
    visitors: set[int] = field(default_factory=set)
    minutes: int = 120

    @property
    def day(self) -> dt.date:
        return timezone.localtime(self.starts_at).date()


@dataclass(frozen=True)
class Person:
    member_id: int
    may_vote: bool
    expected: bool


class MeetingsDemo:
    def __init__(self, b: _Builder, users: dict[str, User], now: dt.datetime) -> None:
        self.rng = random.Random(b.rng.getrandbits(64))
        self.users = users
        self.now = now
        self.today = timezone.localtime(now).date()
        self.start = add_months(self.today, -12)
        self.calendar = Calendar.from_rules(rules_on(self.today))
        role_org = RoleAssignment.objects.select_related("organisation")
        self.showcase = role_org.get(user=users["bithu.chibo"]).organisation
        self.office_root = role_org.get(user=users["vanphong.coso"]).organisation
        self.cells = list(
            Organisation.objects.filter(kind__in=OrgKind.member_holding(), valid_from__lte=self.today)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=self.start))
            .order_by("path")
        )
        ids = [c.pk for c in self.cells]
        self.periods: dict[int, list[dict]] = defaultdict(list)
        rows = MemberPeriod.objects.filter(organisation_id__in=ids, status__in=Status.in_party())
        for p in rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=self.start)).values(
            "member_id", "organisation_id", "status", "is_exempt", "is_away", "is_suspended", "valid_from", "valid_to"
        ):
            self.periods[p["organisation_id"]].append(p)
        self.name_sort = dict(
            Member.objects.filter(pk__in={p["member_id"] for ps in self.periods.values() for p in ps}).values_list(
                "pk", "name_sort"
            )
        )
        self.seats: dict[int, list[dict]] = defaultdict(list)
        for s in CommitteeSeat.objects.filter(committee__organisation_id__in=ids).values(
            "committee__organisation_id", "member_id", "position", "valid_from", "valid_to"
        ):
            self.seats[s["committee__organisation_id"]].append(s)
        self.assignments = list(
            LeadershipAssignment.objects.filter(valid_from__lte=self.today)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=self.start))
            .values(
                "organisation_id",
                "organisation__path",
                "seat__member_id",
                "seat__member__organisation_id",
                "seat__member__organisation__path",
                "valid_from",
                "valid_to",
            )
            .order_by("organisation__path", "id")
        )
        self.numbers: dict[tuple[int, int], itertools.count] = {}
        self.places: dict[int, str] = {}

    # --- who --------------------------------------------------------------------------------------
    def people(self, cell: Organisation, day: dt.date) -> list[Person]:
        rows = [
            p
            for p in self.periods[cell.pk]
            if p["valid_from"] <= day and (p["valid_to"] is None or day < p["valid_to"])
        ]
        rows.sort(key=lambda p: (self.name_sort[p["member_id"]], p["member_id"]))
        return [
            Person(
                p["member_id"],
                p["status"] == Status.OFFICIAL and not (p["is_exempt"] or p["is_away"] or p["is_suspended"]),
                not (p["is_exempt"] or p["is_away"]),
            )
            for p in rows
        ]

    def officers(self, cell: Organisation, day: dt.date, people: list[Person]) -> tuple[int, int]:
        """Chair (the cell's secretary) and minutes secretary (a cell committee member or the deputy)."""
        present = {p.member_id for p in people if p.expected}
        seats = {
            s["position"]: s["member_id"]
            for s in self.seats[cell.pk]
            if s["valid_from"] <= day and (s["valid_to"] is None or day < s["valid_to"]) and s["member_id"] in present
        }
        officials = [p.member_id for p in people if p.may_vote]
        chair = seats.get(Position.SECRETARY) or seats.get(Position.DEPUTY_SECRETARY) or officials[0]
        others = [seats.get(Position.CELL_COMMITTEE_MEMBER), seats.get(Position.DEPUTY_SECRETARY), *officials]
        return chair, next(m for m in others if m and m != chair)

    def _in_force(self, a: dict, day: dt.date) -> bool:
        return a["valid_from"] <= day and (a["valid_to"] is None or day < a["valid_to"])

    def in_charge(self, cell: Organisation, day: dt.date) -> list[int]:
        """Invited automatically by the services: the members in charge of the cell itself (chi bộ cơ sở)."""
        return [
            a["seat__member_id"] for a in self.assignments if a["organisation_id"] == cell.pk and self._in_force(a, day)
        ]

    # --- when -------------------------------------------------------------------------------------
    def working(self, day: dt.date) -> dt.date:
        while not self.calendar.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def plan_cell(self, cell: Organisation, gaps: int, first_gap_last_month: bool) -> list[Plan]:
        rng = self.rng
        hour, minute = rng.choice(HOURS)
        preferred = rng.randint(1, 12)
        in_force = cell.in_force_on
        plans = []
        for k in range(12, -1, -1):
            day = self.working(add_months(self.today.replace(day=1), -k).replace(day=preferred))
            if self.start <= day < self.today and in_force(day):
                plans.append(
                    Plan(cell, MeetingKind.REGULAR, local_time(day, hour, minute), minutes=rng.randint(90, 150))
                )
        if cell.pk == self.showcase.pk:
            plans = [p for p in plans if p.day.month != self.today.month or p.day.year != self.today.year]
        # Gaps: months 2–11 before this one (the first cell also misses last month), while ≥ 10 remain.
        missed = [p for p in plans if 2 <= self.months_ago(p.day) <= 11]
        chosen = rng.sample(missed, min(gaps, len(missed), max(0, len(plans) - 10)))
        if first_gap_last_month and chosen:
            chosen[0] = next(p for p in plans if self.months_ago(p.day) == 1)
        for plan in chosen:
            if rng.random() < 0.5:
                plans.remove(plan)
            else:
                plan.cancelled = rng.choice(CANCEL_REASONS)
        topics = list(THEMATIC_TOPICS[1:])
        rng.shuffle(topics)
        if rng.random() < 0.6:
            topics.insert(0, THEMATIC_TOPICS[0])
        count = 2 if cell.pk == self.showcase.pk or rng.random() < 0.85 else 1
        for k_range, topic in zip(((7, 11), (2, 5))[2 - count :], topics, strict=False):
            month = add_months(self.today.replace(day=1), -rng.randint(*k_range))
            day = self.working(month.replace(day=rng.randint(14, 24)))
            if in_force(day):
                plans.append(
                    Plan(cell, MeetingKind.THEMATIC, local_time(day, 14), topic=topic, minutes=rng.randint(120, 180))
                )
        return sorted(plans, key=lambda p: p.starts_at)

    def months_ago(self, day: dt.date) -> int:
        return (self.today.year - day.year) * 12 + self.today.month - day.month

    def plan_visits(self, plans: list[Plan]) -> None:
        """The member in charge of each grassroots organisation attends a few of its cells' meetings,
        spread over the two halves of the year (one attends too rarely: compliance shows it)."""
        held = [p for p in plans if not p.cancelled]
        # The rare visitor: not in charge of the demo office's organisation, nor a member of a cell in it
        # (their own cell's meetings count as visits).
        elsewhere = [
            i
            for i, a in enumerate(self.assignments)
            if a["organisation__path"] != self.office_root.path
            and not (a["seat__member__organisation__path"] or "").startswith(a["organisation__path"])
        ]
        rare = self.rng.choice(elsewhere) if elsewhere else -1
        middle = add_months(self.today, -6)
        for i, a in enumerate(self.assignments):
            member = a["seat__member_id"]
            pool = [
                p
                for p in held
                if p.cell.path.startswith(a["organisation__path"])
                and self._in_force(a, p.day)
                and p.cell.pk != a["seat__member__organisation_id"]
            ]
            wanted = RARE_VISITS if i == rare else COMPLIANT_VISITS
            for half in ([p for p in pool if p.day < middle], [p for p in pool if p.day >= middle]):
                for plan in self.rng.sample(half, min(len(half), wanted // 2)):
                    plan.visitors.add(member)

    # --- texts ------------------------------------------------------------------------------------
    def number(self, cell: Organisation, day: dt.date) -> str:
        counter = self.numbers.setdefault((cell.pk, day.year), itertools.count(1))
        return f"{next(counter):02d}-NQ/CB"

    def agenda(self, plan: Plan, chair: int, secretary: int) -> list[services.AgendaSpec]:
        day = plan.day
        previous = month_label(add_months(day, -1))
        if plan.kind == MeetingKind.THEMATIC:
            items = [
                (f"Báo cáo chuyên đề: {plan.topic}", chair),
                ("Thảo luận, liên hệ thực tế tại cơ quan, đơn vị", secretary),
                ("Kết luận; đảng viên đăng ký việc làm cụ thể thực hiện chuyên đề", chair),
            ]
        else:
            items = [
                ("Thông tin thời sự, tình hình nổi bật trong nước, của thành phố và cơ quan", secretary),
                (f"Đánh giá kết quả thực hiện nghị quyết chi bộ tháng {previous}", chair),
                ("Phổ biến, quán triệt văn bản mới của cấp ủy cấp trên", secretary),
                (f"Phương hướng, nhiệm vụ tháng {month_label(day)}", chair),
                (f"Thu đảng phí tháng {previous}", secretary),
                (f"Thông qua Nghị quyết chi bộ tháng {month_label(day)}", chair),
            ]
        return [services.AgendaSpec(t, presenter=Member(pk=m)) for t, m in items]

    def texts(self, plan: Plan, present: int, expected: int) -> dict[str, str]:
        rng, day = self.rng, plan.day
        a, b = rng.sample(POINTS, 2)
        if plan.kind == MeetingKind.THEMATIC:
            return {
                "discussion": f"Chi ủy trình bày chuyên đề «{plan.topic}». Đảng viên thảo luận, liên hệ với thực "
                f"tiễn công tác tại cơ quan, tập trung vào {a} và {b}.",
                "conclusions": "Chi bộ thống nhất: mỗi đảng viên đăng ký ít nhất một việc làm cụ thể để thực hiện "
                "chuyên đề; chi ủy theo dõi, đánh giá kết quả trong sinh hoạt thường kỳ và biểu dương các cách "
                "làm hay.",
            }
        tasks = rng.sample(TASKS, 2)
        previous = month_label(add_months(day, -1))
        return {
            "discussion": f"Đảng viên thảo luận báo cáo kết quả thực hiện nghị quyết tháng {previous}; ý kiến tập "
            f"trung vào {a}; {b}.",
            "conclusions": f"Đồng chí chủ trì kết luận: chi bộ cơ bản hoàn thành nhiệm vụ tháng {previous}, "
            f"{present}/{expected} đảng viên dự họp; đề nghị đảng viên tiếp tục quan tâm {b}.",
            "resolution_number": self.number(plan.cell, day),
            "resolution_text": f"Chi bộ thống nhất nhiệm vụ trọng tâm tháng {month_label(day)}: 1. {tasks[0]}. "
            f"2. {tasks[1]}. 3. Thu, nộp đảng phí đầy đủ, đúng hạn.",
        }

    def fate(self, people: list[Person], keep: set[int], day: dt.date) -> dict[int, tuple[str, str, bool]]:
        """Attendance of the expected members: (attendance, reason, late); the chair and secretary come,
        and absences are redrawn until the meeting is quorate (else it would have been postponed)."""
        voters = sum(p.may_vote for p in people)
        needed = services.quorum_needed(voters, day)
        while True:
            result = {}
            for p in people:
                if not p.expected:
                    continue
                x = 0.0 if p.member_id in keep else self.rng.random()
                if x < PRESENT:
                    result[p.member_id] = (Attendance.PRESENT, "", self.rng.random() < LATE)
                elif x < EXCUSED:
                    result[p.member_id] = (Attendance.EXCUSED, self.rng.choice(EXCUSES), False)
                else:
                    result[p.member_id] = (Attendance.UNEXCUSED, "", False)
            came = sum(1 for p in people if p.may_vote and result.get(p.member_id, ("",))[0] == Attendance.PRESENT)
            if came >= needed:
                return result

    def show_of_hands(self, present: int) -> dict[str, int]:
        no = 1 if present > 8 and self.rng.random() < 0.1 else 0
        abstain = 1 if present > 5 and self.rng.random() < 0.15 else 0
        return {Choice.YES: present - no - abstain, Choice.NO: no, Choice.ABSTAIN: abstain}

    def approval(self, closed: dt.datetime) -> dt.datetime | None:
        day = self.working(timezone.localtime(closed).date() + dt.timedelta(days=self.rng.randint(1, 4)))
        moment = local_time(day, 9, self.rng.randint(0, 50))
        return moment if moment < self.now else None

    # --- bulk history ------------------------------------------------------------------------------
    def write_bulk(self, plans: list[Plan]) -> tuple[int, int]:
        rng = self.rng
        meetings, agenda, invitations, votes = [], [], [], []
        for plan in plans:
            cell, day, start = plan.cell, plan.day, plan.starts_at
            people = self.people(cell, day)
            chair, secretary = self.officers(cell, day, people)
            actor = self.users["vanphong.coso" if cell.path.startswith(self.office_root.path) else "vanphong"]
            end = start + dt.timedelta(minutes=plan.minutes)
            m = Meeting(
                organisation=cell,
                kind=plan.kind,
                topic=plan.topic,
                starts_at=start,
                place=self.place(cell),
                chair_id=chair,
                secretary_id=secretary,
                created_by=actor,
            )
            m._history_user = actor
            meetings.append(m)
            items = [
                AgendaItem(meeting=m, position=i, title=s.title, presenter_id=s.presenter.pk)
                for i, s in enumerate(self.agenda(plan, chair, secretary), start=1)
            ]
            agenda += items
            members = {p.member_id for p in people}
            guests = [g for g in dict.fromkeys([*self.in_charge(cell, day), *plan.visitors]) if g not in members]
            if plan.cancelled:
                m.state, m.cancel_reason = MeetingState.CANCELLED, plan.cancelled
                invitations += [
                    Invitation(meeting=m, member_id=p.member_id, may_vote=p.may_vote, expected=p.expected)
                    for p in people
                ]
                invitations += [
                    Invitation(meeting=m, member_id=g, role=InviteeRole.GUEST, expected=False) for g in guests
                ]
                continue
            fate = self.fate(people, {chair, secretary}, day)
            for p in people:
                inv = Invitation(meeting=m, member_id=p.member_id, may_vote=p.may_vote, expected=p.expected)
                attendance, reason, late = fate.get(p.member_id, ("", "", False))
                self._bulk_attendance(inv, start, attendance, reason, late)
                invitations.append(inv)
            for g in guests:
                inv = Invitation(meeting=m, member_id=g, role=InviteeRole.GUEST, expected=False)
                if g in plan.visitors:
                    self._bulk_attendance(inv, start, Attendance.PRESENT, "", False)
                else:
                    inv.rsvp, inv.rsvp_reason, inv.rsvp_at = Rsvp.EXCUSED, GUEST_EXCUSE, start - dt.timedelta(days=1)
                invitations.append(inv)
            present = sum(1 for v in fate.values() if v[0] == Attendance.PRESENT)
            for key, value in self.texts(plan, present, len(fate)).items():
                setattr(m, key, value)
            m.opened_at = start + dt.timedelta(minutes=rng.randint(0, 5))
            m.closed_at = m.ends_at = end
            m.approved_at = self.approval(end)
            m.state = MeetingState.APPROVED if m.approved_at else MeetingState.HELD
            if plan.kind == MeetingKind.REGULAR:
                eligible = sum(p.may_vote for p in people)
                voters = sum(1 for p in people if p.may_vote and fate[p.member_id][0] == Attendance.PRESENT)
                counts = self.show_of_hands(voters)
                rule = VoteRule.MAJORITY_OF_MEMBERS
                needed = services.votes_needed(rule, eligible, voters, day)
                quorate = voters >= services.quorum_needed(eligible, day)
                v = Vote(
                    meeting=m,
                    agenda_item=items[-1],
                    question=f"Thông qua Nghị quyết chi bộ tháng {month_label(day)}",
                    method=VoteMethod.COUNT,
                    rule=rule,
                    state=VoteState.CLOSED,
                    eligible=eligible,
                    present=voters,
                    quorate=quorate,
                    yes=counts[Choice.YES],
                    no=counts[Choice.NO],
                    abstain=counts[Choice.ABSTAIN],
                    needed=needed,
                    passed=quorate and counts[Choice.YES] >= needed,
                    opened_at=end - dt.timedelta(minutes=12),
                    closed_at=end - dt.timedelta(minutes=8),
                )
                votes.append(v)
        admin = self.users["admin"]
        for row in itertools.chain(agenda, invitations, votes):  # bulk_create reads the ids of the meetings
            row._history_user = row.meeting._history_user
        for model, rows in ((Meeting, meetings), (AgendaItem, agenda), (Invitation, invitations), (Vote, votes)):
            bulk_create_with_history(rows, model, default_user=admin)
        self.backdate([m.pk for m in meetings])
        return len(meetings), len(invitations)

    def _bulk_attendance(self, inv: Invitation, start: dt.datetime, attendance: str, reason: str, late: bool) -> None:
        rng = self.rng
        inv.attendance, inv.absence_reason = attendance, reason
        answered = start - dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 8))
        if attendance == Attendance.PRESENT:
            inv.late = late
            inv.checked_in_at = start + dt.timedelta(minutes=rng.randint(16, 40) if late else -rng.randint(0, 15))
            if rng.random() < 0.55:
                inv.rsvp, inv.rsvp_at = Rsvp.ATTENDING, answered
        elif attendance == Attendance.EXCUSED and rng.random() < 0.75:
            inv.rsvp, inv.rsvp_reason, inv.rsvp_at = Rsvp.EXCUSED, reason, answered

    def place(self, cell: Organisation) -> str:
        if cell.pk not in self.places:
            floor = self.rng.randint(1, 4)
            rooms = (f"Phòng họp tầng {floor}", f"Hội trường tầng {floor}", f"Phòng họp số {floor + 1}")
            self.places[cell.pk] = self.rng.choice(rooms)
        return self.places[cell.pk]

    def backdate(self, ids: list[int]) -> None:
        """Creation times as the cell would have entered them (a week before), not the seeding time."""
        Meeting.objects.filter(pk__in=ids).update(created_at=F("starts_at") - dt.timedelta(days=7))
        created = Meeting.objects.filter(pk=OuterRef("meeting_id")).values("created_at")
        Invitation.objects.filter(meeting_id__in=ids).update(invited_at=Subquery(created))
        Vote.objects.filter(meeting_id__in=ids).update(created_at=F("opened_at") - dt.timedelta(minutes=5))
        opened = Vote.objects.filter(pk=OuterRef("vote_id")).values("opened_at")
        Ballot.objects.filter(vote__meeting_id__in=ids).update(cast_at=Subquery(opened))
        SpeakerRequest.objects.filter(meeting_id__in=ids).update(requested_at=F("started_at") - dt.timedelta(minutes=3))

    def run(self, clock: Clock) -> tuple[int, int, int]:
        from dangvu.demo.meetings_showcase import Showcase

        candidates = [c for c in self.cells if c.pk != self.showcase.pk and c.valid_to is None]
        first = self.rng.choice([c for c in candidates if c.path.startswith(self.office_root.path)])
        others = self.rng.sample([c for c in candidates if c.pk != first.pk], len(GAPS) - 1)
        gaps = {c.pk: n for c, n in zip([first, *others], GAPS, strict=True)}
        plans = [p for cell in self.cells for p in self.plan_cell(cell, gaps.get(cell.pk, 0), cell.pk == first.pk)]
        self.plan_visits(plans)
        meetings, invitations = self.write_bulk([p for p in plans if p.cell.pk != self.showcase.pk])
        showcase = Showcase(self, clock).write([p for p in plans if p.cell.pk == self.showcase.pk])
        return meetings, invitations, showcase


def build(b: _Builder, users: dict[str, User], merged: Organisation, log: Callable[[str], None] = print) -> None:
    """Add a year of meetings to a freshly built demo world (after `admission_world.build`); `merged` is
    unused (the meetings span every cell of the demo) but kept for the same call as the other parts."""
    from dangvu.demo.meetings_showcase import recording_the_past

    demo = MeetingsDemo(b, users, timezone.now())
    with recording_the_past() as clock:
        meetings, invitations, showcase = demo.run(clock)
    log(
        gettext(
            "Meetings: %(meetings)s in bulk (%(invitations)s invitations), %(showcase)s in the demo cell through "
            "the services (approved minutes with their DOCX, one in progress, one planned)"
        )
        % {"meetings": _n(meetings), "invitations": _n(invitations), "showcase": _n(showcase)}
    )
