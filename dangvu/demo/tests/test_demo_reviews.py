"""The demo's yearly reviews (issue 11): five years of history in seed 003's proportions, per predecessor
before the merger and combined after it, and this year's review open with the `dangvien` log-in's
self-assessment to fill."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangvu.accounts.models import User
from dangvu.demo.reviews_world import FIRST_YEAR
from dangvu.demo.tests.test_demo_world import demo, seeded  # noqa: F401  (the module-scoped world)
from dangvu.reviews import orgreviews, stats
from dangvu.reviews.models import Campaign, Grade, Review, ReviewState
from dangvu.reviews.services import rules_of

pytestmark = pytest.mark.django_db


def test_five_years_of_history_in_seed_003_proportions(demo):  # noqa: F811
    merged = Campaign.objects.get(year=timezone.localdate().year).organisation  # this year's: the merged committee
    for year in range(FIRST_YEAR, timezone.localdate().year):
        result = stats.distribution(merged, year)
        counts = result.combined
        assert counts.decided > 1000 and counts.pending == 0, year
        assert 0.90 < counts.good_or_better < 0.96, (year, float(counts.good_or_better))
        assert 0 < counts.share(Grade.NOT_COMPLETED) < 0.01, year
        if year < 2025:  # before the merger: the predecessors hold the reviews
            assert sum(1 for p in result.parts if p.decided) >= 2 and result.parts[0].decided == 0
        organisations = orgreviews.distribution(merged, year).combined
        assert organisations.decided > 10 and organisations.pending == 0, year
        good = organisations.grades[Grade.EXCELLENT] + organisations.grades[Grade.GOOD]
        assert good / organisations.decided > 0.85, year
        rules = rules_of(Campaign.objects.filter(year=year).first())
        for decision_counts in (p for p in result.parts if p.decided):
            excellent = decision_counts.grades[Grade.EXCELLENT]
            assert excellent <= rules.excellent_quota * (excellent + decision_counts.grades[Grade.GOOD])


def test_this_years_review_is_open_with_dangvien_to_fill(demo):  # noqa: F811
    campaign = Campaign.objects.get(year=timezone.localdate().year)
    user = User.objects.get(username="dangvien")
    mine = Review.objects.get(campaign=campaign, member_id=user.member_id)
    assert mine.state == ReviewState.DRAFT
    assert Review.objects.filter(
        campaign=campaign, organisation=mine.organisation, state=ReviewState.SUBMITTED
    ).exists()
    client = Client()
    client.force_login(user)
    page = client.get(reverse("reviews:self", args=[mine.pk]))
    assert page.status_code == 200 and 'name="score_general"' in page.content.decode()
