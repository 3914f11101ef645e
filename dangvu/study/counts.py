"""Counts of training, exemplary models, commendations and commitments per organisation and period (issue 14
items 4 and 5): the one function for pages, the API and the targets (`counts`).

A completion counts for the organisation under which the person's cell lay on the completion date (a member:
their cell that day, from the timeline; a candidate: the cell proposing them); a model or commendation for the
organisation it was registered under, as the tree was on its date; a commitment for the member's cell on the
day it was made. With `lineage`, per predecessor and combined, like the other statistics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dangvu.members.models import MemberPeriod
from dangvu.orgs.models import OrgAncestry, Organisation
from dangvu.orgs.queries import lineage_roots
from dangvu.study.models import Commendation, Commitment, CourseKind, Enrolment, ExemplaryModel, Subject


def _under(roots: list[int], org_field: str, date_field: str):
    date = OuterRef(date_field)
    return OrgAncestry.objects.filter(
        Q(valid_from__lte=date) & (Q(valid_to__isnull=True) | Q(valid_to__gt=date)),
        descendant_id=OuterRef(org_field),
        ancestor_id__in=roots,
    )


def _cell_then(date_field: str):
    date = OuterRef(date_field)
    return (
        MemberPeriod.objects.filter(member_id=OuterRef("member_id"), valid_from__lte=date)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=date))
        .values("organisation_id")[:1]
    )


def completions(roots: list[int], start: dt.date, end: dt.date, kind: str | None = None) -> QuerySet[Enrolment]:
    """Courses completed in [start, end] by people under the roots on the completion date."""
    qs = Enrolment.objects.filter(completed_on__gte=start, completed_on__lte=end)
    if kind:
        qs = qs.filter(course__kind=kind)
    qs = qs.annotate(cell=Coalesce(Subquery(_cell_then("completed_on")), "candidate__organisation_id"))
    return Enrolment.objects.filter(pk__in=qs.filter(Exists(_under(roots, "cell", "completed_on"))).values("pk"))


def models(roots: list[int], start: dt.date, end: dt.date, subject: str) -> QuerySet[ExemplaryModel]:
    qs = ExemplaryModel.objects.filter(recognised_on__gte=start, recognised_on__lte=end, subject=subject)
    return qs.filter(Exists(_under(roots, "organisation_id", "recognised_on")))


def commendations(roots: list[int], start: dt.date, end: dt.date) -> QuerySet[Commendation]:
    qs = Commendation.objects.filter(date__gte=start, date__lte=end)
    return qs.filter(Exists(_under(roots, "organisation_id", "date")))


def commitments(roots: list[int], start: dt.date, end: dt.date) -> QuerySet[Commitment]:
    qs = Commitment.objects.filter(made_on__gte=start, made_on__lte=end).annotate(cell=Subquery(_cell_then("made_on")))
    return Commitment.objects.filter(pk__in=qs.filter(Exists(_under(roots, "cell", "made_on"))).values("pk"))


@dataclass
class Figures:
    completed: dict[str, int] = field(default_factory=dict)  # course kind -> completions
    models_collective: int = 0
    models_individual: int = 0
    commendations: int = 0
    commitments: int = 0

    @property
    def completed_total(self) -> int:
        return sum(self.completed.values())


def figures(roots: list[int], start: dt.date, end: dt.date) -> Figures:
    by_kind = dict.fromkeys(CourseKind.values, 0)
    for kind in completions(roots, start, end).values_list("course__kind", flat=True):
        by_kind[kind] += 1
    return Figures(
        by_kind,
        models(roots, start, end, Subject.COLLECTIVE).count(),
        models(roots, start, end, Subject.INDIVIDUAL).count(),
        commendations(roots, start, end).count(),
        commitments(roots, start, end).count(),
    )


@dataclass
class Counts:
    organisation: Organisation
    start: dt.date
    end: dt.date
    total: Figures
    by_organisation: list[tuple[Organisation, Figures]]  # the organisation first, then its predecessors


def counts(org: Organisation, start: dt.date, end: dt.date, *, lineage: bool = True) -> Counts:
    roots = lineage_roots(org) if lineage else [org]
    total = figures([r.pk for r in roots], start, end)
    parts = [(root, figures([root.pk], start, end)) for root in roots] if lineage else [(org, total)]
    return Counts(org, start, end, total, parts)
