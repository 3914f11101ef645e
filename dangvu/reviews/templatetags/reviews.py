"""The review results on other pages (issue 11 item 5): a member's grade per year on the member page, an
organisation's members' grade distribution per year on the organisation page (with its predecessors), its own
grade per year and the distribution of the grades of the organisations under it."""

from __future__ import annotations

from django import template

from dangvu.accounts.scope import has_capability
from dangvu.reviews import orgreviews, stats
from dangvu.reviews.access import reviews_for
from dangvu.reviews.models import Campaign, OrgReview, Period

register = template.Library()
YEARS_SHOWN = 3


@register.inclusion_tag("reviews/_member_grades.html", takes_context=True)
def member_grades(context, member) -> dict:
    """The member's reviews the user may see, newest year first (one query)."""
    user = context["request"].user
    rows = list(
        reviews_for(user).filter(member=member).select_related("campaign", "decision").order_by("-campaign__year")
    )
    return {"reviews": rows, "request": context["request"]}


@register.inclusion_tag("reviews/_org_grades.html", takes_context=True)
def org_grades(context, org) -> dict:
    """The distribution of the last years reviewed, with each predecessor and combined."""
    user = context["request"].user
    if not has_capability(user, "reviews.view"):
        return {"years": []}
    years = list(
        Campaign.objects.filter(period=Period.YEAR)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")[:YEARS_SHOWN]
    )
    own = {
        r.campaign.year: r
        for r in OrgReview.objects.filter(
            organisation=org, campaign__year__in=years, campaign__period=Period.YEAR
        ).select_related("campaign")
    }
    org_years = [orgreviews.distribution(org, year) for year in years]
    return {
        "years": [stats.distribution(org, year) for year in years],
        "org_years": [d for d in org_years if d.combined.total],
        "own": [own[y] for y in years if y in own],
        "org": org,
    }
