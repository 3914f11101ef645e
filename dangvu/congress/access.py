"""Who sees and runs which congress.

- Staff with `congress.view` see the congresses of the organisations in their subtrees; a member of one of
  a congress's counting teams sees that congress too.
- Setting up (delegates, base, elections, candidates, rounds) and announcing: `congress.manage` over the
  organisation (the committee office).
- Entering a team's tally or ballots: `congress.manage`, or being a member of that team.
Out of scope is a 404 (the congress's existence does not leak); in scope without the right, a 403.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from dangvu.accounts.scope import Scope
from dangvu.congress.models import Congress, CountingTeam, Round

VIEW, MANAGE = "congress.view", "congress.manage"


def congresses_for(user) -> QuerySet[Congress]:
    scope = Scope.of(user, VIEW)
    if scope.everything:
        return Congress.objects.all()
    q = scope.q("organisation__path") if not scope.empty else Q(pk__in=[])
    member_id = getattr(user, "member_id", None)
    if member_id:
        q |= Q(pk__in=CountingTeam.objects.filter(members=member_id).values("congress_id"))
    return Congress.objects.filter(q)


def get_congress_or_404(user, pk: int) -> Congress:
    congress = congresses_for(user).select_related("organisation", "term").filter(pk=pk).first()
    if congress is None:
        raise Http404
    return congress


def get_round_or_404(user, pk: int) -> Round:
    round_ = Round.objects.select_related("election__congress").filter(pk=pk).first()
    if round_ is None:
        raise Http404
    get_congress_or_404(user, round_.election.congress_id)
    return round_


def can_manage(user, congress: Congress) -> bool:
    return Scope.of(user, MANAGE).covers_path(congress.organisation.path)


def teams_of(user, congress: Congress) -> list[CountingTeam]:
    """The counting teams whose tallies the user may enter."""
    teams = congress.teams.all()
    if can_manage(user, congress):
        return list(teams)
    member_id = getattr(user, "member_id", None)
    return list(teams.filter(members=member_id)) if member_id else []
