"""Candidates a user may see and act on: the cell's subtree scope, as for members."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from dangvu.accounts.scope import Scope
from dangvu.admission.models import Candidate, Stage


def candidates_for(user, capability: str = "admission.view") -> QuerySet[Candidate]:
    return Candidate.objects.filter(Scope.of(user, capability).q("organisation__path"))


def get_candidate_or_404(user, pk: int, capability: str = "admission.view") -> Candidate:
    candidate = candidates_for(user, capability).select_related("organisation", "member").filter(pk=pk).first()
    if candidate is None:
        raise Http404
    return candidate


def can_record(user, candidate: Candidate, stage: str) -> bool:
    """Committee steps need `admission.decide`; the cell's steps `admission.propose`."""
    capability = "admission.decide" if stage in Stage.committee_stages() else "admission.propose"
    return Scope.of(user, capability).covers_path(candidate.organisation.path)
