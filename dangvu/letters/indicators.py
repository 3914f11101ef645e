"""Indicators of denunciation and feedback letters for resolution targets (dangvu.targets.indicators), from
`stats.letters` (counts only, never a sender): the letters received by the committees of the subtree in the
period, those handled to a conclusion (an outcome recorded), and the share of those concluded by their deadline
(extended or not). A letter counts where its committee lay on the day it was received (per predecessor)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangvu.letters.stats import letters
from dangvu.targets.indicators import COUNT, PERCENT, Value, register


@register("letters.received", _("Letters received"), COUNT, "other")
def received(org, start, end, lineage):
    return [Value(part.organisation, part.total) for part in letters(org, start, end, lineage=lineage).parts]


@register("letters.concluded", _("Letters handled to a conclusion"), COUNT, "other")
def concluded(org, start, end, lineage):
    return [
        Value(part.organisation, part.on_time + part.late) for part in letters(org, start, end, lineage=lineage).parts
    ]


@register("letters.on_time", _("Share of concluded letters concluded on time"), PERCENT, "other")
def on_time(org, start, end, lineage):
    return [
        Value(part.organisation, part.on_time, part.on_time + part.late)
        for part in letters(org, start, end, lineage=lineage).parts
    ]
