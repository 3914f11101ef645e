"""Digital adoption as an indicator for resolution targets (dangvu.targets.indicators; seed 003: "≥ 90% of
members use digital tools"), from `stats.adoption`: the share of the subtree's party members whose account
used the platform in the period, with the members counted (active: the numerator's records; all: the
denominator's). Members count where they are today (activity marks carry no organisation), so there is one
part, the organisation itself."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangvu.notify.stats import adoption
from dangvu.targets.indicators import PERCENT, Value, register


@register("notify.adoption", _("Share of members using the platform"), PERCENT, "members")
def members_active(org, start, end, lineage):
    figures = adoption(org, start, end)
    return [
        Value(
            org,
            figures.active_count,
            figures.member_count,
            records=figures.active_members,
            base=figures.members,
        )
    ]
