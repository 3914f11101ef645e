"""What a user may see and do with inspection and supervision (capabilities in dangvu.accounts.permissions):
- `inspection.view`: programmes and inspections/supervisions conducted in the subtree;
- `inspection.manage`: record them, their subjects, conclusions and remediation.
Out of scope is a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from dangvu.accounts.scope import Scope
from dangvu.inspection.models import Activity, Programme, Suggestion


def programmes_for(user, capability: str = "inspection.view") -> QuerySet[Programme]:
    return Programme.objects.filter(Scope.of(user, capability).q("organisation__path"))


def activities_for(user, capability: str = "inspection.view") -> QuerySet[Activity]:
    return Activity.objects.filter(Scope.of(user, capability).q("organisation__path"))


def get_activity_or_404(user, pk: int, capability: str = "inspection.view") -> Activity:
    activity = activities_for(user, capability).select_related("organisation", "programme").filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


def can_manage(user, organisation) -> bool:
    return Scope.of(user, "inspection.manage").covers_path(organisation.path)


def suggestions_for(user, capability: str = "inspection.view") -> QuerySet[Suggestion]:
    """Review suggestions sent by an organisation of the subtree (their addressees lie under the sender)."""
    return Suggestion.objects.filter(Scope.of(user, capability).q("sender__path"))


def get_suggestion_or_404(user, pk: int, capability: str = "inspection.view") -> Suggestion:
    suggestion = suggestions_for(user, capability).select_related("sender", "organisation", "member").filter(pk=pk)
    if not suggestion:
        raise Http404
    return suggestion[0]
