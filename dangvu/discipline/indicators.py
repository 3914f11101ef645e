"""Indicators of discipline for resolution targets (dangvu.targets.indicators), from `stats.discipline`, with
the cases it counted as each part's records."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangvu.discipline.models import Case
from dangvu.discipline.stats import MEMBERS, ORGANISATIONS, discipline
from dangvu.targets.indicators import COUNT, Value, register


@register("discipline.members", _("Members disciplined"), COUNT, "members")
def members(org, start, end, lineage):
    return [
        Value(part.organisation, part.members, records=Case.objects.filter(pk__in=part.cases[MEMBERS]))
        for part in discipline(org, start, end, lineage=lineage).parts
    ]


@register("discipline.organisations", _("Party organisations disciplined"), COUNT, "grassroots")
def organisations(org, start, end, lineage):
    return [
        Value(part.organisation, part.organisations, records=Case.objects.filter(pk__in=part.cases[ORGANISATIONS]))
        for part in discipline(org, start, end, lineage=lineage).parts
    ]
