"""What a user may see and do with inspection and supervision (capabilities in dangvu.accounts.permissions):
- `inspection.view`: programmes and inspections/supervisions conducted in the subtree;
- `inspection.manage`: record them, their subjects, conclusions and remediation.
Review suggestions are read by `inspection.view` over the sender and by their addressee: the cell secretary
or a leader of the collective addressed (a role held at that organisation itself), or the member addressed
(their own user); the addressee reports what was done on each issue, the sender (`inspection.manage`)
confirms the closure (docs/decisions.md, "Issue 12 item 5: the addressee"). Out of scope is a 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from dangvu.accounts.models import Role
from dangvu.accounts.scope import Scope, has_capability, role_paths
from dangvu.inspection.models import Activity, Programme, Suggestion, SuggestionIssue


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


VIEW = "inspection.view"
# The roles that act for a collective addressed (its secretary or its standing committee), held at the
# addressed organisation itself: a committee above it reads the suggestions through the sender's scope.
ADDRESSEE_ROLES = {Role.CELL_SECRETARY, Role.LEADER}


def addressed_to(user) -> Q:
    """Suggestions addressed to the user: to a collective where they hold an ADDRESSEE_ROLES role, or to
    their own member record."""
    q = Q(pk__in=[])
    paths = role_paths(user, ADDRESSEE_ROLES)
    if paths:
        q |= Q(member__isnull=True, organisation__path__in=paths)
    if getattr(user, "member_id", None):
        q |= Q(member_id=user.member_id)
    return q


def may_read_suggestions(user) -> bool:
    """Whether the suggestion pages open for the user (a 403 otherwise): the sender's readers and every
    possible addressee (a cell secretary or leader, a user with a member record), even with none yet."""
    return has_capability(user, VIEW) or bool(role_paths(user, ADDRESSEE_ROLES) or getattr(user, "member_id", None))


def suggestions_for(user, capability: str = VIEW) -> QuerySet[Suggestion]:
    """Review suggestions sent by an organisation of the subtree (their addressees lie under the sender);
    for reading (`inspection.view`) also those addressed to the user."""
    scope = Scope.of(user, capability)
    q = scope.q("sender__path")
    if capability == VIEW and not scope.everything:  # Q() | x would be x alone
        q |= addressed_to(user)
    return Suggestion.objects.filter(q)


def get_suggestion_or_404(user, pk: int, capability: str = VIEW) -> Suggestion:
    suggestion = suggestions_for(user, capability).select_related("sender", "organisation", "member").filter(pk=pk)
    if not suggestion:
        raise Http404
    return suggestion[0]


def is_addressee(user, suggestion: Suggestion) -> bool:
    """Whether the user reports for the addressee: the member addressed, or a secretary or leader of the
    collective addressed."""
    if suggestion.member_id:
        return bool(suggestion.member_id == getattr(user, "member_id", None))
    return suggestion.organisation.path in role_paths(user, ADDRESSEE_ROLES)


ISSUES_SHOWN = 5


def open_issues_addressed_to(user, limit: int = ISSUES_SHOWN) -> list[SuggestionIssue]:
    """The open issues of the review suggestions addressed to the user (as addressee, not as a reader over
    the sender), deadline first, for their dashboard: one query (none without a possible addressee)."""
    q = addressed_to(user)
    if q == Q(pk__in=[]):
        return []
    return list(
        SuggestionIssue.objects.filter(closed_on__isnull=True, suggestion__in=Suggestion.objects.filter(q))
        .select_related("suggestion__organisation", "suggestion__member")
        .order_by("deadline", "id")[:limit]
    )
