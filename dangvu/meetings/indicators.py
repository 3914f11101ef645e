"""Indicators of meetings for resolution targets (dangvu.targets.indicators), from `stats.regularity` (per
organisation of the lineage: each predecessor's cells) and `stats.compliance`. Each part's records come from
the same functions: the held thematic meetings (`stats.held_meetings`), the (cell, month) pairs counted as
regular months, the members expected and present (`stats.expected_invitations`), the assignments complied
with; the base: the cells in force, the expected invitations, all assignments."""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from dangvu.meetings.models import Attendance, MeetingKind
from dangvu.meetings.stats import compliance, expected_invitations, held_meetings, regularity
from dangvu.orgs.models import LeadershipAssignment, Organisation
from dangvu.orgs.queries import lineage_roots
from dangvu.targets.indicators import PERCENT, RATE, Value, register


def _per_root(org, start, end, lineage):
    """(root, its regularity, its cells' ids) for the organisation and each predecessor."""
    roots = lineage_roots(org) if lineage else [org]
    found = []
    for root in roots:
        r = regularity(root, start, end, lineage=False)
        found.append((root, r, [c.organisation.pk for c in r.cells]))
    return found


@register("meetings.thematic_per_cell", _("Thematic meetings per cell and year"), RATE, "cells")
def thematic_per_cell(org, start, end, lineage):
    return [
        Value(
            root,
            r.thematic_held,
            Fraction(r.months_in_force, 12),
            records=held_meetings(cells, start, end).filter(kind=MeetingKind.THEMATIC),
            base=Organisation.objects.filter(pk__in=cells),
        )
        for root, r, cells in _per_root(org, start, end, lineage)
    ]


@register("meetings.regular_months", _("Months with the regular cell meeting held"), PERCENT, "cells")
def regular_months(org, start, end, lineage):
    return [
        Value(
            root,
            r.regular_months,
            r.months_in_force,
            records=[(c.organisation, month) for c in r.cells for month in sorted(c.regular)],
            base=Organisation.objects.filter(pk__in=cells),
        )
        for root, r, cells in _per_root(org, start, end, lineage)
    ]


@register("meetings.attendance", _("Attendance at cell meetings"), PERCENT, "members")
def attendance(org, start, end, lineage):
    values = []
    for root, r, cells in _per_root(org, start, end, lineage):
        expected = expected_invitations(held_meetings(cells, start, end))
        present = sum(c.present for c in r.cells)
        values.append(
            Value(
                root,
                present,
                sum(c.expected for c in r.cells),
                records=expected.filter(attendance=Attendance.PRESENT),
                base=expected,
            )
        )
    return values


@register("meetings.assignment_compliance", _("Leadership assignments complied with"), PERCENT, "other")
def assignment_compliance(org, start, end, lineage):
    rows = compliance(org, start, end)
    compliant = [row.assignment.pk for row in rows if row.compliant]
    return [
        Value(
            org,
            len(compliant),
            len(rows),
            records=LeadershipAssignment.objects.filter(pk__in=compliant),
            base=LeadershipAssignment.objects.filter(pk__in=[row.assignment.pk for row in rows]),
        )
    ]
