"""Candidates a user may see and act on: the cell's subtree scope, as for members. Once the candidate is a
(probationary) member, the file follows the member: the cell the member is in now sees it and records the
official-membership steps, even after a transfer during probation; the proposing cell keeps seeing it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from dangvu.accounts.scope import Scope
from dangvu.admission.models import Candidate, Stage


def candidates_for(user, capability: str = "admission.view") -> QuerySet[Candidate]:
    scope = Scope.of(user, capability)
    if scope.everything or scope.empty:
        return Candidate.objects.filter(scope.q("organisation__path"))
    return Candidate.objects.filter(scope.q("organisation__path") | scope.q("member__organisation__path"))


def get_candidate_or_404(user, pk: int, capability: str = "admission.view") -> Candidate:
    candidate = (
        candidates_for(user, capability).select_related("organisation", "member__organisation").filter(pk=pk).first()
    )
    if candidate is None:
        raise Http404
    return candidate


def can_record(user, candidate: Candidate, stage: str) -> bool:
    """Committee steps need `admission.decide`; the cell's steps `admission.propose`. After the ceremony
    the member's current cell (and its committees) act on the file."""
    capability = "admission.decide" if stage in Stage.committee_stages() else "admission.propose"
    scope = Scope.of(user, capability)
    path = candidate.member.organisation.path if candidate.member_id else candidate.organisation.path
    return scope.covers_path(path)
