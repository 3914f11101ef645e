"""The review pages (issue 11 items 2 and 8), each allowed and denied: a member sees and fills only their
own self-assessment (phone-sized page), a secretary sees the cell's reviews and proposes, the office opens
campaigns; refusals are shown beside the field and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dangvu.reviews.models import Campaign, Grade, Review, ReviewState

pytestmark = pytest.mark.django_db


def self_post(**extra) -> dict:
    data = {
        "form": "2B",
        "score_general": "28",
        "score_tasks": "62",
        "evidence_tasks": "Báo cáo quý",
        "task-TOTAL_FORMS": "3",
        "task-INITIAL_FORMS": "0",
        "task-0-title": "Soạn báo cáo",
        "task-0-on_time": "on",
        "task-0-exceeded": "on",
        "task-1-title": "Tổ chức hội nghị",
        "task-1-on_time": "on",
        "shortcomings": "Chậm báo cáo",
        "remedy": "Lập kế hoạch",
        "save": "1",
    }
    data.update(extra)
    return data


def own(campaign, people, key="an") -> Review:
    return campaign.reviews.get(member=people[key])


def test_member_fills_and_submits_their_own_on_a_phone_page(client, cast, people, campaign):
    review = own(campaign, people)
    client.force_login(cast.member)
    url = reverse("reviews:self", args=[review.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"width=device-width" in page.content
    assert 'name="score_general"' in page.content.decode()
    assert client.post(url, self_post()).status_code == 302
    review.refresh_from_db()
    assert (review.points, review.state, len(review.tasks)) == (90, ReviewState.DRAFT, 2)
    client.post(url, self_post(submit="1"))
    review.refresh_from_db()
    assert review.state == ReviewState.SUBMITTED and review.self_grade == Grade.EXCELLENT
    client.post(url, self_post(score_general="10", submit="1"))  # locked: the page no longer takes a post
    review.refresh_from_db()
    assert review.points == 90
    assert 'name="score_general"' not in client.get(url).content.decode()


def test_bad_points_are_shown_beside_the_field_and_nothing_changes(client, cast, people, campaign):
    review = own(campaign, people)
    client.force_login(cast.member)
    page = client.post(reverse("reviews:self", args=[review.pk]), self_post(score_general="45", submit="1"))
    assert page.status_code == 200
    assert page.context["form"].errors["score_general"]
    html = page.content.decode()
    assert 'class="form-summary"' in html and 'href="#id_score_general"' in html  # the summary links the field
    assert 'aria-describedby="id_score_general_helptext id_score_general_error"' in html
    review.refresh_from_db()
    assert review.state == ReviewState.DRAFT and review.points is None


def test_nobody_else_reaches_a_members_self_assessment(client, cast, people, campaign):
    url = reverse("reviews:self", args=[own(campaign, people, "binh").pk])
    for user in (cast.member, cast.secretary, cast.office, cast.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
        assert client.post(url, self_post()).status_code == 404, user
    assert own(campaign, people, "binh").points is None


def test_secretary_sees_the_cells_reviews_not_the_next_cells(client, cast, people, campaign):
    client.force_login(cast.secretary)
    page = client.get(reverse("reviews:campaign", args=[campaign.pk]))
    assert page.status_code == 200
    names = {r.member.full_name for r in page.context["reviews"]}
    assert names == {"Nguyễn Văn An", "Trần Thị Bình"}
    assert client.get(reverse("reviews:review", args=[own(campaign, people).pk])).status_code == 200
    assert client.get(reverse("reviews:review", args=[own(campaign, people, "duc").pk])).status_code == 404


def test_campaign_page_and_list_denied_outside_scope(client, cast, campaign):
    for user in (cast.outsider, cast.member):
        client.force_login(user)
        assert client.get(reverse("reviews:campaign", args=[campaign.pk])).status_code == 404
    client.force_login(cast.nobody)
    assert client.get(reverse("reviews:index")).status_code == 403
    client.force_login(cast.office)
    page = client.get(reverse("reviews:campaign", args=[campaign.pk]))
    cells = {c.organisation.code: c.total for g in page.context["groups"] for c in g.cells}
    assert cells == {"A1-C1": 2, "A1-C2": 1}


def test_member_list_shows_own_reviews_only(client, cast, people, campaign):
    client.force_login(cast.member)
    page = client.get(reverse("reviews:index"))
    assert [r.member_id for r in page.context["mine"]] == [people["an"].pk]
    assert page.context["campaigns"] == []


def test_office_opens_a_campaign_secretary_may_not(client, cast, tree):
    data = {
        "organisation": tree.a_base.pk,
        "year": "2026",
        "opened_on": "20/11/2026",
        "self_until": "10/12/2026",
        "cell_until": "20/12/2026",
        "decide_until": "31/12/2026",
    }
    client.force_login(cast.secretary)
    assert client.post(reverse("reviews:open"), data).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(reverse("reviews:open"), data).status_code == 200  # A1 is not among its choices
    assert not Campaign.objects.exists()
    client.force_login(cast.office)
    page = client.post(reverse("reviews:open"), {**data, "cell_until": "01/12/2026"})
    assert "cell_until" in page.context["form"].errors
    assert not Campaign.objects.exists()
    assert client.post(reverse("reviews:open"), data).status_code == 302
    assert Campaign.objects.get().organisation == tree.a_base


def test_secretary_proposes_member_may_not(client, cast, people, campaign):
    review = own(campaign, people)
    client.force_login(cast.member)
    client.post(reverse("reviews:self", args=[review.pk]), self_post(submit="1"))
    proposal = {"grade": Grade.GOOD, "comments": "Đồng ý", "proposed_on": "04/12/2026"}
    url = reverse("reviews:review", args=[review.pk])
    assert client.post(url, proposal).status_code == 302  # the member is sent to their own page
    review.refresh_from_db()
    assert review.state == ReviewState.SUBMITTED
    client.force_login(cast.leader)  # sees the review, may not propose
    assert client.get(url).status_code == 200
    assert client.post(url, proposal).status_code == 403
    client.force_login(cast.secretary)
    assert client.post(url, proposal).status_code == 302
    review.refresh_from_db()
    assert (review.state, review.proposed_grade, review.proposed_on) == (
        ReviewState.PROPOSED,
        Grade.GOOD,
        dt.date(2026, 12, 4),
    )


def test_alerts_list_the_members_own_form_and_the_cells_steps(client, cast, people, campaign, monkeypatch):
    from dangvu import testing
    from dangvu.alerts.sources import due_items

    testing.keep_alert_sources(monkeypatch, "dangvu.reviews.alerts")
    today = dt.date(2026, 12, 1)
    mine = due_items(cast.member, today)
    assert [(a.kind, a.due) for a in mine] == [("review_self", dt.date(2026, 12, 10))]
    cell = due_items(cast.secretary, today)
    assert [a.detail for a in cell][0].endswith(": 2")  # the two members of C1 have not submitted
    assert due_items(cast.outsider, today) == []


def test_a_change_without_a_user_shows_as_the_system_in_the_history(client, cast, people, campaign):
    """A change recorded by a job (no acting user, e.g. the daily transfers job) is named "hệ thống" in the
    review's history, not a server error."""
    review = own(campaign, people)
    review.remedy = "Lập kế hoạch khắc phục"
    review._change_reason = "job"
    review.save()
    review.history.filter(pk=review.history.latest().pk).update(history_user=None)
    client.force_login(cast.office)
    page = client.get(reverse("reviews:review", args=[review.pk]))
    assert page.status_code == 200 and "hệ thống" in page.content.decode()
