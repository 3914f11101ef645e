"""The review results on other pages (issue 11 item 5): a member's grade per year on the member page, an
organisation's members' grade distribution per year on the organisation page (with its predecessors), its own
grade per year and the distribution of the grades of the organisations under it."""

from __future__ import annotations

from django import template
from django.db.models import Q
from django.utils.translation import gettext

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
    """The distribution of the last years reviewed and of the last term reviewed (Campaign.period), each with
    each predecessor and combined, for the members and for the organisations under it; its own grades."""
    user = context["request"].user
    if not has_capability(user, "reviews.view"):
        return {"years": []}
    years = list(
        Campaign.objects.filter(period=Period.YEAR)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")[:YEARS_SHOWN]
    )
    term = (
        Campaign.objects.filter(period=Period.TERM).order_by("-year", "first_year").values("year", "first_year").first()
    )
    own_q = Q(campaign__year__in=years, campaign__period=Period.YEAR)
    if term:
        own_q |= Q(campaign__year=term["year"], campaign__period=Period.TERM)
    own = list(OrgReview.objects.filter(own_q, organisation=org).select_related("campaign").order_by("-campaign__year"))
    rows = [(str(year), year, Period.YEAR) for year in years]
    if term:
        rows.insert(0, (f"{term['first_year']}–{term['year']}", term["year"], Period.TERM))
    periods = []
    for label, year, period in rows:
        members = stats.distribution(org, year, period=period)
        orgs = orgreviews.distribution(org, year, period=period)
        if period == Period.TERM and not members.combined.total and not orgs.combined.total:
            continue  # a term reviewed elsewhere only
        title = gettext("Term %(period)s") % {"period": label} if period == Period.TERM else label
        for d in (members, orgs):
            d.label, d.period, d.title = label, period, title
        periods.append((members, orgs))
    return {
        "years": [m for m, _o in periods],
        "org_years": [o for _m, o in periods if o.combined.total],
        "own": sorted(own, key=lambda r: (r.campaign.period != Period.TERM, -r.campaign.year)),
        "org": org,
    }
