"""Indicators of inspection and supervision for resolution targets (dangvu.targets.indicators):
- `inspection.coverage`, from `stats.coverage`, with the grassroots organisations it counted (covered; all) as
  each part's records;
- `inspection.remediation_on_time`, from `stats.remediation_on_time`: the share of remediation items due in
  the period that were done by their deadline, with the items it counted (done on time; all due) as each
  part's records. An item open or closed late counts against the share (docs/decisions.md, issue 12)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangvu.inspection.models import Remediation
from dangvu.inspection.stats import coverage, remediation_on_time
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


@register("inspection.remediation_on_time", _("Share of remediation items done by their deadline"), PERCENT, "other")
def remediation_done_on_time(org, start, end, lineage):
    return [
        Value(
            part.organisation,
            len(part.on_time),
            part.total,
            records=Remediation.objects.filter(pk__in=part.on_time),
            base=Remediation.objects.filter(pk__in=part.items),
        )
        for part in remediation_on_time(org, start, end, lineage=lineage).parts
    ]
