"""Reviews of party organisations (issue 11 item 4, Mẫu 01): listed by the campaign under its organisation,
the collective's bands and conditions at their boundaries (rule data with an effective date), the
organisation's own assessment by its staff and the decision of the committee above it (allowed and denied),
never better than the conditions allow, a correction kept in the history, and the distribution of the
organisations' grades on the organisation page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu.lib.errors import DomainError
from dangvu.reviews import grading, orgreviews
from dangvu.reviews.forms_rule import ReviewRules
from dangvu.reviews.models import Grade, OrgReview, ReviewState
from dangvu.rules import services as rule_services

pytestmark = pytest.mark.django_db
RULES_DAY = dt.date(2026, 11, 20)


def tasks(total: int, late: int = 0, exceeded: int = 0) -> grading.TaskCounts:
    return grading.TaskCounts(total, total - late, exceeded)


def grade(points: str, counts: grading.TaskCounts, *, blemished=False, remedied=True, day=RULES_DAY) -> str:
    return orgreviews.org_grade_for(Decimal(points), counts, blemished, remedied, ReviewRules.on(day)).grade


def test_the_campaign_lists_the_organisations_under_it(tree, campaign):
    listed = set(campaign.org_reviews.values_list("organisation__code", flat=True))
    assert listed == {"A1", "A1-C1", "A1-C2", "A2"}  # not A itself (graded by the city), not B's


def test_collective_bands_and_conditions_at_their_boundaries():
    assert grade("90", tasks(10, exceeded=3)) == Grade.EXCELLENT
    assert grade("89.5", tasks(10, exceeded=3)) == Grade.GOOD
    assert grade("90", tasks(10, exceeded=3), blemished=True) == Grade.GOOD
    assert grade("90", tasks(10, exceeded=3), remedied=False) == Grade.GOOD
    assert grade("90", tasks(10, late=1, exceeded=3)) == Grade.COMPLETED  # good needs every task on time
    assert grade("50", tasks(5, late=1)) == Grade.COMPLETED  # 20% late: allowed
    assert grade("50", tasks(5, late=2)) == Grade.NOT_COMPLETED  # 40% late
    assert grade("49.9", tasks(5)) == Grade.NOT_COMPLETED


def test_the_late_share_is_rule_data_with_an_effective_date(cast):
    later = timezone.localdate() + dt.timedelta(days=30)
    rule_services.create_rule_set(cast.admin, later, "Nới tỷ lệ chậm", "", {"review.org_late_threshold": "2/5"})
    assert grade("50", tasks(5, late=2), day=later) == Grade.COMPLETED
    assert grade("50", tasks(5, late=2), day=later - dt.timedelta(days=1)) == Grade.NOT_COMPLETED


def assess(client, review, **extra):
    data = {
        "action": "assess",
        "score_leadership": "38",
        "score_building": "28",
        "score_inspection": "13",
        "score_unity": "12",
        "remedied": "on",
        "task-TOTAL_FORMS": "1",
        "task-INITIAL_FORMS": "0",
        "task-0-title": "Lãnh đạo hoàn thành kế hoạch năm",
        "task-0-on_time": "on",
        "submit": "1",
    }
    return client.post(reverse("reviews:org", args=[review.pk]), {**data, **extra})


def decide(client, review, grade_: str, number="50-QĐ/ĐU"):
    data = {
        "action": "decide",
        "decide-grade": grade_,
        "decide-document_number": number,
        "decide-document_date": timezone.localdate().strftime("%d/%m/%Y"),
    }
    return client.post(reverse("reviews:org", args=[review.pk]), data)


def test_the_cell_assesses_the_committee_above_decides(client, tree, cast, campaign):
    c1 = campaign.org_reviews.get(organisation=tree.c1)
    client.force_login(cast.leader)  # sees, neither assesses nor decides
    assert client.get(reverse("reviews:org", args=[c1.pk])).status_code == 200
    assert assess(client, c1).status_code == 403
    client.force_login(cast.outsider)
    assert client.get(reverse("reviews:org", args=[c1.pk])).status_code == 404
    client.force_login(cast.secretary)
    bad = assess(client, c1, score_leadership="41")
    assert bad.status_code == 200 and bad.context["assess"].errors["score_leadership"]
    c1.refresh_from_db()
    assert c1.points is None
    assert assess(client, c1).status_code == 302
    c1.refresh_from_db()
    assert (c1.state, c1.points, c1.self_grade) == (
        ReviewState.SUBMITTED,
        Decimal("91"),
        Grade.GOOD,
    )  # no task exceeded
    assert decide(client, c1, Grade.GOOD).status_code == 403  # the cell does not grade itself
    client.force_login(cast.office)  # the office of A, above A1: decides C1 (A1's unit) on A1's behalf
    refused = decide(client, c1, Grade.EXCELLENT)
    assert refused.status_code == 200
    assert "Hoàn thành tốt nhiệm vụ" in refused.context["decide"].errors["grade"][0]  # at most 'good'
    c1.refresh_from_db()
    assert c1.state == ReviewState.SUBMITTED and not c1.grade
    assert decide(client, c1, Grade.GOOD).status_code == 302
    c1.refresh_from_db()
    assert (c1.state, c1.grade, c1.document_number) == (ReviewState.DECIDED, Grade.GOOD, "50-QĐ/ĐU")
    page = client.get(f"/orgs/{tree.a_base.pk}/").content.decode()
    assert 'id="org-grade-distribution"' in page and 'data-grade="good">1<' in page
    correction = {
        "action": "correct",
        "correct-grade": Grade.COMPLETED,
        "correct-document_number": "51-QĐ/ĐU",
        "correct-document_date": timezone.localdate().strftime("%d/%m/%Y"),
        "correct-reason": "Phát hiện chậm tiến độ",
    }
    client.force_login(cast.secretary)
    assert client.post(reverse("reviews:org", args=[c1.pk]), correction).status_code == 403
    client.force_login(cast.office)
    assert client.post(reverse("reviews:org", args=[c1.pk]), correction).status_code == 302
    c1.refresh_from_db()
    assert (c1.grade, c1.document_number) == (Grade.COMPLETED, "51-QĐ/ĐU")
    assert "correcting 50-QĐ/ĐU" in c1.history.first().history_change_reason
    assert [h.grade for h in c1.history.order_by("history_date")][-2:] == [Grade.GOOD, Grade.COMPLETED]
    first, second = c1.decisions.order_by("id")  # a separate decision record, as for members
    assert (first.document_number, first.grade, first.organisation, first.corrects) == (
        "50-QĐ/ĐU",
        Grade.GOOD,
        tree.a_base,
        None,
    )
    assert (second.document_number, second.grade, second.corrects, second.reason) == (
        "51-QĐ/ĐU",
        Grade.COMPLETED,
        first,
        "Phát hiện chậm tiến độ",
    )
    assert orgreviews.in_force(c1) == second and second.history.first().history_user == cast.office
    page = client.get(reverse("reviews:org", args=[c1.pk])).content.decode()
    assert f'data-decision="{second.pk}"' in page and "Phát hiện chậm tiến độ" in page


def test_a_correction_writes_nothing_when_refused(tree, cast, campaign):
    c2 = campaign.org_reviews.get(organisation=tree.c2)
    data = orgreviews.OrgAssessment({"leadership": "30", "building": "20", "inspection": "10", "unity": "10"})
    orgreviews.save_assessment(c2, data, cast.secretary, submit=True)
    orgreviews.decide(c2, Grade.GOOD, "53-QĐ/ĐU", timezone.localdate(), cast.office)
    for grade_, reason in ((Grade.GOOD, "Lý do"), (Grade.COMPLETED, "  ")):
        with pytest.raises(DomainError):
            orgreviews.correct(c2, grade_, "54-QĐ/ĐU", timezone.localdate(), reason, cast.office)
    c2.refresh_from_db()
    assert (c2.grade, c2.document_number, c2.decisions.count()) == (Grade.GOOD, "53-QĐ/ĐU", 1)


def test_distribution_of_organisations_counts_those_under(tree, cast, campaign):
    for r in campaign.org_reviews.filter(organisation__in=[tree.c1, tree.c2]):
        data = orgreviews.OrgAssessment({"leadership": "30", "building": "20", "inspection": "10", "unity": "10"})
        orgreviews.save_assessment(r, data, cast.office, submit=True)
        orgreviews.decide(r, Grade.GOOD, "52-QĐ/ĐU", timezone.localdate(), cast.office)
    result = orgreviews.distribution(tree.a_base, 2026)
    assert (result.combined.grades, result.combined.pending) == ({Grade.GOOD: 2}, 0)
    whole = orgreviews.distribution(tree.a, 2026).combined
    assert (whole.grades[Grade.GOOD], whole.pending) == (2, 2)  # A1 and A2 not decided yet
    assert OrgReview.objects.filter(campaign=campaign, grade="").count() == 2


def test_the_migration_gives_grades_decided_before_it_their_decision(tree, cast, campaign):
    """Grades decided before decisions were kept apart (number and date on the review only) get their
    decision by the committee above (dangvu/reviews/migrations/0006_org_decision.py)."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("dangvu.reviews.migrations.0006_org_decision")
    day = timezone.localdate()
    campaign.org_reviews.filter(organisation=tree.c1).update(
        state=ReviewState.DECIDED, grade=Grade.GOOD, document_number="9-QĐ/ĐU", document_date=day
    )
    migration.decisions_of_decided(apps, None)
    migration.decisions_of_decided(apps, None)  # run again: nothing more
    c1 = campaign.org_reviews.get(organisation=tree.c1)
    assert [(d.organisation, d.grade, d.document_number, d.document_date) for d in c1.decisions.all()] == [
        (tree.a_base, Grade.GOOD, "9-QĐ/ĐU", day)
    ]
    assert not campaign.org_reviews.exclude(organisation=tree.c1).filter(decisions__isnull=False).exists()
