"""What a user may see and do with discipline (capabilities in dangvu.accounts.permissions):
- `discipline.cases`: the case files of the subtree (facts, open cases, proposals);
- `discipline.view`: the discipline decided (member record, statistics);
- `discipline.manage`: open, decide, close cases, record appeals and state notices.
A member sees the discipline in force of their own record. Out of scope is a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from dangvu.accounts.scope import Scope
from dangvu.discipline.models import Case, CaseState, StateNotice


def cases_for(user, capability: str = "discipline.cases") -> QuerySet[Case]:
    return Case.objects.filter(Scope.of(user, capability).q("organisation__path"))


def get_case_or_404(user, pk: int, capability: str = "discipline.cases") -> Case:
    case = (
        cases_for(user, capability)
        .select_related("member", "organisation", "decided_by", "seat__committee__organisation")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def can_manage(user, case: Case) -> bool:
    return Scope.of(user, "discipline.manage").covers_path(case.organisation.path)


def decided_for_member(user, member) -> list[Case]:
    """The discipline decided about `member` that `user` may see on the member's record (the member's own,
    or `discipline.view` over the member's cell), newest first."""
    scope = Scope.of(user, "discipline.view")
    own = getattr(user, "member_id", None) == member.pk
    if not own and not scope.covers_path(member.organisation.path):
        return []
    return list(
        Case.objects.filter(member=member, state=CaseState.DECIDED)
        .select_related("decided_by")
        .order_by("-effective_date", "-id")
    )


def notices_for(user, capability: str = "discipline.view") -> QuerySet[StateNotice]:
    return StateNotice.objects.filter(Scope.of(user, capability).q("organisation__path"))
