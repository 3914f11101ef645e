"""Indicators of the yearly review for resolution targets (dangvu.targets.indicators), from
`stats.distribution`: shares of the members graded (decided) in the years of the period, pooled over the
years (a yearly target is judged one year at a time). Each part's records are the reviews it counted
(`stats.reviews_under`): those with a grade counted (numerator) among the decided ones (denominator)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangvu.reviews.models import Grade
from dangvu.reviews.stats import GOOD_OR_BETTER, distribution, openings_of, reviews_under
from dangvu.targets.indicators import PERCENT, Value, register, years


def _shares(org, start, end, lineage, grades) -> list[Value]:
    parts: dict[int, Value] = {}
    for year in years(start, end):
        openings = openings_of(year)
        for counts in distribution(org, year, lineage=lineage).parts:
            root = counts.organisation
            value = parts.setdefault(root.pk, Value(root, 0, 0))
            value.numerator += sum(counts.grades[g] for g in grades)
            value.denominator += counts.decided
            # Decided: graded and not excluded (what `distribution` counts in `grades`).
            decided = reviews_under(root, openings).filter(exclusion="").exclude(grade="")
            value.base = decided if value.base is None else value.base | decided
            value.records = value.base.filter(grade__in=grades)
    return list(parts.values())


@register("reviews.members_good", _("Members graded 'completed tasks well' or better"), PERCENT, "members")
def members_good(org, start, end, lineage):
    return _shares(org, start, end, lineage, GOOD_OR_BETTER)


@register("reviews.members_not_completed", _("Members graded 'did not complete tasks'"), PERCENT, "members")
def members_not_completed(org, start, end, lineage):
    return _shares(org, start, end, lineage, (Grade.NOT_COMPLETED,))
