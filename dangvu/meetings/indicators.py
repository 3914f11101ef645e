"""Indicators of meetings for resolution targets (dangvu.targets.indicators), from `stats.regularity` (per
organisation of the lineage: each predecessor's cells) and `stats.compliance`."""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from dangvu.meetings.stats import compliance, regularity
from dangvu.orgs.queries import lineage_roots
from dangvu.targets.indicators import PERCENT, RATE, Value, register


def _per_root(org, start, end, lineage, figures) -> list[Value]:
    roots = lineage_roots(org) if lineage else [org]
    return [Value(root, *figures(regularity(root, start, end, lineage=False))) for root in roots]


@register("meetings.thematic_per_cell", _("Thematic meetings per cell and year"), RATE, "cells")
def thematic_per_cell(org, start, end, lineage):
    return _per_root(org, start, end, lineage, lambda r: (r.thematic_held, Fraction(r.months_in_force, 12)))


@register("meetings.regular_months", _("Months with the regular cell meeting held"), PERCENT, "cells")
def regular_months(org, start, end, lineage):
    return _per_root(org, start, end, lineage, lambda r: (r.regular_months, r.months_in_force))


@register("meetings.attendance", _("Attendance at cell meetings"), PERCENT, "members")
def attendance(org, start, end, lineage):
    def figures(r):
        return sum(c.present for c in r.cells), sum(c.expected for c in r.cells)

    return _per_root(org, start, end, lineage, figures)


@register("meetings.assignment_compliance", _("Leadership assignments complied with"), PERCENT, "other")
def assignment_compliance(org, start, end, lineage):
    rows = compliance(org, start, end)
    return [Value(org, sum(1 for row in rows if row.compliant), len(rows))]
