"""The review timetable in the one alerts list (dangvu.alerts.sources): for staff, each step of a campaign
due soon or overdue while reviews of their subtree still wait for it (self-assessments not submitted,
grades not proposed, grades not decided); for a member, their own self-assessment to submit."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.scope import Scope
from dangvu.alerts.sources import KIND_LABELS, Alert, source
from dangvu.reviews.access import campaigns_for, own_reviews
from dangvu.reviews.models import Review, ReviewState

STEP_DUE = "review_step"
SELF_DUE = "review_self"
KIND_LABELS[STEP_DUE] = _("Yearly review step due")
KIND_LABELS[SELF_DUE] = _("Self-assessment to submit")

# Step → the deadline field and the states still waiting for it.
STEPS = (
    ("self_until", [ReviewState.DRAFT], _("Self-assessments not submitted: %(n)s")),
    ("cell_until", [ReviewState.DRAFT, ReviewState.SUBMITTED], _("Grades not proposed by the cells: %(n)s")),
    (
        "decide_until",
        [ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.PROPOSED],
        _("Grades not decided: %(n)s"),
    ),
)


@source
def review_steps(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    """One query: the reviews of the user's subtree still waiting, counted by campaign and state, for the
    campaigns with a step due by the horizon."""
    scope = Scope.of(user, "reviews.view")
    if scope.empty:
        return []
    due = Q()
    for name, _states, _text in STEPS:
        due |= Q(**{f"{name}__lte": horizon})
    fields = ["year", "organisation_id", "organisation__name", *(name for name, _s, _t in STEPS)]
    rows = (
        Review.objects.filter(scope.q("org_path"), campaign__in=campaigns_for(user).filter(due), exclusion="")
        .exclude(state=ReviewState.DECIDED)
        .values("campaign_id", *(f"campaign__{f}" for f in fields), "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    campaigns: dict[int, dict] = {}
    counts: Counter = Counter()
    for row in rows:
        campaigns[row["campaign_id"]] = {f: row[f"campaign__{f}"] for f in fields}
        counts[(row["campaign_id"], row["state"])] += row["n"]
    alerts = []
    for pk, campaign in campaigns.items():
        for name, states, text in STEPS:
            day = campaign[name]
            waiting = sum(counts[(pk, s)] for s in states)
            if day > horizon or not waiting:
                continue
            alerts.append(
                Alert(
                    STEP_DUE,
                    gettext("Yearly review %(year)s") % {"year": campaign["year"]},
                    str(text) % {"n": waiting},
                    campaign["organisation_id"],
                    campaign["organisation__name"],
                    day,
                    day < today,
                    reverse("reviews:campaign", args=[pk]),
                    pk,
                )
            )
    return alerts


@source
def own_self_assessment(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    """The member's own self-assessment still in draft, due on the campaign's self-assessment date."""
    rows = (
        own_reviews(user)
        .filter(state=ReviewState.DRAFT, campaign__self_until__lte=horizon)
        .select_related("campaign", "organisation", "member")
    )
    return [
        Alert(
            SELF_DUE,
            r.member.full_name,
            gettext("Self-assessment for %(year)s") % {"year": r.campaign.year},
            r.organisation_id,
            r.organisation.name,
            r.campaign.self_until,
            r.campaign.self_until < today,
            reverse("reviews:self", args=[r.pk]),
            r.pk,
        )
        for r in rows
    ]
