"""Regularity and quality of meetings, and leadership-assignment compliance (issue 4 item 6).

`regularity(org, start, end, lineage=True)` and `compliance(org, start, end)` are the functions pages, the
API and the future targets module share. A meeting counts once it is held (closed or approved).

- Regular meetings: months of the period in which the cell held at least `meeting.regular_per_month`
  regular meetings, against the months the cell was in force.
- Thematic meetings: held, against `meeting.thematic_per_year` prorated to the months in force (rounded up).
- Attendance: members present / members expected, over the held member meetings.
- Guests: held meetings attended by at least one invited guest from the registry (the higher-level
  committee member in charge).
- Compliance: each leadership assignment in force during the period, the meetings of the organisation in
  charge (its subtree) the assignee attended, against `meeting.assignee_visits` per
  `meeting.assignee_months`, prorated to the months the assignment overlapped the period.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from dangvu.lib.dates import add_months
from dangvu.meetings.models import Attendance, Invitation, InviteeRole, Meeting, MeetingKind, MeetingState
from dangvu.orgs.models import LeadershipAssignment, OrgAncestry, Organisation, OrgKind
from dangvu.orgs.queries import lineage_roots
from dangvu.rules.registry import rules_on

HELD = [MeetingState.HELD, MeetingState.APPROVED]


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months touching [start, end]."""
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = add_months(day, 1)
    return months


@dataclass
class CellRegularity:
    organisation: Organisation
    months_in_force: int = 0
    regular_months: int = 0
    thematic_held: int = 0
    thematic_required: int = 0
    expected: int = 0
    present: int = 0
    meetings_held: int = 0
    meetings_with_guests: int = 0
    missing_months: list[dt.date] = field(default_factory=list)
    regular: list[dt.date] = field(default_factory=list)  # the months counted in `regular_months`

    @property
    def attendance_rate(self) -> float | None:
        return self.present / self.expected if self.expected else None


@dataclass
class Regularity:
    organisation: Organisation
    start: dt.date
    end: dt.date
    cells: list[CellRegularity]

    @property
    def months_in_force(self) -> int:
        return sum(c.months_in_force for c in self.cells)

    @property
    def regular_months(self) -> int:
        return sum(c.regular_months for c in self.cells)

    @property
    def thematic_held(self) -> int:
        return sum(c.thematic_held for c in self.cells)

    @property
    def thematic_required(self) -> int:
        return sum(c.thematic_required for c in self.cells)

    @property
    def attendance_rate(self) -> float | None:
        expected = sum(c.expected for c in self.cells)
        return sum(c.present for c in self.cells) / expected if expected else None

    @property
    def meetings_with_guests(self) -> int:
        return sum(c.meetings_with_guests for c in self.cells)


def _cells(org: Organisation, start: dt.date, end: dt.date, lineage: bool) -> list[Organisation]:
    roots = lineage_roots(org) if lineage else [org]
    # Under a root during the period while in force: a predecessor kept as an inactive child of its
    # successor from the day it ended was never in force under it (it counts only through lineage).
    ids = (
        OrgAncestry.objects.filter(ancestor__in=roots, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        .filter(Q(descendant__valid_to__isnull=True) | Q(valid_from__lt=F("descendant__valid_to")))
        .values("descendant_id")
    )
    return list(
        Organisation.objects.filter(pk__in=ids, kind__in=OrgKind.member_holding())
        .filter(valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        .order_by("path")
    )


def held_meetings(cell_ids, start: dt.date, end: dt.date):
    """Meetings of the cells held (closed or approved) in [start, end]: what `regularity` counts."""
    return Meeting.objects.filter(
        organisation_id__in=cell_ids, state__in=HELD, starts_at__date__gte=start, starts_at__date__lte=end
    )


def expected_invitations(held):
    """Members expected at the held member meetings (regular, thematic, extraordinary): the attendance base."""
    member_meetings = held.filter(kind__in=[MeetingKind.REGULAR, MeetingKind.THEMATIC, MeetingKind.EXTRAORDINARY])
    return Invitation.objects.filter(meeting__in=member_meetings, role=InviteeRole.MEMBER, expected=True)


def regularity(org: Organisation, start: dt.date, end: dt.date, *, lineage: bool = True) -> Regularity:
    """Per cell under `org` (and its predecessors with `lineage`) for [start, end]: a fixed number of
    queries whatever the number of cells and meetings."""
    values = rules_on(end)
    per_month, per_year = values["meeting.regular_per_month"], values["meeting.thematic_per_year"]
    cells = _cells(org, start, end, lineage)
    stats = {c.pk: CellRegularity(c) for c in cells}
    months = months_between(start, end)
    for c in cells:
        active = [
            m
            for m in months
            if c.valid_from <= add_months(m, 1) - dt.timedelta(days=1) and (c.valid_to is None or c.valid_to > m)
        ]
        stats[c.pk].months_in_force = len(active)
        stats[c.pk].thematic_required = math.ceil(per_year * len(active) / 12)
        stats[c.pk].missing_months = active
    held = held_meetings(list(stats), start, end)
    regular = (
        held.filter(kind=MeetingKind.REGULAR)
        .annotate(month=TruncMonth("starts_at"))
        .values("organisation_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in regular:
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        s = stats[row["organisation_id"]]
        if row["n"] >= per_month and month in s.missing_months:
            s.regular_months += 1
            s.regular.append(month)
            s.missing_months.remove(month)
    for row in held.values("organisation_id", "kind").annotate(n=Count("id")).order_by():
        s = stats[row["organisation_id"]]
        s.meetings_held += (
            row["n"] if row["kind"] in {MeetingKind.REGULAR, MeetingKind.THEMATIC, MeetingKind.EXTRAORDINARY} else 0
        )
        if row["kind"] == MeetingKind.THEMATIC:
            s.thematic_held += row["n"]
    attendance = (
        expected_invitations(held)
        .values("meeting__organisation_id")
        .annotate(expected=Count("id"), present=Count("id", filter=Q(attendance=Attendance.PRESENT)))
        .order_by()
    )
    for row in attendance:
        s = stats[row["meeting__organisation_id"]]
        s.expected, s.present = row["expected"], row["present"]
    guests = (
        Invitation.objects.filter(
            meeting__in=held, role=InviteeRole.GUEST, member__isnull=False, attendance=Attendance.PRESENT
        )
        .values("meeting__organisation_id")
        .annotate(n=Count("meeting_id", distinct=True))
        .order_by()
    )
    for row in guests:
        stats[row["meeting__organisation_id"]].meetings_with_guests = row["n"]
    return Regularity(org, start, end, [stats[c.pk] for c in cells])


@dataclass
class AssignmentCompliance:
    assignment: LeadershipAssignment
    attended: int
    required: int

    @property
    def compliant(self) -> bool:
        return self.attended >= self.required


def compliance(org: Organisation, start: dt.date, end: dt.date) -> list[AssignmentCompliance]:
    """Leadership assignments in force during [start, end] for organisations in `org`'s current subtree:
    meetings of the organisation in charge (and its subtree) the assignee attended, against the rule."""
    values = rules_on(end)
    visits, period = values["meeting.assignee_visits"], values["meeting.assignee_months"]
    assignments = list(
        LeadershipAssignment.objects.filter(organisation__path__startswith=org.path, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        .select_related("seat__member", "seat__committee__organisation", "organisation")
        .order_by("organisation__path", "seat__member__name_sort")
    )
    # One query for every assignee's attendances in the subtree, matched to the assignments in Python.
    attendances = (
        Invitation.objects.filter(
            member_id__in={a.seat.member_id for a in assignments},
            attendance=Attendance.PRESENT,
            meeting__state__in=HELD,
            meeting__organisation__path__startswith=org.path,
            meeting__starts_at__date__gte=start,
            meeting__starts_at__date__lte=end,
        )
        .values_list("member_id", "meeting_id", "meeting__organisation__path", "meeting__starts_at")
        .distinct()
        if assignments
        else []
    )
    by_member: dict[int, list[tuple[int, str, dt.date]]] = defaultdict(list)
    for member_id, meeting_id, path, starts_at in attendances:
        by_member[member_id].append((meeting_id, path, timezone.localtime(starts_at).date()))
    result = []
    for a in assignments:
        first = max(start, a.valid_from)
        last = min(end, (a.valid_to - dt.timedelta(days=1)) if a.valid_to else end)
        months = len(months_between(first, last))
        attended = len(
            {
                meeting_id
                for meeting_id, path, day in by_member[a.seat.member_id]
                if path.startswith(a.organisation.path) and first <= day <= last
            }
        )
        result.append(AssignmentCompliance(a, attended, math.ceil(visits * months / period)))
    return result
