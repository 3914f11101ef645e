"""The yearly review API (issue 11 item 8): a member reads and fills only their own review; staff read the
reviews and the grade distribution of their subtree; outside scope a 404, without a role a 403."""

from __future__ import annotations

import pytest

from dangvu.api.tests.conftest import PREFIX
from dangvu.reviews import services
from dangvu.reviews.models import Grade, ReviewState
from dangvu.reviews.tests.conftest import OPENED, TIMETABLE

pytestmark = pytest.mark.django_db

FILLED = {
    "form": "2B",
    "scores": {"general": "28", "tasks": "62"},
    "evidence": {"tasks": "Báo cáo"},
    "tasks": [{"title": "Soạn báo cáo", "on_time": True, "exceeded": True}],
    "shortcomings": "Chậm",
    "remedy": "Sửa",
}


@pytest.fixture
def campaign(tree, cast):
    return services.open_campaign(tree.a, 2026, OPENED, TIMETABLE, cast.office)


def put(client, user, path: str, data: dict):
    from dangvu.accounts.models import ApiToken

    _token, key = ApiToken.issue(user)
    return client.put(PREFIX + path, data, content_type="application/json", headers={"Authorization": f"Bearer {key}"})


def test_member_fills_their_own_review_only(client, api, cast, people, campaign):
    mine = campaign.reviews.get(member=people["an"])
    other = campaign.reviews.get(member=people["binh"])
    r = put(client, cast.member, f"/reviews/{mine.pk}/self-assessment", {**FILLED, "submit": True})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["points"], body["self_grade"], body["state"]) == (90, Grade.EXCELLENT, ReviewState.SUBMITTED)
    locked = put(client, cast.member, f"/reviews/{mine.pk}/self-assessment", FILLED)
    assert locked.status_code == 422
    for user in (cast.member, cast.secretary, cast.office):
        assert put(client, user, f"/reviews/{other.pk}/self-assessment", FILLED).status_code == 404
    bad = put(client, cast.member, f"/reviews/{other.pk}/self-assessment", {**FILLED, "scores": {"general": "99"}})
    assert bad.status_code == 404
    listed = api(cast.member).get("/reviews").json()
    assert [row["member"]["id"] for row in listed["items"]] == [people["an"].pk]
    assert api(cast.member).get(f"/reviews/{other.pk}").status_code == 404


def test_refusal_names_the_field_and_writes_nothing(client, cast, people, campaign):
    mine = campaign.reviews.get(member=people["an"])
    r = put(client, cast.member, f"/reviews/{mine.pk}/self-assessment", {**FILLED, "scores": {"general": "31"}})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["score_general"]
    mine.refresh_from_db()
    assert mine.points is None


def test_secretary_reads_the_cells_reviews_outsider_nothing(api, cast, people, campaign):
    rows = api(cast.secretary).get("/reviews", campaign_id=campaign.pk).json()["items"]
    assert {r["member"]["full_name"] for r in rows} == {"Nguyễn Văn An", "Trần Thị Bình"}
    duc = campaign.reviews.get(member=people["duc"])
    assert api(cast.secretary).get(f"/reviews/{duc.pk}").status_code == 404
    assert api(cast.outsider).get("/reviews").json()["count"] == 0
    assert api(cast.nobody).get("/reviews").status_code == 403
    assert api(cast.nobody).get("/reviews/campaigns").status_code == 403
    assert [c["id"] for c in api(cast.secretary).get("/reviews/campaigns").json()["items"]] == [campaign.pk]


def test_distribution_in_scope_only(api, tree, cast, campaign):
    r = api(cast.office).get("/reviews/statistics", organisation_id=tree.a.pk, year=2026)
    assert r.status_code == 200
    body = r.json()
    assert (body["combined"]["pending"], body["combined"]["decided"], len(body["parts"])) == (3, 0, 1)
    assert api(cast.outsider).get("/reviews/statistics", organisation_id=tree.a.pk, year=2026).status_code == 404
    assert api(cast.member).get("/reviews/statistics", organisation_id=tree.c1.pk, year=2026).status_code == 403
