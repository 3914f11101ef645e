"""Who sees and does what with study campaigns, courses and commitments (capabilities `study.view` and
`study.manage` in dangvu.accounts.permissions):

- staff (`study.view`) see the campaigns of their subtrees and those of the organisations above that cover
  them (a city-wide campaign is studied in every cell), with the figures of their own subtrees only;
- the committee office (`study.manage`) sets up campaigns of its subtrees and records the attendance of
  members of its subtrees, courses, certificates, models and commendations;
- a member sees the campaigns covering their own cell (and those they took part in), their own courses and
  their own commitments; nothing of another organisation.
Out of scope is a 404 (the object's existence does not leak)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from dangvu.accounts.scope import Scope
from dangvu.members.models import Member
from dangvu.study.models import Campaign, Commendation, Course, ExemplaryModel

VIEW, MANAGE = "study.view", "study.manage"


def _ancestor_paths(path: str, steplen: int) -> list[str]:
    return [path[:i] for i in range(steplen, len(path) + 1, steplen)]


def covering(scope: Scope, field: str = "organisation__path") -> Q:
    """Rows of an organisation in the scope or above a scope prefix (covering part of the scope)."""
    from dangvu.orgs.models import Organisation

    if scope.everything:
        return Q()
    above = sorted({p for prefix in scope.prefixes for p in _ancestor_paths(prefix, Organisation.steplen)})
    return scope.q(field) | Q(**{f"{field}__in": above})


def own_member(user) -> Member | None:
    if not getattr(user, "member_id", None):
        return None
    return Member.objects.select_related("organisation").filter(pk=user.member_id).first()


def _member_q(member: Member) -> Q:
    from dangvu.orgs.models import Organisation

    paths = _ancestor_paths(member.organisation.path, Organisation.steplen) if member.organisation_id else []
    return Q(organisation__path__in=paths) | Q(participations__member=member)


def member_campaigns(member: Member) -> QuerySet[Campaign]:
    """Campaigns covering the member's current cell, and those the member took part in."""
    return Campaign.objects.filter(_member_q(member)).distinct()


def campaigns_for(user) -> QuerySet[Campaign]:
    scope = Scope.of(user, VIEW)
    if scope.everything:
        return Campaign.objects.all()
    q = Q(pk__in=[]) if scope.empty else covering(scope)
    member = own_member(user)
    if member is not None:
        q |= _member_q(member)
    return Campaign.objects.filter(q).distinct()


def get_campaign_or_404(user, pk: int) -> Campaign:
    campaign = campaigns_for(user).select_related("organisation", "resolution").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def can_manage(user, organisation) -> bool:
    return Scope.of(user, MANAGE).covers_path(organisation.path)


def sees_figures_of(user, organisation) -> bool:
    return Scope.of(user, VIEW).covers_path(organisation.path)


def courses_for(user) -> QuerySet[Course]:
    scope = Scope.of(user, VIEW)
    return Course.objects.none() if scope.empty else Course.objects.filter(covering(scope))


def get_course_or_404(user, pk: int) -> Course:
    course = courses_for(user).select_related("organisation").filter(pk=pk).first()
    if course is None:
        raise Http404
    return course


def models_for(user) -> QuerySet[ExemplaryModel]:
    return ExemplaryModel.objects.filter(Scope.of(user, VIEW).q("organisation__path"))


def commendations_for(user) -> QuerySet[Commendation]:
    return Commendation.objects.filter(Scope.of(user, VIEW).q("organisation__path"))
