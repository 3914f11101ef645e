"""Admission files, probation and transfers for the demo world (issue 3), so that a new user sees the
pipeline board full and the alerts page with items of every kind.

Everything is written through dangvu.admission.services and dangvu.transfers.services (audited, checked
against the rules in force), with synthetic people from dangvu.demo.names. Unlike the member history of
the world (fixed dates up to `world.HORIZON`), these files are dated relative to the day the demo is seeded
(`timezone.localdate()`), never in the future, so deadlines are due soon or overdue whatever that day is.

What is built:
- the demo secretary's cell (bithu.chibo) has one open file at every step of the board, including a
  ceremony overdue, an official recognition overdue and a probation ending within 30 days;
- the other cells of the demo grassroots office (vanphong.coso) hold the closed outcomes (official,
  removed, withdrawn), an awareness-course certificate about to expire and more overdue items;
- every other cell of the merged committee has one or two files at steps drawn at random;
- probationary members of the world whose official recognition fell due before today are recognised
  (as the cells would have done), so only the overdue items staged here remain overdue;
- transfers: official ones between cells in transit (one overdue), one acknowledged, a temporary one
  ongoing, one to an organisation outside the system and one received from outside.

All writes are replayed in date order, so every vote counts the cell's official members on its day.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import itertools
import random
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext

from dangvu.accounts.models import RoleAssignment, User
from dangvu.admission import services as admission
from dangvu.admission.models import Candidate, MassOrg, Stage
from dangvu.demo import names
from dangvu.lib.dates import add_months
from dangvu.lib.text import grouped as _n
from dangvu.lib.workdays import Calendar
from dangvu.members import services as member_services
from dangvu.members.models import EventKind, Member, Status
from dangvu.orgs.models import CommitteeSeat, Organisation, OrgKind
from dangvu.rules.registry import rules_on
from dangvu.transfers import services as transfers
from dangvu.transfers.models import TransferKind

if TYPE_CHECKING:
    from dangvu.demo.world import _Builder

S = Stage
# Days from one step to the next (drawn uniformly); TRAINING → OFFICIAL_RESOLUTION runs from the end of
# probation (12 months after the ceremony) instead.
GAPS: dict[str, tuple[int, int]] = {
    S.SOURCE: (45, 150),
    S.COURSE: (20, 60),
    S.APPLICATION: (25, 60),
    S.VERIFICATION: (10, 30),
    S.INTRODUCTION: (7, 20),
    S.CELL_RESOLUTION: (7, 20),
    S.COMMITTEE_RESOLUTION: (7, 20),
    S.DECISION: (7, 25),
    S.CEREMONY: (30, 120),
    S.OFFICIAL_RESOLUTION: (7, 20),
}
AFTER_PROBATION = (3, 12)  # days from the end of probation to the cell's resolution


@dataclass(frozen=True)
class Scenario:
    """Where a file stops: its last recorded step, and which step is dated how far before today."""

    last: str
    anchor: str
    days_ago: tuple[int, int] = (0, 0)  # anchor date = today - days (for a pre-ceremony anchor)
    probation_end: tuple[int, int] | None = None  # ceremony dated so that probation ends today + days
    course_expires: tuple[int, int] | None = None  # course dated so that its certificate expires today + days
    outcome: str = "open"  # open / official / removed / withdrawn


SCENARIOS: dict[str, Scenario] = {
    "source": Scenario(S.SOURCE, S.SOURCE, (5, 120)),
    "course": Scenario(S.COURSE, S.COURSE, (10, 150)),
    "application": Scenario(S.APPLICATION, S.APPLICATION, (10, 90)),
    "verification": Scenario(S.VERIFICATION, S.VERIFICATION, (5, 60)),
    "introduction": Scenario(S.INTRODUCTION, S.INTRODUCTION, (3, 30)),
    "cell_resolution": Scenario(S.CELL_RESOLUTION, S.CELL_RESOLUTION, (2, 15)),
    "committee_resolution": Scenario(S.COMMITTEE_RESOLUTION, S.COMMITTEE_RESOLUTION, (2, 12)),
    "decision": Scenario(S.DECISION, S.DECISION, (2, 10)),
    # Decided more than 30 working days ago and no ceremony yet.
    "ceremony_overdue": Scenario(S.DECISION, S.DECISION, (65, 110)),
    "ceremony": Scenario(S.CEREMONY, S.CEREMONY, (15, 90)),
    "training": Scenario(S.TRAINING, S.CEREMONY, (120, 300)),
    "probation_ending": Scenario(S.TRAINING, S.CEREMONY, probation_end=(5, 25)),
    # Probation ended more than 30 working days ago and the cell has not considered official membership.
    "official_overdue": Scenario(S.TRAINING, S.CEREMONY, probation_end=(-120, -65)),
    "official_resolution": Scenario(S.OFFICIAL_RESOLUTION, S.CEREMONY, probation_end=(-30, -15)),
    "official": Scenario(S.OFFICIAL_DECISION, S.CEREMONY, probation_end=(-600, -60), outcome="official"),
    "removed": Scenario(S.OFFICIAL_DECISION, S.CEREMONY, probation_end=(-400, -60), outcome="removed"),
    "withdrawn": Scenario(S.VERIFICATION, S.VERIFICATION, (30, 200), outcome="withdrawn"),
    # The awareness-course certificate (valid 5 years) expires within 30 days and the cell has not voted.
    "certificate_expiring": Scenario(S.INTRODUCTION, S.COURSE, course_expires=(5, 25)),
}
SECRETARY_CELL = (
    "source",
    "course",
    "application",
    "verification",
    "introduction",
    "cell_resolution",
    "committee_resolution",
    "ceremony_overdue",
    "ceremony",
    "training",
    "probation_ending",
    "official_overdue",
    "official_resolution",
)
GRASSROOTS_OFFICE = (
    "official",
    "official",
    "removed",
    "withdrawn",
    "certificate_expiring",
    "ceremony_overdue",
    "official_overdue",
    "probation_ending",
    "decision",
    "official_resolution",
    "training",
)
RANDOM_WEIGHTS = {
    "source": 3,
    "course": 3,
    "application": 3,
    "verification": 2,
    "introduction": 2,
    "cell_resolution": 1,
    "committee_resolution": 1,
    "decision": 1,
    "ceremony": 1,
    "training": 2,
    "probation_ending": 1,
    "official_resolution": 1,
    "official": 2,
    "withdrawn": 1,
    "removed": 0.3,
    "certificate_expiring": 0.5,
    "ceremony_overdue": 0.5,
    "official_overdue": 0.5,
}
WITHDRAW_REASONS = (
    "Quần chúng chuyển công tác ra ngoài đơn vị",
    "Quần chúng xin rút đơn vì lý do gia đình",
    "Kết quả thẩm tra lý lịch chưa rõ, chi bộ đề nghị tiếp tục bồi dưỡng",
)
OUTSIDE = (
    "Đảng bộ Khối cơ quan tỉnh Vĩnh Long",
    "Đảng bộ Đại học Cần Thơ",
    "Đảng bộ Khối doanh nghiệp Thành phố Hồ Chí Minh",
)
TEMPORARY_TO = "Đảng bộ Học viện Chính trị khu vực IV"
COURSE_ISSUER = "Trung tâm Chính trị - Đảng ủy các cơ quan Đảng thành phố Cần Thơ"


def _committee_name(org: Organisation) -> str:
    """'Đảng bộ Báo Cần Thơ' → 'Đảng ủy Báo Cần Thơ' (the committee that issues the documents)."""
    for prefix, body in (("Đảng bộ ", "Đảng ủy "), ("Chi bộ ", "Chi ủy ")):
        if org.name.startswith(prefix):
            return body + org.name[len(prefix) :]
    return org.name


@dataclass
class _File:
    """One planned admission file: who, where, the date of each step and how it ends."""

    cell: Organisation
    person: names.Person
    dates: dict[str, dt.date]
    outcome: str
    candidate: Candidate | None = None
    introducers: list[tuple[Member, dt.date]] = field(default_factory=list)


class _AdmissionDemo:
    def __init__(self, b: _Builder, users: dict[str, User], merged: Organisation, today: dt.date) -> None:
        self.b = b
        self.rng = random.Random(b.rng.getrandbits(64))
        self.today = today
        self.users = users
        self.merged = merged
        self.calendar = Calendar.from_rules(rules_on(today))
        self.queue: list[tuple[dt.date, int, Callable[[], object]]] = []
        self.seq = itertools.count()
        self.numbers: dict[str, itertools.count] = {}
        self.cells = list(
            Organisation.objects.filter(
                path__startswith=merged.path, valid_to__isnull=True, kind__in=OrgKind.member_holding()
            ).order_by("path")
        )
        self.grassroots = list(
            Organisation.objects.filter(
                path__startswith=merged.path, valid_to__isnull=True, kind__in=OrgKind.grassroots()
            ).order_by("-depth", "path")
        )
        self.seats = dict(
            CommitteeSeat.objects.filter(
                committee__organisation__in=self.grassroots, committee__term__code="2025-2030", valid_to__isnull=True
            )
            .values("committee__organisation_id")
            .annotate(n=Count("id"))
            .values_list("committee__organisation_id", "n")
        )
        # Introducers: the cells' first members, official since before 2020 and never moved by the world.
        protected = [pk for pks in b.protected.values() for pk in pks]
        self.introducers: dict[int, list[Member]] = {}
        for m in Member.objects.filter(pk__in=protected, status=Status.OFFICIAL).order_by("pk"):
            self.introducers.setdefault(m.organisation_id, []).append(m)
        self.secretary_cell = self._role_org("bithu.chibo")
        self.office_root = self._role_org("vanphong.coso")
        self.names: dict[int, set[str]] = {}
        self.outside = self.rng.sample(OUTSIDE, len(OUTSIDE))  # a different organisation each time

    # --- helpers --------------------------------------------------------------------------------
    def _number(self, kind: str, start: int = 1) -> str:
        """Document numbers run per kind of document ('12-NQ/CB', '345-QĐ/ĐU')."""
        counter = self.numbers.setdefault(kind, itertools.count(start))
        return f"{next(counter)}-{kind}"

    def _days(self, bounds: tuple[int, int]) -> int:
        return self.rng.randint(*bounds)

    def _working(self, day: dt.date, low: dt.date | None = None) -> dt.date:
        """The first working day on or after `day`, not after today (else the last one before it), not
        before `low`."""
        low = low or dt.date.min
        forward = day
        while not self.calendar.is_working_day(forward):
            forward += dt.timedelta(days=1)
        if forward <= self.today:
            return max(forward, low)
        back = min(day, self.today)
        while back > low and not self.calendar.is_working_day(back):
            back -= dt.timedelta(days=1)
        return max(back, low)

    def _due_passed(self, start: dt.date, key: str) -> bool:
        values = rules_on(start)
        return Calendar.from_rules(values).add_working_days(start, values[key]) < self.today

    def _grassroots_of(self, cell: Organisation) -> Organisation:
        return next(g for g in self.grassroots if cell.path.startswith(g.path))

    def _role_org(self, username: str) -> Organisation:
        return RoleAssignment.objects.select_related("organisation").get(user=self.users[username]).organisation

    def _in_office(self, org: Organisation) -> bool:
        return org.path.startswith(self.office_root.path)

    def _actor(self, cell: Organisation, stage: str) -> User:
        """The demo cell's secretary records its cell's steps, the grassroots office those of its cells,
        the committee office the rest and every committee step."""
        if stage in Stage.committee_stages():
            return self.users["vanphong"]
        if cell.pk == self.secretary_cell.pk:
            return self.users["bithu.chibo"]
        return self.users["vanphong.coso" if self._in_office(cell) else "vanphong"]

    def _schedule(self, day: dt.date, action: Callable[[], object]) -> None:
        heapq.heappush(self.queue, (day, next(self.seq), action))

    # --- planning ------------------------------------------------------------------------------
    def plan_dates(self, scenario: Scenario, stages: list[str]) -> dict[str, dt.date]:
        last = stages.index(scenario.last)
        anchor = stages.index(scenario.anchor)
        if scenario.probation_end is not None:
            end = self.today + dt.timedelta(days=self._days(scenario.probation_end))
            day = add_months(end, -12)
        elif scenario.course_expires is not None:
            years = rules_on(self.today)["admission.certificate_valid_years"]
            day = add_months(self.today + dt.timedelta(days=self._days(scenario.course_expires)), -12 * years)
        else:
            day = self.today - dt.timedelta(days=self._days(scenario.days_ago))
        rough = {stages[anchor]: day}
        for i in range(anchor - 1, -1, -1):
            rough[stages[i]] = rough[stages[i + 1]] - dt.timedelta(days=self._days(GAPS[stages[i]]))
        for i in range(anchor + 1, last + 1):
            stage, before = stages[i], stages[i - 1]
            if stage == S.OFFICIAL_RESOLUTION:
                rough[stage] = add_months(rough[S.CEREMONY], 12) + dt.timedelta(days=self._days(AFTER_PROBATION))
            else:
                rough[stage] = rough[before] + dt.timedelta(days=self._days(GAPS[before]))
        # On working days, in order, never in the future; the cell votes on official membership once
        # probation (12 months from the actual ceremony day) has ended.
        dates: dict[str, dt.date] = {}
        previous = None
        for stage in stages[: last + 1]:
            low = previous
            if stage == S.OFFICIAL_RESOLUTION:
                low = add_months(dates[S.CEREMONY], 12)
            dates[stage] = previous = self._working(rough[stage], low)
        return dates

    def plan(self, name: str, cell: Organisation) -> _File | None:
        scenario = SCENARIOS[name]
        stages = [s for s in Stage.order() if s != S.COMMITTEE_RESOLUTION or cell.kind != OrgKind.GRASSROOTS_CELL]
        if scenario.last not in stages:  # a chi bộ cơ sở proposes directly to the committee above
            scenario = SCENARIOS["cell_resolution"]
        for _attempt in range(10):
            dates = self.plan_dates(scenario, stages)
            if max(dates.values()) > self.today or not self._keeps_promise(name, dates):
                continue
            province = self.rng.choice((names.CAN_THO, names.CAN_THO, names.SOC_TRANG, names.HAU_GIANG))
            first = min(dates.values())
            used = self.names.setdefault(cell.pk, set())
            born = {"birth_from": first.year - 40, "birth_to": first.year - 20}
            person = names.person(self.rng, self.b.ids, province, **born)
            while person.full_name in used:  # two candidates of one cell with the same name would confuse
                person = names.person(self.rng, self.b.ids, province, **born)
            used.add(person.full_name)
            return _File(cell, person, dates, scenario.outcome)
        return None

    def _keeps_promise(self, name: str, dates: dict[str, dt.date]) -> bool:
        """The overdue scenarios are overdue on the calendar in force (holidays lengthen deadlines)."""
        if name == "ceremony_overdue":
            return self._due_passed(dates[S.DECISION], "admission.ceremony_working_days")
        if name == "official_overdue":
            return self._due_passed(add_months(dates[S.CEREMONY], 12), "admission.official_working_days")
        if name == "probation_ending":
            return self.today < add_months(dates[S.CEREMONY], 12) <= self.today + dt.timedelta(days=30)
        if name == "certificate_expiring":
            return self.today < add_months(dates[S.COURSE], 60) <= self.today + dt.timedelta(days=30)
        return True

    def plan_files(self) -> list[_File]:
        files = [self.plan(name, self.secretary_cell) for name in SECRETARY_CELL]
        office_cells = [c for c in self.cells if self._in_office(c) and c.pk != self.secretary_cell.pk]
        for i, name in enumerate(GRASSROOTS_OFFICE):
            files.append(self.plan(name, office_cells[i % len(office_cells)]))
        population, weights = zip(*RANDOM_WEIGHTS.items(), strict=True)
        for cell in self.cells:
            if self._in_office(cell):
                continue
            for name in self.rng.choices(population, weights, k=1 + (self.rng.random() < 0.3)):
                files.append(self.plan(name, cell))
        return [f for f in files if f is not None]

    # --- writing -------------------------------------------------------------------------------
    def schedule_file(self, f: _File) -> None:
        stages = list(f.dates)
        self._schedule(f.dates[S.SOURCE], lambda: self._open(f))
        for stage in stages[1:]:
            self._schedule(f.dates[stage], lambda stage=stage: self._step(f, stage))
        if f.outcome == "withdrawn":
            day = min(self.today, f.dates[stages[-1]] + dt.timedelta(days=self.rng.randint(10, 60)))
            self._schedule(day, lambda: admission.withdraw(f.candidate, self.users["vanphong"], self._withdraw()))

    def _withdraw(self) -> str:
        return self.rng.choice(WITHDRAW_REASONS)

    def _open(self, f: _File) -> None:
        f.candidate = admission.create_candidate(
            f.person.fields(),
            f.cell,
            self._actor(f.cell, S.SOURCE),
            date=f.dates[S.SOURCE],
            document_number=self._number("DS/CB", 3),
            note="Danh sách quần chúng ưu tú của chi bộ",
        )

    def _step(self, f: _File, stage: str) -> None:
        day = f.dates[stage]
        grassroots = self._grassroots_of(f.cell)
        data: dict = {"document_date": day}
        extra: dict = {}
        if stage == S.COURSE:
            data |= {"document_number": self._number("GCN/TTCT", 101), "issuer": COURSE_ISSUER}
            data["note"] = "Lớp bồi dưỡng nhận thức về Đảng"
        elif stage == S.APPLICATION:
            data |= {"note": "Đơn xin vào Đảng, lý lịch người xin vào Đảng (mẫu 2-KNĐ)", "document_date": None}
        elif stage == S.VERIFICATION:
            data |= {"document_number": self._number("CV/ĐU", 45), "issuer": _committee_name(grassroots)}
            data["note"] = "Thẩm tra, xác minh lý lịch người xin vào Đảng: đủ tiêu chuẩn"
        elif stage == S.INTRODUCTION:
            data, extra = self._introduction(f, day)
        elif stage in (S.CELL_RESOLUTION, S.OFFICIAL_RESOLUTION):
            data |= {"document_number": self._number("NQ/CB", 12), "issuer": f.cell.name}
            data |= self._cell_votes(f, stage, day)
        elif stage == S.COMMITTEE_RESOLUTION:
            eligible = self.seats.get(grassroots.pk, 7)
            share = admission.threshold(rules_on(day)["admission.committee_vote_threshold"])
            needed = admission.votes_needed(share, eligible)
            votes_for = self.rng.randint(needed, eligible)
            data |= {"document_number": self._number("NQ/ĐU", 120), "issuer": _committee_name(grassroots)}
            data |= {"votes_for": votes_for, "votes_against": 0}
            extra["votes_eligible"] = eligible
        elif stage in (S.DECISION, S.OFFICIAL_DECISION):
            issuer = f"Ban Thường vụ {_committee_name(self.merged)}"
            data |= {"document_number": self._number("QĐ/ĐU", 345), "issuer": issuer}
        elif stage == S.CEREMONY:
            data |= {"note": "Lễ kết nạp tổ chức tại hội trường cơ quan", "document_date": None}
        elif stage == S.TRAINING:
            data |= {"document_number": self._number("GCN/TTCT", 101), "issuer": COURSE_ISSUER}
            data["note"] = "Lớp bồi dưỡng lý luận chính trị cho đảng viên mới"
        admission.record_step(f.candidate, stage, self._actor(f.cell, stage), date=day, **data, **extra)

    def _introduction(self, f: _File, day: dt.date) -> tuple[dict, dict]:
        age = day.year - f.person.birth_date.year
        youth = age <= 30
        needed = rules_on(day)["admission.introducers"] - (1 if youth else 0)
        pool = self.introducers[f.cell.pk]
        chosen = self.rng.sample(pool, max(needed, 1))
        f.introducers = [(m, add_months(day, -self.rng.randint(13, 48))) for m in chosen]
        if youth:
            mass, number = MassOrg.YOUTH_UNION, self._number("NQ/ĐTN", 8)
            issuer = f"Ban Chấp hành Đoàn cơ sở {f.cell.name.removeprefix('Chi bộ ')}"
        else:
            mass, number = MassOrg.TRADE_UNION, self._number("NQ/CĐ", 5)
            issuer = f"Ban Chấp hành Công đoàn cơ sở {f.cell.name.removeprefix('Chi bộ ')}"
        data = {"mass_org": mass, "document_number": number, "document_date": day, "issuer": issuer}
        data["note"] = "Giấy giới thiệu người vào Đảng (mẫu 3-KNĐ) và nghị quyết giới thiệu của đoàn thể"
        return data, {"introducers": f.introducers}

    def _cell_votes(self, f: _File, stage: str, day: dt.date) -> dict:
        eligible = admission.official_members_on(f.cell, day)
        share = admission.threshold(rules_on(day)["admission.cell_vote_threshold"])
        needed = admission.votes_needed(share, eligible)
        if stage == S.OFFICIAL_RESOLUTION and f.outcome == "removed":
            votes_for = self.rng.randint(max(0, needed - 4), needed - 1)
            note = "Đảng viên dự bị không đủ tư cách, chi bộ đề nghị xóa tên"
        else:
            votes_for = self.rng.randint(needed, eligible)
            note = ""
        absent = self.rng.randint(0, min(2, eligible - votes_for))
        return {"votes_for": votes_for, "votes_against": eligible - votes_for - absent, "note": note}

    # --- the world's probationary members --------------------------------------------------------
    def schedule_catch_up(self) -> None:
        """Members the world admitted in 2025 whose probation ended: the cells considered official
        membership on time, except those this module stages as overdue."""
        rows = Member.objects.filter(status=Status.PROBATIONARY, candidacy__isnull=True, probation_end__isnull=False)
        for member in rows.order_by("pk"):
            if not self._due_passed(member.probation_end, "admission.official_working_days"):
                continue
            day = self._working(member.probation_end + dt.timedelta(days=self.rng.randint(5, 25)), member.probation_end)
            self._schedule(day, lambda member=member, day=day: self._recognise(member, day))

    def _recognise(self, member: Member, day: dt.date) -> None:
        member_services.record_event(
            member,
            self.users["vanphong"],
            source="seed",
            kind=EventKind.OFFICIAL,
            date=day,
            document_number=self._number("QĐ/ĐU", 345),
            document_date=day,
            issuer=f"Ban Thường vụ {_committee_name(self.merged)}",
        )

    # --- transfers -----------------------------------------------------------------------------
    def schedule_transfers(self) -> None:
        pool = [pk for pk, rec in self.b.recs.items() if rec.in_party and not rec.protected and not rec.probationary]
        movable = list(
            Member.objects.filter(pk__in=pool, status=Status.OFFICIAL, is_away=False, is_exempt=False)
            .annotate(last=Max("events__date"))
            .filter(last__lt=self.today - dt.timedelta(days=160))
            .select_related("organisation")
            .order_by("pk")
        )
        self.rng.shuffle(movable)
        inside = [m for m in movable if self._in_office(m.organisation)]
        elsewhere = [m for m in movable if not self._in_office(m.organisation)]
        other_cells = [c for c in self.cells if not self._in_office(c)]

        def letter(days: tuple[int, int]) -> dt.date:
            return self._working(self.today - dt.timedelta(days=self._days(days)))

        overdue = letter((55, 80))
        while not self._due_passed(overdue, "transfer.present_working_days"):
            overdue = self._working(overdue - dt.timedelta(days=7))
        plans = [
            (inside.pop(), overdue, self.rng.choice(other_cells), None),  # in transit, overdue
            (elsewhere.pop(), letter((3, 10)), None, None),  # in transit, recent
            (elsewhere.pop(), letter((2, 6)), None, None),
            (elsewhere.pop(), letter((40, 90)), self.secretary_cell, (3, 15)),  # acknowledged by the demo cell
        ]
        for member, day, to, ack in plans:
            target = to or self.rng.choice([c for c in self.cells if c.pk != member.organisation_id])
            self._schedule(day, lambda m=member, d=day, t=target, a=ack: self._official(m, d, t, a))
        temporary, outside = inside.pop(), elsewhere.pop()
        self._schedule(day := letter((60, 150)), lambda d=day: self._temporary(temporary, d))
        self._schedule(day := letter((20, 60)), lambda d=day: self._outside(outside, d))
        arrival = self.rng.choice([c for c in self.cells if self._in_office(c)])
        self._schedule(day := letter((20, 40)), lambda d=day: self._from_outside(arrival, d))

    def _letter(self, member: Member, **kwargs) -> object:
        sending = member.organisation
        return transfers.issue(
            member,
            self.users["vanphong"],
            letter_number=self._number("GTSH/ĐU", 60),
            issuer=_committee_name(self._grassroots_of(sending)),
            **kwargs,
        )

    def _official(self, member: Member, day: dt.date, to: Organisation, ack: tuple[int, int] | None) -> None:
        transfer = self._letter(
            member, kind=TransferKind.OFFICIAL, letter_date=day, to_organisation=to, reason="Điều động công tác"
        )
        if ack:
            on = self._working(day + dt.timedelta(days=self._days(ack)), day)
            self._schedule(on, lambda: self._acknowledge(transfer, on, "Đã tiếp nhận sinh hoạt đảng"))

    def _acknowledge(self, transfer, day: dt.date, text: str) -> None:
        transfers.acknowledge(transfer, self.users["vanphong"], date=day, acknowledgment=text)

    def _temporary(self, member: Member, day: dt.date) -> None:
        transfer = self._letter(
            member,
            kind=TransferKind.TEMPORARY,
            letter_date=day,
            to_external=TEMPORARY_TO,
            reason="Học cao cấp lý luận chính trị tập trung",
        )
        on = self._working(day + dt.timedelta(days=self.rng.randint(5, 12)), day)
        self._schedule(on, lambda: self._acknowledge(transfer, on, "Phiếu tiếp nhận sinh hoạt đảng tạm thời"))

    def _outside(self, member: Member, day: dt.date) -> None:
        transfer = self._letter(
            member,
            kind=TransferKind.OFFICIAL,
            letter_date=day,
            to_external=self.outside.pop(),
            reason="Chuyển công tác ra ngoài tỉnh",
        )
        on = self._working(day + dt.timedelta(days=self.rng.randint(10, 20)), day)
        self._schedule(on, lambda: self._acknowledge(transfer, on, "Phiếu báo đã chuyển đến đảng bộ mới"))

    def _from_outside(self, cell: Organisation, day: dt.date) -> None:
        person = names.person(self.rng, self.b.ids, names.CAN_THO, birth_from=1975, birth_to=1995)
        admitted = dt.date(self.rng.randint(person.birth_date.year + 22, day.year - 3), self.rng.randint(1, 12), 15)
        origin = self.outside.pop()
        transfers.receive_from_outside(
            person.fields(),
            cell,
            self.users["vanphong"],
            date=self._working(day + dt.timedelta(days=self.rng.randint(3, 10)), day),
            from_external=origin,
            letter_number=f"{self.rng.randint(20, 300)}-GTSH/ĐU",
            letter_date=day,
            admission_date=admitted,
            official_date=add_months(admitted, 12) + dt.timedelta(days=12),
            issuer=origin.replace("Đảng bộ", "Đảng ủy", 1),
        )

    def run(self) -> tuple[int, int]:
        files = self.plan_files()
        for f in files:
            self.schedule_file(f)
        self.schedule_catch_up()
        self.schedule_transfers()
        writes = len(self.queue)
        while self.queue:
            _day, _seq, action = heapq.heappop(self.queue)
            action()
        return len(files), writes


@contextmanager
def rules_memoised() -> Iterator[None]:
    """Memoise `rules_on` in the services used here while the demo is built: the rule sets cannot change
    inside the build's transaction, and reading them on every step was a fifth of the build."""
    modules = (sys.modules[__name__], admission, transfers)
    original = rules_on
    cached = functools.lru_cache(maxsize=None)(original)
    for module in modules:
        module.rules_on = cached
    try:
        yield
    finally:
        for module in modules:
            module.rules_on = original


def build(b: _Builder, users: dict[str, User], merged: Organisation, log: Callable[[str], None] = print) -> None:
    """Add the admission files, probation follow-up and transfers to a freshly built demo world."""
    with rules_memoised():
        files, writes = _AdmissionDemo(b, users, merged, timezone.localdate()).run()
    log(
        gettext("Admission: %(files)s candidate files, %(writes)s dated writes (steps, recognitions, transfers)")
        % {"files": _n(files), "writes": _n(writes)}
    )
