"""Indicators of admission for resolution targets (dangvu.targets.indicators), from `counts.admission_counts`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangvu.admission.counts import admission_counts
from dangvu.targets.indicators import COUNT, Value, register


@register("admission.admissions", _("Members admitted"), COUNT, "members")
def admissions(org, start, end, lineage):
    counts = admission_counts(org, start, end, lineage=lineage)
    return [Value(root, figures.admissions) for root, figures in counts.by_organisation]


@register("admission.officials", _("Probationary members recognised as official"), COUNT, "members")
def officials(org, start, end, lineage):
    counts = admission_counts(org, start, end, lineage=lineage)
    return [Value(root, figures.officials) for root, figures in counts.by_organisation]
