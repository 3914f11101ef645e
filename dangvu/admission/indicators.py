"""Indicators of admission for resolution targets (dangvu.targets.indicators), from `counts.admission_counts`,
with the events it counts (`counts.events`) as each part's records."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangvu.admission.counts import admission_counts, events
from dangvu.members.models import EventKind
from dangvu.targets.indicators import COUNT, Value, register


@register("admission.admissions", _("Members admitted"), COUNT, "members")
def admissions(org, start, end, lineage):
    counts = admission_counts(org, start, end, lineage=lineage)
    return [
        Value(root, figures.admissions, records=events([root.pk], start, end, EventKind.ADMISSION))
        for root, figures in counts.by_organisation
    ]


@register("admission.officials", _("Probationary members recognised as official"), COUNT, "members")
def officials(org, start, end, lineage):
    counts = admission_counts(org, start, end, lineage=lineage)
    return [
        Value(root, figures.officials, records=events([root.pk], start, end, EventKind.OFFICIAL))
        for root, figures in counts.by_organisation
    ]
