"""Indicators of discipline for resolution targets (dangvu.targets.indicators), from `stats.discipline`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangvu.discipline.stats import discipline
from dangvu.targets.indicators import COUNT, Value, register


@register("discipline.members", _("Members disciplined"), COUNT, "members")
def members(org, start, end, lineage):
    return [Value(part.organisation, part.members) for part in discipline(org, start, end, lineage=lineage).parts]


@register("discipline.organisations", _("Party organisations disciplined"), COUNT, "grassroots")
def organisations(org, start, end, lineage):
    return [Value(part.organisation, part.organisations) for part in discipline(org, start, end, lineage=lineage).parts]
