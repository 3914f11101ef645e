"""Review campaigns for a term (issue 11 item 1: "for a year (and for a term)"), where the rules say so: a
term from its first year to the year reviewed within `review.term_years`, beside the yearly campaign of the
same organisation; refused naming the rule when the rule set in force on the opening date has no term
reviews; counted apart in the statistics; opened from the page and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu.api.tests.conftest import ApiClient
from dangvu.lib.errors import DomainError
from dangvu.reviews import services, stats
from dangvu.reviews.models import Campaign, Period
from dangvu.rules import presentation
from dangvu.rules import services as rule_services

pytestmark = pytest.mark.django_db
D = dt.date
PLAN = services.Timetable(D(2025, 12, 10), D(2025, 12, 20), D(2025, 12, 31))


OPENED = D(2025, 12, 1)


def open_term(tree, office, first_year=2021, opened=OPENED, plan=PLAN):
    return services.open_campaign(tree.a_base, 2025, opened, plan, office, period=Period.TERM, first_year=first_year)


def test_a_term_beside_the_year_and_counted_apart(tree, cast, people):
    yearly = services.open_campaign(tree.a_base, 2025, D(2025, 12, 1), PLAN, cast.office)
    term = open_term(tree, cast.office)
    assert (term.period, term.first_year, term.period_label) == (Period.TERM, 2021, "2021–2025")
    assert term.title == "Kiểm điểm, xếp loại nhiệm kỳ 2021–2025" and yearly.title == "Kiểm điểm, xếp loại năm 2025"
    assert term.reviews.count() == yearly.reviews.count() == 3
    with pytest.raises(DomainError) as again:
        open_term(tree, cast.office)  # the same term twice over overlapping organisations
    assert "organisation" in again.value.error_dict
    assert stats.distribution(tree.a_base, 2025, period=Period.TERM).combined.pending == 3
    assert stats.distribution(tree.a_base, 2025).combined.pending == 3  # the year's own campaign only


def test_the_terms_length_and_first_year(tree, cast, people):
    for first in (None, 2020, 2025, 2026):  # missing; six years; not before the last; after it
        with pytest.raises(DomainError) as refused:
            open_term(tree, cast.office, first_year=first)
        assert list(refused.value.error_dict) == ["first_year"], first
    assert not Campaign.objects.exists()


def test_no_term_review_when_the_rules_in_force_have_none(tree, cast, people):
    today = timezone.localdate()
    rule_services.create_rule_set(cast.admin, today, "Chỉ kiểm điểm năm", "", {"review.periods": ["year"]})
    later = services.Timetable(*(today + dt.timedelta(days=n) for n in (10, 20, 30)))
    with pytest.raises(DomainError) as refused:
        open_term(tree, cast.office, opened=today, plan=later)
    message = refused.value.error_dict["period"][0].messages[0]
    assert presentation.label("review.periods") in message
    assert not Campaign.objects.exists()
    earlier = open_term(tree, cast.office, opened=today - dt.timedelta(days=1), plan=later)  # the earlier rules
    assert earlier.period == Period.TERM


def test_office_opens_a_term_from_the_page_and_the_api(client, tree, cast, people):
    data = {
        "organisation": tree.a_base.pk,
        "period": "term",
        "year": "2025",
        "first_year": "2021",
        "opened_on": "01/12/2025",
        "self_until": "10/12/2025",
        "cell_until": "20/12/2025",
        "decide_until": "31/12/2025",
    }
    client.force_login(cast.office)
    page = client.post(reverse("reviews:open"), {**data, "first_year": ""})
    assert page.status_code == 200 and page.context["form"].errors["first_year"]
    response = client.post(reverse("reviews:open"), data)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert 'data-period="term"' in html and "Kiểm điểm, xếp loại nhiệm kỳ 2021–2025" in html
    body = {
        "organisation_id": tree.a_base.pk,
        "period": "term",
        "first_year": 2020,
        "year": 2024,
        "opened_on": "2025-12-01",
        "self_until": "2025-12-10",
        "cell_until": "2025-12-20",
        "decide_until": "2025-12-31",
    }
    assert ApiClient(client, cast.secretary).post("/reviews/campaigns", body).status_code == 404
    r = ApiClient(client, cast.office).post("/reviews/campaigns", body)
    assert r.status_code == 201, r.content
    assert (r.json()["period"], r.json()["first_year"]) == ("term", 2020)
    bad = ApiClient(client, cast.office).post("/reviews/campaigns", {**body, "period": "quarter"})
    assert bad.status_code == 422
