"""Indicators of inspection and supervision for resolution targets (dangvu.targets.indicators), from
`stats.coverage`, with the grassroots organisations it counted (covered; all) as each part's records."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangvu.inspection.stats import coverage
from dangvu.orgs.models import Organisation
from dangvu.targets.indicators import PERCENT, Value, register


@register("inspection.coverage", _("Share of grassroots organisations inspected or supervised"), PERCENT, "grassroots")
def grassroots_covered(org, start, end, lineage):
    return [
        Value(
            part.organisation,
            part.count,
            part.total,
            records=Organisation.objects.filter(pk__in=part.covered),
            base=Organisation.objects.filter(pk__in=part.organisations),
        )
        for part in coverage(org, start, end, lineage=lineage).parts
    ]
