"""Indicators of the yearly review for resolution targets (dangvu.targets.indicators), from
`stats.distribution`: shares of the members graded (decided) in the years of the period, pooled over the
years (a yearly target is judged one year at a time)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangvu.reviews.models import Grade
from dangvu.reviews.stats import GOOD_OR_BETTER, distribution
from dangvu.targets.indicators import PERCENT, Value, register, years


def _shares(org, start, end, lineage, grades) -> list[Value]:
    parts: dict[int, Value] = {}
    for year in years(start, end):
        for counts in distribution(org, year, lineage=lineage).parts:
            value = parts.setdefault(counts.organisation.pk, Value(counts.organisation, 0, 0))
            value.numerator += sum(counts.grades[g] for g in grades)
            value.denominator += counts.decided
    return list(parts.values())


@register("reviews.members_good", _("Members graded 'completed tasks well' or better"), PERCENT, "members")
def members_good(org, start, end, lineage):
    return _shares(org, start, end, lineage, GOOD_OR_BETTER)


@register("reviews.members_not_completed", _("Members graded 'did not complete tasks'"), PERCENT, "members")
def members_not_completed(org, start, end, lineage):
    return _shares(org, start, end, lineage, (Grade.NOT_COMPLETED,))
