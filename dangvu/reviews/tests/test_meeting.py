"""The cell's review meeting through the meetings module (issue 11 item 3): proposals adopted by a closed
vote of the cell's meeting taken by the threshold the rules require; a vote by another threshold, a vote
that failed, the quota and the cap are refused naming their rule, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from dangvu.meetings import services as meetings
from dangvu.meetings.models import MeetingKind, VoteMethod, VoteRule
from dangvu.meetings.tests.test_lifecycle import at, inv
from dangvu.reviews import services
from dangvu.reviews.models import Grade, ReviewState
from dangvu.rules import presentation

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(tree, cast, people, campaign):
    """Both members of C1 submitted; the cell's meeting this morning, both present."""
    for key in ("an", "binh"):
        data = services.SelfAssessment(
            "2B", {"general": "28", "tasks": "63"}, tasks=[{"title": "Việc", "on_time": True, "exceeded": True}]
        )
        services.save_self_assessment(campaign.reviews.get(member=people[key]), data, cast.member, submit=True)
    day = timezone.localdate()
    m = meetings.create_meeting(
        tree.c1, cast.secretary, kind=MeetingKind.REGULAR, starts_at=at(day, 8), place="Hội trường"
    )
    meetings.open_meeting(m, cast.secretary)
    for key in ("an", "binh"):
        meetings.check_in(inv(m, people[key]), cast.secretary, at=m.starts_at)
    return m


def vote(m, actor, rule=VoteRule.MAJORITY_OF_MEMBERS, yes=2, question="Đề xuất xếp loại"):
    v = meetings.create_vote(m, actor, question=question, method=VoteMethod.COUNT, rule=rule)
    meetings.open_vote(v, actor)
    return meetings.close_vote(v, actor, counts={"yes": yes, "no": 2 - yes, "abstain": 0})


def named(page, key: str) -> str:
    """The rule's label in the page's language."""
    with translation.override(page.wsgi_request.LANGUAGE_CODE):
        return presentation.label(key)


def post(client, campaign, m, people, campaign_reviews, grades: dict, votes: dict):
    data = {}
    for key, grade in grades.items():
        review = campaign_reviews.get(member=people[key])
        data[f"grade_{review.pk}"] = grade
        data[f"vote_{review.pk}"] = votes[key].pk
    return client.post(reverse("reviews:meeting", args=[campaign.pk, m.pk]), data)


def test_cell_adopts_its_proposals_by_the_required_vote(client, cast, people, campaign, meeting):
    all_good = vote(meeting, cast.secretary)
    client.force_login(cast.secretary)
    page = client.get(reverse("reviews:campaign", args=[campaign.pk]))
    assert f'data-meeting="{meeting.pk}"' in page.content.decode()
    r = post(
        client,
        campaign,
        meeting,
        people,
        campaign.reviews,
        {"an": Grade.GOOD, "binh": Grade.GOOD},
        {"an": all_good, "binh": all_good},
    )
    assert r.status_code == 302
    rows = {x.member_id: x for x in campaign.reviews.filter(organisation=meeting.organisation)}
    assert {x.state for x in rows.values()} == {ReviewState.PROPOSED}
    assert rows[people["an"].pk].meeting_id == meeting.pk
    assert rows[people["an"].pk].proposed_on == timezone.localdate()


def test_wrong_threshold_failed_vote_and_quota_are_refused(client, cast, people, campaign, meeting):
    by_present = vote(meeting, cast.secretary, rule=VoteRule.MAJORITY_OF_PRESENT)
    failed = vote(meeting, cast.secretary, yes=1, question="Đề xuất xuất sắc")
    passed = vote(meeting, cast.secretary, question="Đề xuất tốt")
    client.force_login(cast.secretary)
    page = post(client, campaign, meeting, people, campaign.reviews, {"an": Grade.GOOD}, {"an": by_present})
    assert named(page, "review.vote_rule") in page.context["form"].non_field_errors()[0]
    page = post(client, campaign, meeting, people, campaign.reviews, {"an": Grade.GOOD}, {"an": failed})
    assert page.status_code == 200 and "Đề xuất xuất sắc" in page.context["form"].non_field_errors()[0]
    page = post(
        client,
        campaign,
        meeting,
        people,
        campaign.reviews,
        {"an": Grade.EXCELLENT, "binh": Grade.GOOD},
        {"an": passed, "binh": passed},
    )  # 1 excellent of 2: 20% allows none
    assert named(page, "review.excellent_quota_threshold") in page.context["form"].non_field_errors()[0]
    assert 'class="form-summary"' in page.content.decode()
    assert not campaign.reviews.filter(state=ReviewState.PROPOSED).exists()


def test_only_the_cells_secretary_or_office_records(client, cast, people, campaign, meeting):
    v = vote(meeting, cast.secretary)
    for user, status in ((cast.member, 404), (cast.leader, 403), (cast.outsider, 404)):
        client.force_login(user)
        r = post(client, campaign, meeting, people, campaign.reviews, {"an": Grade.GOOD}, {"an": v})
        assert r.status_code == status, user
    assert not campaign.reviews.filter(state=ReviewState.PROPOSED).exists()
    assert dt.date.today()  # the meeting is today's
