"""Study deadlines in the one alerts list (dangvu.alerts.sources), registered when the app is ready:

- a member called to study a campaign who has not studied it yet sees its deadline (the campaign's end) from
  `alerts.soon_days` before it until the end (after it the handbook no longer takes the confirmation);
- the committee office sees, for each campaign of its subtrees ending soon or ended within the last
  `alerts.soon_days` days, how many of the members called have not studied (it can still record the
  conference attendance)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.accounts.scope import Scope
from dangvu.alerts.sources import KIND_LABELS, Alert, source
from dangvu.study import stats
from dangvu.study.access import MANAGE, own_member
from dangvu.study.models import Campaign, Participation

STUDY_DUE = "study_due"
STUDY_MISSING = "study_missing"
KIND_LABELS[STUDY_DUE] = gettext_lazy("Resolution to study")
KIND_LABELS[STUDY_MISSING] = gettext_lazy("Members who have not studied")


@source
def own_study(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    member = own_member(user)
    if member is None or member.organisation_id is None:
        return []
    from dangvu.study.access import member_campaigns

    campaigns = list(
        member_campaigns(member).filter(ends_on__gte=today, ends_on__lte=horizon).select_related("organisation")
    )
    done = set(
        Participation.objects.filter(stats.STUDIED, member=member, campaign__in=campaigns).values_list(
            "campaign_id", flat=True
        )
    )
    return [
        Alert(
            STUDY_DUE,
            member.full_name,
            c.title,
            c.organisation_id,
            c.organisation.name,
            c.ends_on,
            False,
            reverse("study:campaign", args=[c.pk]),
            c.pk,
        )
        for c in campaigns
        if c.pk not in done and stats.expected_periods(c).filter(member=member).exists()
    ]


@source
def missing_study(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    scope = Scope.of(user, MANAGE)
    if scope.empty:
        return []
    since = today - (horizon - today)
    campaigns = Campaign.objects.filter(scope.q("organisation__path"), ends_on__gte=since, ends_on__lte=horizon)
    alerts = []
    for c in campaigns.select_related("organisation"):
        figures = stats.campaign_figures(c)
        missing = figures.expected - figures.studied
        if missing <= 0:
            continue
        alerts.append(
            Alert(
                STUDY_MISSING,
                c.title,
                _("%(n)s of %(total)s members have not studied") % {"n": missing, "total": figures.expected},
                c.organisation_id,
                c.organisation.name,
                c.ends_on,
                c.ends_on < today,
                reverse("study:campaign", args=[c.pk]),
                c.pk,
            )
        )
    return alerts
