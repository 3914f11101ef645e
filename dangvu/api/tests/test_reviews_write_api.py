"""The yearly review API's writing endpoints (issue 11 item 8): opening a campaign, the cell's proposals
(directly or from its review meeting with its votes), the committee's decision and the correcting decision
— each allowed and denied by role and scope (outside the caller's view 404, seen but not theirs 403), and
each refusal a 422 naming the field or rule with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from dangvu.meetings import services as meetings
from dangvu.meetings.models import MeetingKind, VoteMethod, VoteRule
from dangvu.meetings.tests.test_lifecycle import at, inv
from dangvu.reviews import services
from dangvu.reviews.models import Campaign, Decision, Grade, ReviewState
from dangvu.reviews.tests.conftest import OPENED, TIMETABLE
from dangvu.rules import presentation

pytestmark = pytest.mark.django_db
PROPOSED_ON = "2026-12-01"

OPEN = {
    "year": 2026,
    "opened_on": "2026-11-20",
    "self_until": "2026-12-10",
    "cell_until": "2026-12-20",
    "decide_until": "2026-12-31",
    "document_number": "12-KH/ĐU",
}


@pytest.fixture
def campaign(tree, cast, people):
    """The 2026 review of committee A with every self-assessment submitted (29 + 63 points, tasks exceeded)."""
    c = services.open_campaign(tree.a, 2026, OPENED, TIMETABLE, cast.office)
    for review in c.reviews.all():
        data = services.SelfAssessment(
            "2B", {"general": "29", "tasks": "63"}, tasks=[{"title": "Việc", "on_time": True, "exceeded": True}]
        )
        services.save_self_assessment(review, data, cast.office, submit=True)
    return c


def rid(campaign, people, key: str) -> int:
    return campaign.reviews.get(member=people[key]).pk


def messages(response) -> str:
    return " ".join(e["message"] for e in response.json()["errors"])


def test_office_opens_a_campaign_others_may_not(api, tree, cast):
    assert api(cast.outsider).post("/reviews/campaigns", {**OPEN, "organisation_id": tree.a_base.pk}).status_code == 404
    assert api(cast.secretary).post("/reviews/campaigns", {**OPEN, "organisation_id": tree.c1.pk}).status_code == 403
    assert api(cast.nobody).post("/reviews/campaigns", {**OPEN, "organisation_id": tree.a_base.pk}).status_code == 403
    bad = api(cast.office).post(
        "/reviews/campaigns", {**OPEN, "organisation_id": tree.a_base.pk, "cell_until": "2026-12-01"}
    )
    assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["cell_until"]
    a_cell = api(cast.office).post("/reviews/campaigns", {**OPEN, "organisation_id": tree.c1.pk})
    assert a_cell.status_code == 422 and a_cell.json()["errors"][0]["field"] == "organisation"
    assert not Campaign.objects.exists()
    r = api(cast.office).post("/reviews/campaigns", {**OPEN, "organisation_id": tree.a_base.pk})
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["organisation"]["id"], body["opened_on"], body["document_number"]) == (
        tree.a_base.pk,
        "2026-11-20",
        "12-KH/ĐU",
    )
    assert Campaign.objects.get().reviews.count() == 3


def test_secretary_proposes_for_the_cell_quota_refused_naming_the_rule(api, tree, cast, people, campaign):
    path = f"/reviews/campaigns/{campaign.pk}/proposals"
    both = {
        "cell_id": tree.c1.pk,
        "proposed_on": PROPOSED_ON,
        "proposals": [
            {"review_id": rid(campaign, people, "an"), "grade": Grade.EXCELLENT},
            {"review_id": rid(campaign, people, "binh"), "grade": Grade.GOOD},
        ],
    }
    refused = api(cast.secretary).post(path, both)  # 1 excellent of 2: 20% allows none
    assert refused.status_code == 422
    with translation.override("vi"):
        assert presentation.label("review.excellent_quota_threshold") in messages(refused)
    assert not campaign.reviews.filter(state=ReviewState.PROPOSED).exists()
    other_cell = {**both, "cell_id": tree.c2.pk}
    assert api(cast.secretary).post(path, other_cell).status_code == 404  # C2 is outside the secretary's view
    assert api(cast.leader).post(path, both).status_code == 403  # sees C1, does not propose
    assert api(cast.member).post(path, both).status_code == 404
    assert api(cast.outsider).post(path, both).status_code == 404
    without_date = {**both, "proposed_on": None}
    assert api(cast.secretary).post(path, without_date).json()["errors"][0]["field"] == "proposed_on"
    for row in both["proposals"]:
        row["grade"] = Grade.GOOD
    r = api(cast.secretary).post(path, both)
    assert r.status_code == 200, r.content
    assert {(x["state"], x["proposed_grade"]) for x in r.json()} == {(ReviewState.PROPOSED, Grade.GOOD)}


def test_proposals_from_the_cells_review_meeting_name_their_vote(api, tree, cast, people, campaign):
    day = timezone.localdate()
    m = meetings.create_meeting(tree.c1, cast.secretary, kind=MeetingKind.REGULAR, starts_at=at(day, 8), place="P")
    meetings.open_meeting(m, cast.secretary)
    for key in ("an", "binh"):
        meetings.check_in(inv(m, people[key]), cast.secretary, at=m.starts_at)

    def vote(rule, yes=2):
        v = meetings.create_vote(m, cast.secretary, question="Đề xuất xếp loại", method=VoteMethod.COUNT, rule=rule)
        meetings.open_vote(v, cast.secretary)
        return meetings.close_vote(v, cast.secretary, counts={"yes": yes, "no": 2 - yes, "abstain": 0})

    wrong, failed = vote(VoteRule.MAJORITY_OF_PRESENT), vote(VoteRule.MAJORITY_OF_MEMBERS, 1)
    right = vote(VoteRule.MAJORITY_OF_MEMBERS)
    path = f"/reviews/campaigns/{campaign.pk}/proposals"

    def body(v, cell=tree.c1):
        rows = [{"review_id": rid(campaign, people, k), "grade": Grade.GOOD, "vote_id": v.pk} for k in ("an", "binh")]
        return {"cell_id": cell.pk, "meeting_id": m.pk, "proposals": rows}

    for v in (wrong, failed):
        assert api(cast.secretary).post(path, body(v)).status_code == 422
    assert api(cast.office).post(path, body(right, tree.c2)).json()["errors"][0]["field"] == "meeting_id"
    assert not campaign.reviews.filter(state=ReviewState.PROPOSED).exists()
    r = api(cast.secretary).post(path, body(right))
    assert r.status_code == 200, r.content
    assert {x["state"] for x in r.json()} == {ReviewState.PROPOSED}
    assert campaign.reviews.get(member=people["an"]).meeting_id == m.pk


def test_office_decides_then_only_corrects(api, tree, cast, people, campaign):
    for cell, keys in ((tree.c1, ("an", "binh")), (tree.c2, ("duc",))):
        rows = [services.Proposal(rid(campaign, people, k), Grade.GOOD) for k in keys]
        services.propose(campaign, cell, rows, dt.date(2026, 12, 1), cast.office)
    path = f"/reviews/campaigns/{campaign.pk}/decisions"
    decision = {"organisation_id": tree.a_base.pk, "document_number": "31-QĐ/ĐU", "document_date": "2026-12-03"}
    assert api(cast.secretary).post(path, decision).status_code == 404  # A1 outside the secretary's view
    assert api(cast.leader).post(path, decision).status_code == 403
    assert api(cast.outsider).post(path, decision).status_code == 404
    bad = api(cast.office).post(path, {**decision, "document_date": "2026-11-01"})  # before the opening
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "document_date"
    assert not Decision.objects.exists()
    changes = {str(rid(campaign, people, "duc")): Grade.COMPLETED}
    r = api(cast.office).post(path, {**decision, "changes": changes})
    assert r.status_code == 201, r.content
    assert (r.json()["reviews"], r.json()["corrects_id"]) == (3, None)
    assert campaign.reviews.get(member=people["duc"]).grade == Grade.COMPLETED
    again = api(cast.office).post(path, {**decision, "document_number": "32-QĐ/ĐU"})
    assert again.status_code == 422 and Decision.objects.count() == 1  # locked

    an = rid(campaign, people, "an")
    fix = {"grade": Grade.COMPLETED, "document_number": "40-QĐ/ĐU", "document_date": "2026-12-04", "reason": "Sai"}
    assert api(cast.secretary).post(f"/reviews/{an}/correction", fix).status_code == 403  # sees, may not
    assert api(cast.outsider).post(f"/reviews/{an}/correction", fix).status_code == 404
    same = api(cast.office).post(f"/reviews/{an}/correction", {**fix, "grade": Grade.GOOD})
    assert same.status_code == 422 and same.json()["errors"][0]["field"] == "grade"
    assert Decision.objects.count() == 1
    r = api(cast.office).post(f"/reviews/{an}/correction", fix)
    assert r.status_code == 201, r.content
    first = Decision.objects.get(document_number="31-QĐ/ĐU")
    assert (r.json()["corrects_id"], r.json()["reason"], r.json()["reviews"]) == (first.pk, "Sai", 1)
    assert campaign.reviews.get(pk=an).grade == Grade.COMPLETED
