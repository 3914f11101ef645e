"""Indicators of inspection and supervision for resolution targets (dangvu.targets.indicators), from
`stats.coverage`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangvu.inspection.stats import coverage
from dangvu.targets.indicators import PERCENT, Value, register


@register("inspection.coverage", _("Share of grassroots organisations inspected or supervised"), PERCENT, "grassroots")
def grassroots_covered(org, start, end, lineage):
    return [
        Value(part.organisation, part.count, part.total) for part in coverage(org, start, end, lineage=lineage).parts
    ]
