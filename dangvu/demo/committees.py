"""The demo committees: executive committees and standing committees of each party committee, their seats
and the cells each member of the committee follows. Split from dangvu.demo.world (`build_demo` calls
`build_committees`)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import TYPE_CHECKING

from simple_history.utils import bulk_create_with_history

from dangvu.accounts.models import User
from dangvu.demo.shape import MERGE_DAY, MERGED_CODE, PREDECESSORS, PROTECTED_PER_CELL, TERM_2020_START
from dangvu.orgs.models import (
    Committee,
    CommitteeSeat,
    LeadershipAssignment,
    Organisation,
    OrgKind,
    Position,
    Term,
)

if TYPE_CHECKING:
    from dangvu.demo.world import _Builder

SEAT_DOC = "{n}-QĐ/ĐU"


def _committee_layout(n_btv: int, n_members: int) -> list[str]:
    deputies = 1 if n_btv <= 3 else 2
    return (
        [Position.SECRETARY]
        + [Position.DEPUTY_SECRETARY] * deputies
        + [Position.STANDING_MEMBER] * (n_btv - 1 - deputies)
        + [Position.COMMITTEE_MEMBER] * n_members
    )


def _cell_ids(org: Organisation) -> list[int]:
    return list(
        Organisation.objects.filter(path__startswith=org.path, kind__in=OrgKind.member_holding()).values_list(
            "id", flat=True
        )
    )


class _Committees:
    def __init__(self, builder: _Builder) -> None:
        self.b = builder
        self.committees: list[Committee] = []
        self.seats: list[tuple[Committee, CommitteeSeat]] = []
        self.assignments: list[tuple[CommitteeSeat, Organisation]] = []
        self.n = itertools.count(1)

    def _people(self, cell_ids: list[int], count: int) -> list[int]:
        # Seats go to the protected members of the cells (not the last one: the demo's plain member).
        pool = [pk for cid in cell_ids for pk in self.b.protected.get(cid, [])[: PROTECTED_PER_CELL - 1]]
        return self.b.rng.sample(pool, min(count, len(pool)))

    def add(
        self,
        org: Organisation,
        term: Term,
        elected: dt.date,
        until: dt.date | None,
        positions: list[str],
        people: list[int],
    ) -> list[CommitteeSeat]:
        doc = f"{next(self.n)}-QĐ/ĐU"
        committee = Committee(organisation=org, term=term, elected_on=elected, document_number=doc)
        self.committees.append(committee)
        seats = []
        for position, pk in zip(positions, people, strict=False):
            seat = CommitteeSeat(
                member_id=pk, position=position, valid_from=elected, valid_to=until, document_number=doc
            )
            self.seats.append((committee, seat))
            seats.append(seat)
        return seats

    def assign(self, seats: list[CommitteeSeat], grassroots: list[Organisation]) -> None:
        """Each standing-committee member is in charge of one or two grassroots organisations."""
        standing = [s for s in seats if s.position != Position.COMMITTEE_MEMBER]
        for i, org in enumerate(grassroots):
            self.assignments.append((standing[i % len(standing)], org))

    def save(self, actor: User) -> None:
        bulk_create_with_history(self.committees, Committee, default_user=actor)
        for committee, seat in self.seats:
            seat.committee_id = committee.pk
        bulk_create_with_history([s for _c, s in self.seats], CommitteeSeat, default_user=actor)
        rows = [
            LeadershipAssignment(
                seat_id=seat.pk,
                organisation=org,
                valid_from=seat.valid_from,
                valid_to=seat.valid_to,
                document_number=seat.document_number,
            )
            for seat, org in self.assignments
        ]
        bulk_create_with_history(rows, LeadershipAssignment, default_user=actor)


def build_committees(b: _Builder) -> None:
    term1, _ = Term.objects.get_or_create(
        code="2020-2025", defaults={"start": dt.date(2020, 1, 1), "end": dt.date(2025, 12, 31)}
    )
    term2, _ = Term.objects.get_or_create(
        code="2025-2030", defaults={"start": dt.date(2025, 1, 1), "end": dt.date(2030, 12, 31)}
    )
    c = _Committees(b)
    base_elected, base_reelected = dt.date(2020, 6, 15), dt.date(2025, 5, 15)
    by_code = {o.code: o for o in Organisation.objects.filter(code__in=list(b.orgs))}
    for spec in PREDECESSORS:
        khoi = by_code[spec.code]
        grassroots = [by_code[f"{spec.code}-{g.key}"] for g in spec.grassroots]
        n_btv = (len(grassroots) + 1) // 2 + 1
        people = c._people(b.cells_under[khoi.pk], n_btv + 8)
        seats = c.add(khoi, term1, TERM_2020_START, MERGE_DAY, _committee_layout(n_btv, 8), people)
        c.assign(seats, grassroots)
    merged = by_code[MERGED_CODE]
    current = list(
        Organisation.objects.filter(
            path__startswith=merged.path, valid_to__isnull=True, kind__in=OrgKind.grassroots()
        ).order_by("path")
    )
    n_btv = (len(current) + 1) // 2 + 1
    seats = c.add(merged, term2, MERGE_DAY, None, _committee_layout(n_btv, 9), c._people(_cell_ids(merged), n_btv + 9))
    c.assign(seats, current)
    b.merged_secretary = seats[0].member_id
    # Grassroots organisations, đảng bộ bộ phận and cells: one committee for each term they lived in.
    lower = Organisation.objects.filter(
        kind__in=[*OrgKind.grassroots(), OrgKind.SUB_COMMITTEE, OrgKind.CELL], path__startswith=by_code["CT"].path
    ).order_by("path")
    for org in lower:
        holds = org.kind in OrgKind.member_holding()
        size = 3 if holds or org.kind == OrgKind.SUB_COMMITTEE else 7
        positions = (
            [Position.SECRETARY, Position.DEPUTY_SECRETARY, Position.CELL_COMMITTEE_MEMBER]
            if holds
            else _committee_layout(2, size - 2)
        )
        if org.valid_from <= base_elected:
            end = org.valid_to if org.valid_to and org.valid_to < base_reelected else base_reelected
            people = b.protected[org.pk][:3] if holds else c._people(b.cells_under[org.pk], size)
            c.add(org, term1, base_elected, end, positions, people)
        if org.valid_to is None:
            elected = max(base_reelected, org.valid_from)
            people = b.protected[org.pk][1:4] if holds else c._people(_cell_ids(org), size)
            seats = c.add(org, term2, elected, None, positions, people)
            if holds:
                b.cell_secretary[org.pk] = seats[0].member_id
    c.save(b.actor)


# --- users -----------------------------------------------------------------------------------------
