"""The demo world: a synthetic party organisation shaped on seed 003 (Đảng bộ các cơ quan Đảng thành phố
Cần Thơ), built only through the domain services so that every row is audited and consistent.

Shape (all synthetic, see docs/performance.md for the reasons of each choice):
- roots "Đảng bộ thành phố Cần Thơ" (CT), "Đảng bộ tỉnh Sóc Trăng" (ST), "Đảng bộ tỉnh Hậu Giang" (HG),
  established 01/01/2005; each has its predecessor committee (khối) with 6 / 5 / 4 grassroots
  organisations (đảng bộ cơ sở with đảng bộ bộ phận and chi bộ; chi bộ cơ sở) — 15 in all;
- life events 2020–2025 (admissions every year with probation then official recognition, transfers
  between cells, exemptions, temporary absences, transfers out and in, removals, expulsions, deaths),
  replayed in date order through dangvu.members.services;
- on 01/07/2025 the three khối are merged (hợp nhất) into "Đảng bộ các cơ quan Đảng thành phố Cần Thơ"
  (CT-CQD) by "Quyết định số 1234-QĐ/TU", the ST and HG roots are merged into CT (the provinces were
  merged), and two pairs of grassroots organisations are merged, so the result has 13 grassroots
  organisations, 5 đảng bộ bộ phận and 103 cells (98 chi bộ trực thuộc + 5 chi bộ cơ sở) with about
  2,400 members;
- terms 2020–2025 and 2025–2030 with their committees, seats and leadership assignments;
- admission files at every step, probation follow-up, overdue deadlines and transfers in every state
  (dangvu.demo.admission_world), dated relative to the day the demo is seeded.

Life events of the world are dated no later than `HORIZON` (31/12/2025) so the world is the same whatever
day it is built; only the admission files, the official recognitions that fell due after `HORIZON` and the
transfers of `admission_world` depend on that day (so deadlines are due soon or overdue on it).
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import itertools
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext

from dangvu.accounts.models import Role, RoleAssignment, User
from dangvu.demo import (
    admission_world,
    discipline_world,
    inspection_world,
    letters_world,
    meetings_world,
    names,
    reviews_world,
    targets_world,
)
from dangvu.demo.committees import build_committees
from dangvu.demo.shape import (  # noqa: F401  (the shape is read as world.X by seed_demo and the tests)
    ADMISSIONS_PER_YEAR,
    DEMO_PASSWORD,
    DEMO_SEED,
    DEMO_USERS,
    EXPULSIONS,
    EXTERNAL_ORGS,
    FOUNDED,
    HORIZON,
    MERGE_DAY,
    MERGE_DOC,
    MERGED_CODE,
    MERGED_NAME,
    PAIR_INTO,
    PAIR_NEW,
    PREDECESSORS,
    PROTECTED_PER_CELL,
    TERM_2020_START,
    YEARLY,
    G,
    GrassrootsSpec,
    PredecessorSpec,
)
from dangvu.lib.dates import add_months
from dangvu.lib.text import grouped as _n
from dangvu.members import services as member_services
from dangvu.members.models import EventKind, Member
from dangvu.orgs import services as org_services
from dangvu.orgs.models import (
    Organisation,
    OrgKind,
)


@dataclass
class Rec:
    """What the builder knows of a member while replaying the years (mirrors the derived state)."""

    pk: int
    cell_id: int
    group: str  # predecessor code, then MERGED_CODE after the merger
    birth: dt.date
    admitted: dt.date
    in_party: bool = True
    probationary: bool = False
    exempt: bool = False
    away: bool = False
    protected: bool = False


@dataclass
class DemoWorld:
    root: Organisation
    merged: Organisation
    predecessors: list[Organisation]
    grassroots: list[Organisation] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)


class _Builder:
    def __init__(self, seed: int, actor: User, log: Callable[[str], None]) -> None:
        self.rng = random.Random(seed)
        self.ids = names.CitizenIds()
        self.cards = itertools.count(1)
        self.docs = itertools.count(1)
        self.actor = actor
        self.log = log
        self.recs: dict[int, Rec] = {}
        self.cells: dict[str, list[Organisation]] = {}  # group -> active cells
        self.protected: dict[int, list[int]] = {}  # cell id -> protected member ids
        self.province: dict[str, names.Province] = {}
        self.orgs: dict[str, Organisation] = {}
        self.queue: list[tuple[dt.date, int, str, object]] = []
        self.seq = itertools.count()
        self.cells_under: dict[int, list[int]] = {}  # org id -> its cells as first established
        self.merged_secretary: int | None = None
        self.cell_secretary: dict[int, int] = {}
        self.discipline_serial = [100]  # numbers of the discipline decisions

    # --- organisations -------------------------------------------------------------------------
    def establish(self, parent: Organisation | None, code: str, name: str, kind: str) -> Organisation:
        doc = org_services.Document(number=f"{next(self.docs)}-QĐ/TU", date=FOUNDED, issuer="Ban Thường vụ")
        node = org_services.establish(parent, org_services.OrgSpec(code, name, kind), FOUNDED, doc, self.actor)
        node = node.created[0]
        self.orgs[code] = node
        return node

    def build_tree(self) -> None:
        units = list(names.UNITS)
        for spec in PREDECESSORS:
            root = self.orgs.get(spec.root_code) or self.establish(None, spec.root_code, spec.root_name, "provincial")
            khoi = self.establish(root, spec.code, spec.name, OrgKind.DIRECT)
            self.province[spec.code] = spec.province
            cells = self.cells.setdefault(spec.code, [])
            for g in spec.grassroots:
                code = f"{spec.code}-{g.key}"
                base = self.establish(khoi, code, g.name, g.kind)
                if g.kind == OrgKind.GRASSROOTS_CELL:
                    self._add_cell(cells, base, root, khoi)
                    continue
                self.rng.shuffle(units)
                pool = iter(units)
                for i, (sub_name, sub_cells) in enumerate(g.subs, start=1):
                    sub = self.establish(base, f"{code}-B{i}", sub_name, OrgKind.SUB_COMMITTEE)
                    for j in range(1, sub_cells + 1):
                        cell = self.establish(sub, f"{code}-B{i}-C{j:02d}", f"Chi bộ {next(pool)}", OrgKind.CELL)
                        self._add_cell(cells, cell, root, khoi, base, sub)
                for j in range(1, g.cells + 1):
                    cell = self.establish(base, f"{code}-C{j:02d}", f"Chi bộ {next(pool)}", OrgKind.CELL)
                    self._add_cell(cells, cell, root, khoi, base)

    def _add_cell(self, cells: list[Organisation], cell: Organisation, *ancestors: Organisation) -> None:
        cells.append(cell)
        for org in (cell, *ancestors):
            self.cells_under.setdefault(org.pk, []).append(cell.pk)

    # --- members -------------------------------------------------------------------------------
    def _doc(self) -> str:
        return f"{next(self.docs)}-QĐ/ĐU"

    def _schedule(self, day: dt.date, kind: str, payload: object = None) -> None:
        heapq.heappush(self.queue, (day, next(self.seq), kind, payload))

    def _new_member(self, cell: Organisation, group: str, person: names.Person, events: list[dict]) -> Rec:
        official = any(e["kind"] == EventKind.OFFICIAL for e in events)
        fields = person.fields()
        fields["card_number"] = names.card_number(next(self.cards)) if official else None
        member = member_services.create_member(fields, events, actor=self.actor, source="seed")
        admitted = events[0]["date"]
        rec = Rec(member.pk, cell.pk, group, person.birth_date, admitted, probationary=not official)
        self.recs[member.pk] = rec
        return rec

    def _admission(self, cell: Organisation, group: str, day: dt.date, person: names.Person) -> Rec:
        official_day = add_months(day, 12) + dt.timedelta(days=self.rng.randint(3, 28))
        events = [{"kind": EventKind.ADMISSION, "date": day, "organisation": cell, "document_number": self._doc()}]
        if official_day < dt.date(2020, 1, 1):
            events.append({"kind": EventKind.OFFICIAL, "date": official_day, "document_number": self._doc()})
        rec = self._new_member(cell, group, person, events)
        if rec.probationary and official_day <= HORIZON:
            self._schedule(official_day, "official", rec.pk)
        return rec

    def initial_members(self) -> None:
        for group, cells in self.cells.items():
            province = self.province[group]
            for cell in cells:
                protected = self.protected.setdefault(cell.pk, [])
                for i in range(self.rng.randint(11, 26)):
                    person = names.person(self.rng, self.ids, province, birth_to=1998)
                    first = max(person.birth_date.year + 20, 1985)
                    day = dt.date(self.rng.randint(first, 2019), self.rng.randint(1, 12), self.rng.randint(1, 28))
                    if i < PROTECTED_PER_CELL:
                        day = min(day, dt.date(2018, 6, 30))  # official before 2020: can hold a seat
                    rec = self._admission(cell, group, day, person)
                    if i < PROTECTED_PER_CELL:
                        rec.protected = True
                        protected.append(rec.pk)
            self.log(
                gettext("  %(group)s: %(cells)s cells, %(members)s members so far")
                % {"group": group, "cells": _n(len(cells)), "members": _n(len(self.recs))}
            )

    def _plan_years(self) -> None:
        for year in range(2020, 2026):
            for _ in range(ADMISSIONS_PER_YEAR):
                self._schedule(self._day(year), "admission")
            for kind, count in YEARLY.items():
                for _ in range(count):
                    self._schedule(self._day(year), kind)
            for _ in range(EXPULSIONS.get(year, 0)):
                self._schedule(self._day(year), "expulsion")
        self._schedule(MERGE_DAY, "merge")

    def _day(self, year: int) -> dt.date:
        day = dt.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))
        return day if day != MERGE_DAY else day + dt.timedelta(days=1)

    def _pick(self, test: Callable[[Rec], bool]) -> Rec | None:
        candidates = [r for r in self.recs.values() if not r.protected and test(r)]
        return self.rng.choice(candidates) if candidates else None

    def _event(self, rec: Rec, kind: str, day: dt.date, **data) -> None:
        member = Member(pk=rec.pk)
        member_services.record_event(
            member, actor=self.actor, source="seed", kind=kind, date=day, document_number=self._doc(), **data
        )

    def replay(self) -> None:
        self._plan_years()
        while self.queue:
            day, _seq, kind, payload = heapq.heappop(self.queue)
            getattr(self, f"_do_{kind}")(day, payload)

    def _do_admission(self, day: dt.date, _payload) -> None:
        group = self.rng.choice(list(self.cells))
        cell = self.rng.choice(self.cells[group])
        province = self.province.get(group) or self.rng.choice((names.CAN_THO, names.SOC_TRANG, names.HAU_GIANG))
        person = names.person(self.rng, self.ids, province, birth_from=1985, birth_to=min(2002, day.year - 19))
        self._admission(cell, group, day, person)

    def _do_official(self, day: dt.date, pk: int) -> None:
        rec = self.recs[pk]
        if rec.in_party and rec.probationary:
            self._event(rec, EventKind.OFFICIAL, day)
            rec.probationary = False
            member = Member.objects.get(pk=pk)
            card = {"card_number": names.card_number(next(self.cards))}
            member_services.update_member(member, card, self.actor, reason="Cấp thẻ đảng viên")

    def _do_transfer(self, day: dt.date, _payload) -> None:
        rec = self._pick(lambda r: r.in_party and not r.away and r.admitted < day)
        if rec is None:
            return
        target = self.rng.choice([c for c in self.cells[rec.group] if c.pk != rec.cell_id])
        self._event(rec, EventKind.TRANSFER, day, organisation=target)
        rec.cell_id = target.pk

    def _do_transfer_out(self, day: dt.date, _payload) -> None:
        rec = self._pick(lambda r: r.in_party and not r.away and r.admitted < day)
        if rec is not None:
            self._event(rec, EventKind.TRANSFER_OUT, day, external_organisation=self.rng.choice(EXTERNAL_ORGS))
            rec.in_party = False

    def _do_transfer_in(self, day: dt.date, _payload) -> None:
        group = self.rng.choice(list(self.cells))
        cell = self.rng.choice(self.cells[group])
        province = self.province.get(group) or names.CAN_THO
        person = names.person(self.rng, self.ids, province, birth_to=min(1998, day.year - 22))
        admitted = dt.date(self.rng.randint(person.birth_date.year + 20, day.year - 2), self.rng.randint(1, 12), 15)
        external = self.rng.choice(EXTERNAL_ORGS)
        events = [
            {"kind": EventKind.ADMISSION, "date": admitted, "external_organisation": external},
            {"kind": EventKind.OFFICIAL, "date": add_months(admitted, 12) + dt.timedelta(days=10)},
            {"kind": EventKind.TRANSFER_IN, "date": day, "organisation": cell, "external_organisation": external},
        ]
        for e in events:
            e["document_number"] = self._doc()
        rec = self._new_member(cell, group, person, events)
        rec.admitted = day  # no further event before the transfer in

    def _do_exemption(self, day: dt.date, _payload) -> None:
        rec = self._pick(lambda r: r.in_party and not r.exempt and not r.away and r.birth.year < 1972)
        if rec is not None:
            self._event(rec, EventKind.EXEMPTION, day, note="Miễn sinh hoạt vì lý do sức khỏe")
            rec.exempt = True

    def _do_exemption_end(self, day: dt.date, _payload) -> None:
        rec = self._pick(lambda r: r.in_party and r.exempt)
        if rec is not None:
            self._event(rec, EventKind.EXEMPTION_END, day)
            rec.exempt = False

    def _do_temp_out(self, day: dt.date, _payload) -> None:
        rec = self._pick(lambda r: r.in_party and not r.away and r.admitted < day)
        if rec is not None:
            self._event(rec, EventKind.TEMP_TRANSFER_OUT, day, note="Đi học tập trung dài hạn")
            rec.away = True

    def _do_temp_return(self, day: dt.date, _payload) -> None:
        rec = self._pick(lambda r: r.in_party and r.away)
        if rec is not None:
            self._event(rec, EventKind.TEMP_TRANSFER_RETURN, day)
            rec.away = False

    def _terminal(self, day: dt.date, kind: str, test: Callable[[Rec], bool], note: str) -> None:
        rec = self._pick(lambda r: r.in_party and r.admitted < day and test(r))
        if rec is not None:
            self._event(rec, kind, day, note=note)
            rec.in_party = False

    def _do_removal(self, day: dt.date, _payload) -> None:
        self._terminal(day, EventKind.REMOVAL, lambda r: True, "Bỏ sinh hoạt đảng không có lý do chính đáng")

    def _do_death(self, day: dt.date, _payload) -> None:
        self._terminal(day, EventKind.DEATH, lambda r: r.birth.year < 1975, "")

    def _do_expulsion(self, day: dt.date, _payload) -> None:
        # Through a discipline case (dangvu.discipline), which records the expulsion event.
        rec = self._pick(lambda r: r.in_party and r.admitted < day and not r.probationary)
        if rec is not None:
            discipline_world.expel(rec.pk, day, self.actor, self.discipline_serial)
            rec.in_party = False

    # --- the 2025 merger -----------------------------------------------------------------------
    def _do_merge(self, day: dt.date, _payload) -> None:
        s = org_services
        khoi = [self.orgs[p.code] for p in PREDECESSORS]
        merged = s.merge(
            khoi,
            day,
            MERGE_DOC,
            self.actor,
            new=s.OrgSpec(MERGED_CODE, MERGED_NAME, OrgKind.DIRECT),
            parent=self.orgs["CT"],
        ).created[0]
        self.orgs[MERGED_CODE] = merged
        province_doc = s.Document("3001-QĐ/TW", dt.date(2025, 6, 20), "Bộ Chính trị", "Hợp nhất tỉnh (minh họa)")
        s.merge([self.orgs["ST"], self.orgs["HG"]], day, province_doc, self.actor, into=self.orgs["CT"])
        doc = s.Document("1240-QĐ/ĐU", dt.date(2025, 6, 30), f"Ban Thường vụ {MERGED_NAME}")
        (a, b), (new_code, new_name) = PAIR_NEW
        created = s.merge(
            [self.orgs[a], self.orgs[b]],
            day,
            doc,
            self.actor,
            new=s.OrgSpec(new_code, new_name, OrgKind.GRASSROOTS_COMMITTEE),
            parent=merged,
        ).created[0]
        self.orgs[new_code] = created
        sources, into = PAIR_INTO
        s.merge([self.orgs[c] for c in sources], day, doc, self.actor, into=self.orgs[into])
        # Mirror the effects: one group of cells; members of the absorbed chi bộ cơ sở are in the target.
        gone = {self.orgs[c].pk for c in sources}
        all_cells = [c for cells in self.cells.values() for c in cells if c.pk not in gone]
        self.cells = {MERGED_CODE: all_cells}
        for rec in self.recs.values():
            rec.group = MERGED_CODE
            if rec.cell_id in gone:
                rec.cell_id = self.orgs[into].pk
        for source in sources:  # they stay protected (no life events) in their new cell
            self.protected[self.orgs[into].pk] += self.protected[self.orgs[source].pk]


def _user(username: str, role: str, org: Organisation | None, password: str, member_id: int | None = None) -> User:
    user = User.objects.create_user(username=username, password=password, member_id=member_id)
    assignment = RoleAssignment(user=user, role=role, organisation=org, valid_from=MERGE_DAY)
    assignment._history_user = user
    assignment.save()
    return user


def demo_logins() -> list[dict]:
    """The demo log-ins present in the database (username, role, organisation code)."""
    rows = []
    for username, role in DEMO_USERS:
        assignment = (
            RoleAssignment.objects.filter(user__username=username, role=role).select_related("organisation").first()
        )
        if assignment is None:
            continue
        org = assignment.organisation
        rows.append(
            {
                "username": username,
                "role": role,
                "organisation_code": org.code if org else None,
                "organisation": org.name if org else "",
            }
        )
    return rows


def create_users(
    password: str,
    *,
    top: Organisation,
    grassroots: Organisation,
    cell: Organisation,
    secretary_id: int | None,
    plain_id: int,
    leader_member_id: int | None,
    city: Organisation,
    admin: User | None = None,
) -> dict[str, User]:
    """The demo log-ins: one per role (office also at the city root, for the benchmarks)."""
    users = {"admin": admin or _user("admin", Role.ADMIN, None, password)}
    users["vanphong.thanhuy"] = _user("vanphong.thanhuy", Role.OFFICE, city, password)
    users["vanphong"] = _user("vanphong", Role.OFFICE, top, password)
    users["kiemtra"] = _user("kiemtra", Role.INSPECTION, top, password)
    users["lanhdao"] = _user("lanhdao", Role.LEADER, top, password, leader_member_id)
    users["vanphong.coso"] = _user("vanphong.coso", Role.OFFICE, grassroots, password)
    users["bithu.chibo"] = _user("bithu.chibo", Role.CELL_SECRETARY, cell, password, secretary_id)
    users["dangvien"] = _user("dangvien", Role.MEMBER, cell, password, plain_id)
    return users


@contextmanager
def rules_memoised() -> Iterator[None]:
    """Memoise `members.services.limits_for` while the world is built: the rule sets cannot change inside
    the build's transaction, and reading them three times per derivation was 40 % of the queries."""
    original = member_services.limits_for
    member_services.limits_for = functools.lru_cache(maxsize=None)(original)
    try:
        yield
    finally:
        member_services.limits_for = original


def build_demo(
    *, seed: int = DEMO_SEED, password: str = DEMO_PASSWORD, log: Callable[[str], None] = print
) -> DemoWorld:
    """Build the demo world in one transaction. The database must have no organisations."""
    with transaction.atomic(), rules_memoised():
        admin = _user("admin", Role.ADMIN, None, password)
        b = _Builder(seed, admin, log)
        b.build_tree()
        log(gettext("Tree: %(n)s organisations") % {"n": _n(len(b.orgs))})
        b.initial_members()
        b.replay()
        in_party = sum(r.in_party for r in b.recs.values())
        log(gettext("Members: %(n)s records, %(p)s in the Party") % {"n": _n(len(b.recs)), "p": _n(in_party)})
        build_committees(b)
        merged = Organisation.objects.get(code=MERGED_CODE)
        grassroots = Organisation.objects.get(code=f"{PREDECESSORS[0].code}-01")
        cell = Organisation.objects.get(code=f"{PREDECESSORS[0].code}-01-C01")
        secretary_id = b.cell_secretary.get(cell.pk)
        plain_id = b.protected[cell.pk][PROTECTED_PER_CELL - 1]  # never given a seat
        users = create_users(
            password,
            top=merged,
            grassroots=grassroots,
            cell=cell,
            secretary_id=secretary_id,
            plain_id=plain_id,
            leader_member_id=b.merged_secretary,
            city=Organisation.objects.get(code="CT"),
            admin=admin,
        )
        admission_world.build(b, users, merged, log)  # candidates, probation and transfers up to today
        meetings_world.build(b, users, merged, log)  # a year of cell meetings up to today
        reviews_world.build(b, users, merged, log)  # yearly reviews 2020 to last year, this year's open
        discipline_world.build(b, users, merged, log)  # discipline cases 2020–2025 and this year's
        inspection_world.build(b, users, merged, log)  # programmes, inspections, remediation, suggestions
        letters_world.build(b, users, merged, log)  # letters 2020–2025 (seed 003) and this year's open ones
        targets_world.build(b, users, merged, log)  # the congress resolutions 2020–2025 and 2025–2030 with targets
        world = DemoWorld(
            root=Organisation.objects.get(code="CT"),
            merged=merged,
            predecessors=[Organisation.objects.get(code=p.code) for p in PREDECESSORS],
            grassroots=list(
                Organisation.objects.filter(
                    path__startswith=merged.path, kind__in=OrgKind.grassroots(), valid_to__isnull=True
                )
            ),
            users=users,
        )
    return world
