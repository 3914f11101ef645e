"""Inspection and supervision coverage (issue 12 items 1 and 6): one function for pages, the API, exports and
the targets module (seed 003: the committee inspects or supervises 10–15% of grassroots organisations a year).

`coverage(org, start, end)` counts the grassroots organisations (grassroots committees and grassroots cells)
that lay under `org` at some time in [start, end], and those of them that were the subject of an inspection
or supervision starting in [start, end]. With `lineage`, the same for `org` and each predecessor, each
grassroots organisation counted in exactly one part, so the parts add up to the combined figures:
- a covered organisation in the part it lay under on the first day of its first inspection or supervision
  in the period while it lay under `org` or a predecessor (the committee of that day gets the credit);
- another one in the part it lay under on its first day in the subtree within the period.
A subject is the grassroots organisation itself (an inspection of one of its cells or members does not cover
it) — docs/decisions.md, issue 12.

`remediation_on_time(org, start, end)`: remediation items due in the period and those closed by their
deadline, with the same lineage (each item in the part that conducted the inspection or supervision).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from dangvu.inspection.models import Remediation, Subject
from dangvu.orgs.models import OrgAncestry, Organisation, OrgKind
from dangvu.orgs.queries import lineage_roots

GRASSROOTS = (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL)


@dataclass
class Coverage:
    organisation: Organisation | None
    organisations: set[int] = field(default_factory=set)  # grassroots organisations counted here
    covered: set[int] = field(default_factory=set)

    @property
    def total(self) -> int:
        return len(self.organisations)

    @property
    def count(self) -> int:
        return len(self.covered)

    @property
    def share(self) -> float | None:
        """Covered share in percent (None without grassroots organisations)."""
        return 100 * self.count / self.total if self.total else None


@dataclass
class Report:
    organisation: Organisation
    start: dt.date
    end: dt.date
    combined: Coverage
    parts: list[Coverage]  # the organisation and each predecessor (one part without lineage)


def _root_on(spans: list[tuple[int, dt.date, dt.date | None]], day: dt.date) -> int | None:
    for root, valid_from, valid_to in spans:
        if valid_from <= day and (valid_to is None or day < valid_to):
            return root
    return None


def coverage(org: Organisation, start: dt.date, end: dt.date, *, lineage: bool = True) -> Report:
    """Share of grassroots organisations under `org` inspected or supervised in [start, end]. Two queries
    plus the lineage walk, whatever the number of organisations."""
    roots = lineage_roots(org) if lineage else [org]
    rows = (
        OrgAncestry.objects.filter(ancestor_id__in=[r.pk for r in roots], descendant__kind__in=GRASSROOTS)
        .filter(valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        .values_list("descendant_id", "ancestor_id", "valid_from", "valid_to")
    )
    spans: dict[int, list[tuple[int, dt.date, dt.date | None]]] = {}
    for descendant, ancestor, valid_from, valid_to in rows:
        spans.setdefault(descendant, []).append((ancestor, valid_from, valid_to))
    covering: dict[int, list[dt.date]] = {}
    for org_id, day in (
        Subject.objects.filter(
            organisation_id__in=list(spans), member__isnull=True, activity__start__gte=start, activity__start__lte=end
        )
        .order_by("activity__start")
        .values_list("organisation_id", "activity__start")
    ):
        covering.setdefault(org_id, []).append(day)
    parts = {root.pk: Coverage(root) for root in roots}
    for org_id, org_spans in spans.items():
        org_spans.sort(key=lambda s: s[1])
        # The first inspection or supervision while the organisation lay under one of the roots.
        root = next((r for r in (_root_on(org_spans, d) for d in covering.get(org_id, [])) if r), None)
        if root is not None:
            parts[root].organisations.add(org_id)
            parts[root].covered.add(org_id)
            continue
        root = _root_on(org_spans, max(org_spans[0][1], start))
        if root is not None:
            parts[root].organisations.add(org_id)
    combined = Coverage(None)
    for part in parts.values():
        combined.organisations |= part.organisations
        combined.covered |= part.covered
    return Report(org, start, end, combined, list(parts.values()))


@dataclass
class Remedied:
    """Remediation items due in the period counted in one part (ids, so that parts add up)."""

    organisation: Organisation | None
    items: set[int] = field(default_factory=set)
    on_time: set[int] = field(default_factory=set)  # closed on or before the deadline
    late: set[int] = field(default_factory=set)  # closed after the deadline
    overdue: set[int] = field(default_factory=set)  # open, deadline passed (on `today`)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def share(self) -> float | None:
        """Share done on time in percent (None without items)."""
        return 100 * len(self.on_time) / self.total if self.total else None

    def add(self, other: Remedied) -> None:
        self.items |= other.items
        self.on_time |= other.on_time
        self.late |= other.late
        self.overdue |= other.overdue


@dataclass
class RemediationReport:
    organisation: Organisation
    start: dt.date
    end: dt.date
    combined: Remedied
    parts: list[Remedied]


def remediation_on_time(
    org: Organisation, start: dt.date, end: dt.date, *, lineage: bool = True, today: dt.date | None = None
) -> RemediationReport:
    """Remediation items with a deadline in [start, end] of inspections and supervisions conducted by `org`
    or an organisation under it (and each predecessor with `lineage`), and those done on time: closed on or
    before the deadline. An item is counted in the part whose subtree held the conducting organisation on the
    activity's first day (that committee required it), so the parts add up. Open items whose deadline has
    passed on `today` are `overdue`; open ones not yet due are neither late nor on time. Two queries plus
    the lineage walk."""
    today = today or timezone.localdate()
    roots = lineage_roots(org) if lineage else [org]
    items = list(
        Remediation.objects.filter(deadline__gte=start, deadline__lte=end).values_list(
            "id", "deadline", "closed_on", "activity__organisation_id", "activity__start"
        )
    )
    conducting = {row[3] for row in items}
    spans: dict[int, list[tuple[int, dt.date, dt.date | None]]] = {}
    for descendant, ancestor, valid_from, valid_to in OrgAncestry.objects.filter(
        ancestor_id__in=[r.pk for r in roots], descendant_id__in=conducting
    ).values_list("descendant_id", "ancestor_id", "valid_from", "valid_to"):
        spans.setdefault(descendant, []).append((ancestor, valid_from, valid_to))
    parts = {root.pk: Remedied(root) for root in roots}
    for pk, deadline, closed_on, conducted_by, first_day in items:
        root = _root_on(spans.get(conducted_by, []), first_day)
        if root is None:
            continue
        part = parts[root]
        part.items.add(pk)
        if closed_on is not None:
            (part.on_time if closed_on <= deadline else part.late).add(pk)
        elif deadline < today:
            part.overdue.add(pk)
    combined = Remedied(None)
    for part in parts.values():
        combined.add(part)
    return RemediationReport(org, start, end, combined, list(parts.values()))
