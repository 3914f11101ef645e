"""Indicators of study, training and models for resolution targets (dangvu.targets.indicators), each from the
module's one statistics function: participation in the study of resolutions (`stats.participation`, the
participations of the members who studied as each part's records), and courses completed, exemplary models
and commendations (`counts.counts`, the enrolments, models and commendations counted as records)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangvu.study import counts as study_counts
from dangvu.study.models import CourseKind, Subject
from dangvu.study.stats import participation
from dangvu.targets.indicators import COUNT, PERCENT, Value, register


@register("study.participation", _("Members who studied the resolutions"), PERCENT, "members")
def study_participation(org, start, end, lineage):
    result = participation(org, start, end, lineage=lineage)
    return [
        Value(part.organisation, part.figures.studied, part.figures.expected, records=part.records)
        for part in result.by_organisation
    ]


def _parts(org, start, end, lineage, figure, records):
    result = study_counts.counts(org, start, end, lineage=lineage)
    return [Value(root, figure(f), records=records([root.pk], start, end)) for root, f in result.by_organisation]


@register("training.completed", _("Training courses completed"), COUNT, "members")
def training_completed(org, start, end, lineage):
    return _parts(org, start, end, lineage, lambda f: f.completed_total, study_counts.completions)


@register("training.theory", _("Political theory courses completed"), COUNT, "members")
def training_theory(org, start, end, lineage):
    return _parts(
        org,
        start,
        end,
        lineage,
        lambda f: f.completed[CourseKind.THEORY],
        lambda roots, s, e: study_counts.completions(roots, s, e, CourseKind.THEORY),
    )


@register("study.models_collective", _("Collective exemplary models"), COUNT, "other")
def models_collective(org, start, end, lineage):
    return _parts(
        org,
        start,
        end,
        lineage,
        lambda f: f.models_collective,
        lambda roots, s, e: study_counts.models(roots, s, e, Subject.COLLECTIVE),
    )


@register("study.models_individual", _("Individual exemplary models"), COUNT, "members")
def models_individual(org, start, end, lineage):
    return _parts(
        org,
        start,
        end,
        lineage,
        lambda f: f.models_individual,
        lambda roots, s, e: study_counts.models(roots, s, e, Subject.INDIVIDUAL),
    )


@register("study.commendations", _("Commendations"), COUNT, "other")
def commendations(org, start, end, lineage):
    return _parts(org, start, end, lineage, lambda f: f.commendations, study_counts.commendations)
