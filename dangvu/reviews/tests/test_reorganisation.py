"""Reviews after a reorganisation (issue 11): a cell moved to another committee, or merged into a cell of
another committee, after the campaign opened takes its reviews — of members and of the cell itself — into
the scope of the organisation now in charge, as it takes its members: the new secretary and office see and
act on them on the pages and the API, the old committee's office no longer does. The statistics with
lineage still place the reviews in the tree of the opening day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dangvu import testing
from dangvu.accounts.models import ApiToken, Role
from dangvu.api.tests.conftest import PREFIX
from dangvu.orgs import services as org_services
from dangvu.reviews import paths, services, stats
from dangvu.reviews.models import Grade, OrgReview, Review, ReviewState
from dangvu.reviews.tests.conftest import OPENED

pytestmark = pytest.mark.django_db
DAY = OPENED + dt.timedelta(days=5)
DOC = org_services.Document(number="9-QĐ/TU", date=DAY, issuer="Ban Thường vụ")
MET = "02/12/2026"


def call(client, user, method: str, path: str, data: dict | None = None):
    _token, key = ApiToken.issue(user)
    headers = {"Authorization": f"Bearer {key}"}
    if method == "get":
        return client.get(PREFIX + path, headers=headers)
    return client.post(PREFIX + path, data or {}, content_type="application/json", headers=headers)


def submitted(campaign, member, actor) -> Review:
    review = campaign.reviews.get(member=member)
    data = services.SelfAssessment(
        "2B", {"general": "29", "tasks": "60"}, tasks=[{"title": "Việc", "on_time": True, "exceeded": False}]
    )
    services.save_self_assessment(review, data, actor, submit=True)
    return review


def shape(result: stats.Distribution) -> list[tuple]:
    return [(p.organisation.pk, dict(p.grades), p.pending, dict(p.excluded), p.not_reviewed) for p in result.parts]


def sees(client, user, review: Review, campaign) -> dict[str, int]:
    client.force_login(user)
    org_review = OrgReview.objects.get(campaign=campaign, organisation=review.organisation)
    return {
        "page": client.get(reverse("reviews:review", args=[review.pk])).status_code,
        "org_page": client.get(reverse("reviews:org", args=[org_review.pk])).status_code,
        "campaign": client.get(reverse("reviews:campaign", args=[campaign.pk])).status_code,
        "api": call(client, user, "get", f"/reviews/{review.pk}").status_code,
        "api_org": call(client, user, "get", f"/reviews/organisations/{org_review.pk}").status_code,
    }


ALLOWED = {"page": 200, "org_page": 200, "campaign": 200, "api": 200, "api_org": 200}


def test_a_cell_moved_to_another_committee_takes_its_reviews_along(client, tree, cast, people, campaign):
    before = {o: shape(stats.distribution(o, 2026)) for o in (tree.a, tree.b)}
    review = submitted(campaign, people["duc"], cast.office)
    secretary = testing.user("c2.secretary", Role.CELL_SECRETARY, tree.c2)
    assert sees(client, cast.office, review, campaign) == ALLOWED
    assert sees(client, cast.outsider, review, campaign)["page"] == 404

    org_services.move(tree.c2, tree.b_base, DAY, DOC, None)
    assert paths.drift() == []
    review.refresh_from_db()
    assert review.organisation_id == tree.c2.pk  # still the cell of the opening: the one that proposes
    # Committee B's office now sees the review, the cell's own review and the campaign; A's office does not.
    assert sees(client, cast.outsider, review, campaign) == ALLOWED
    assert sees(client, cast.office, review, campaign) == {
        **ALLOWED,
        "page": 404,
        "org_page": 404,
        "api": 404,
        "api_org": 404,
    }
    client.force_login(cast.office)
    page = client.get(reverse("reviews:campaign", args=[campaign.pk]))
    assert {c.organisation.code for g in page.context["groups"] for c in g.cells} == {"A1-C1"}
    listed = call(client, cast.office, "get", f"/reviews?campaign_id={campaign.pk}").json()["items"]
    assert {r["member"]["full_name"] for r in listed} == {"Nguyễn Văn An", "Trần Thị Bình"}
    assert campaign.pk in {c["id"] for c in call(client, cast.outsider, "get", "/reviews/campaigns").json()["items"]}
    client.force_login(cast.outsider)
    page = client.get(reverse("reviews:campaign", args=[campaign.pk]))
    rows = {g.organisation.code: g for g in page.context["groups"]}
    assert set(rows) == {"B1"} and rows["B1"].may_decide
    assert [r.member_id for r in page.context["reviews"]] == [people["duc"].pk]

    # The moved cell's secretary proposes on the page; the old committee's office may not decide it any more.
    assert sees(client, secretary, review, campaign)["campaign"] == 200
    client.force_login(secretary)
    proposal = {"grade": Grade.GOOD, "proposed_on": MET}
    assert client.post(reverse("reviews:review", args=[review.pk]), proposal).status_code == 302
    review.refresh_from_db()
    assert review.state == ReviewState.PROPOSED
    decision = {"organisation_id": tree.a_base.pk, "document_number": "5-QĐ/ĐU", "document_date": "2026-12-03"}
    path = f"/reviews/campaigns/{campaign.pk}/decisions"
    assert call(client, cast.office, "post", path, decision).status_code == 422  # A1's cells have not proposed
    assert call(client, cast.office, "post", path, {**decision, "organisation_id": tree.b_base.pk}).status_code == 404
    review.refresh_from_db()
    assert review.state == ReviewState.PROPOSED
    # B1, the grassroots committee now above the cell, decides through the API.
    r = call(client, cast.outsider, "post", path, {**decision, "organisation_id": tree.b_base.pk})
    assert r.status_code == 201, r.content
    review.refresh_from_db()
    assert (review.state, review.grade, review.decision.organisation_id) == (
        ReviewState.DECIDED,
        Grade.GOOD,
        tree.b_base.pk,
    )
    correction = {"grade": Grade.COMPLETED, "document_number": "6", "document_date": "2026-12-04", "reason": "Sai"}
    assert call(client, cast.office, "post", f"/reviews/{review.pk}/correction", correction).status_code == 404

    # The statistics keep the tree of the opening day: the review still counts under A, not under B.
    after = {o: shape(stats.distribution(o, 2026)) for o in (tree.a, tree.b)}
    assert after[tree.b] == before[tree.b]
    assert stats.distribution(tree.a, 2026).combined.decided == 1
    assert stats.distribution(tree.c2, 2026).combined.grades == {Grade.GOOD: 1}


def test_a_cell_merged_into_a_cell_of_another_committee(client, tree, cast, people, campaign):
    review = submitted(campaign, people["duc"], cast.office)
    org_review = OrgReview.objects.get(campaign=campaign, organisation=tree.c2)
    before = shape(stats.distribution(tree.a, 2026))
    secretary = testing.user("c3.secretary", Role.CELL_SECRETARY, tree.c3)
    assert sees(client, secretary, review, campaign)["page"] == 404

    org_services.merge([tree.c2], DAY, DOC, None, into=tree.c3)
    assert paths.drift() == []
    # The successor's secretary and committee B's office see the reviews of the merged cell; A's office not.
    assert sees(client, secretary, review, campaign) == ALLOWED
    assert sees(client, cast.outsider, review, campaign) == ALLOWED
    assert sees(client, cast.office, review, campaign)["page"] == 404
    assert call(client, cast.office, "get", f"/reviews/{review.pk}").status_code == 404
    # The successor's secretary proposes through the API for the merged cell; the old cell's staff cannot.
    proposals = {
        "cell_id": tree.c2.pk,
        "proposed_on": "2026-12-02",
        "proposals": [{"review_id": review.pk, "grade": "good"}],
    }
    path = f"/reviews/campaigns/{campaign.pk}/proposals"
    assert call(client, cast.secretary, "post", path, proposals).status_code == 404
    r = call(client, secretary, "post", path, proposals)
    assert r.status_code == 200, r.content
    review.refresh_from_db()
    assert review.state == ReviewState.PROPOSED
    # The merged cell's own review (Mẫu 01): the successor's secretary fills it in, A's office cannot reach it.
    client.force_login(cast.office)
    assert client.get(reverse("reviews:org", args=[org_review.pk])).status_code == 404
    # Lineage: the distribution of the successor counts the merged cell as its predecessor, per part and
    # combined, and committee A's figures of the opening day do not change.
    assert shape(stats.distribution(tree.a, 2026)) == before
    lineage = {p.organisation.pk: p for p in stats.distribution(tree.c3, 2026).parts}
    assert set(lineage) == {tree.c3.pk, tree.c2.pk}
    assert lineage[tree.c2.pk].pending == 1 and lineage[tree.c3.pk].pending == 0


def test_resync_all_repairs_reviews_written_before(tree, cast, people, campaign):
    Review.objects.filter(member=people["duc"]).update(org_path=tree.c1.path)
    OrgReview.objects.filter(organisation=tree.c2).update(org_path="X")
    assert len(paths.drift()) == 2
    assert paths.resync_all() == 2
    assert paths.drift() == []
