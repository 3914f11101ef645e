"""The review timetable in the one alerts list (dangvu.alerts.sources): for staff, each step of a campaign
due soon or overdue while reviews of their subtree still wait for it (self-assessments not submitted,
grades not proposed, grades not decided; the party organisations' own assessments not submitted and their
grades not decided); for a member, their own self-assessment to submit. A campaign is named by its period
(the year, or the term)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import CharField, Count, Q, Value
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.scope import Scope
from dangvu.alerts.sources import KIND_LABELS, Alert, source
from dangvu.reviews.access import campaigns_for, own_reviews
from dangvu.reviews.models import OrgReview, Period, Review, ReviewState

STEP_DUE = "review_step"
SELF_DUE = "review_self"
KIND_LABELS[STEP_DUE] = _("Review step due")
KIND_LABELS[SELF_DUE] = _("Self-assessment to submit")
MEMBERS, ORGS = "m", "o"

# Step → whose reviews, the deadline field and the states still waiting for it. The organisations assess
# themselves by the cells' review meetings and are graded by the committees' decisions (Mẫu 01).
STEPS = (
    (MEMBERS, "self_until", [ReviewState.DRAFT], _("Self-assessments not submitted: %(n)s")),
    (
        MEMBERS,
        "cell_until",
        [ReviewState.DRAFT, ReviewState.SUBMITTED],
        _("Grades not proposed by the cells: %(n)s"),
    ),
    (
        MEMBERS,
        "decide_until",
        [ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.PROPOSED],
        _("Grades not decided: %(n)s"),
    ),
    (ORGS, "cell_until", [ReviewState.DRAFT], _("Assessments of party organisations not submitted: %(n)s")),
    (
        ORGS,
        "decide_until",
        [ReviewState.DRAFT, ReviewState.SUBMITTED],
        _("Grades of party organisations not decided: %(n)s"),
    ),
)
DEADLINES = ("self_until", "cell_until", "decide_until")


def campaign_title(year: int, period: str, first_year: int | None) -> str:
    """'Yearly review 2026', or 'Review of the term 2020–2025' (as Campaign.title, from its values)."""
    if period == Period.TERM:
        return gettext("Review of the term %(period)s") % {"period": f"{first_year}–{year}"}
    return gettext("Yearly review %(year)s") % {"year": year}


@source
def review_steps(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    """One query: the reviews of members and of organisations of the user's subtree still waiting, counted
    by campaign and state (a UNION of the two counts), for the campaigns with a step due by the horizon."""
    scope = Scope.of(user, "reviews.view")
    if scope.empty:
        return []
    due = Q()
    for name in DEADLINES:
        due |= Q(**{f"{name}__lte": horizon})
    fields = ["year", "period", "first_year", "organisation_id", "organisation__name", *DEADLINES]
    columns = ["campaign_id", *(f"campaign__{f}" for f in fields), "state"]
    campaigns = campaigns_for(user).filter(due)

    def waiting(model, whose: str, **extra):
        return (
            model.objects.filter(scope.q("org_path"), campaign__in=campaigns, **extra)
            .exclude(state=ReviewState.DECIDED)
            .values(*columns)
            .annotate(n=Count("id"), whose=Value(whose, output_field=CharField()))
            .order_by()
        )

    rows = waiting(Review, MEMBERS, exclusion="").union(waiting(OrgReview, ORGS), all=True)
    found: dict[int, dict] = {}
    counts: Counter = Counter()
    for row in rows:
        found[row["campaign_id"]] = {f: row[f"campaign__{f}"] for f in fields}
        counts[(row["campaign_id"], row["whose"], row["state"])] += row["n"]
    alerts = []
    for pk, campaign in found.items():
        title = campaign_title(campaign["year"], campaign["period"], campaign["first_year"])
        for whose, name, states, text in STEPS:
            day = campaign[name]
            n = sum(counts[(pk, whose, s)] for s in states)
            if day > horizon or not n:
                continue
            alerts.append(
                Alert(
                    STEP_DUE,
                    title,
                    str(text) % {"n": n},
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
            (
                gettext("Self-assessment for the term %(period)s") % {"period": r.campaign.period_label}
                if r.campaign.period == Period.TERM
                else gettext("Self-assessment for %(year)s") % {"year": r.campaign.year}
            ),
            r.organisation_id,
            r.organisation.name,
            r.campaign.self_until,
            r.campaign.self_until < today,
            reverse("reviews:self", args=[r.pk]),
            r.pk,
        )
        for r in rows
    ]
