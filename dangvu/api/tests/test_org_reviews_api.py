"""Reviews of party organisations in the API (issue 11 item 4, Mẫu 01): the list, one review with its
decisions and the distribution of the organisations' grades, scoped to the caller's subtree; the
organisation's own assessment, the decision of the committee directly above and the correcting decision —
each allowed and denied (outside the caller's view 404, seen but not theirs 403, without a role 403) and
each refusal a 422 with nothing written."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dangvu.api.tests.test_reviews_api import put
from dangvu.reviews import services
from dangvu.reviews.models import Grade, OrgDecision, ReviewState
from dangvu.reviews.tests.conftest import OPENED, TIMETABLE

pytestmark = pytest.mark.django_db
ASSESSMENT = {
    "scores": {"leadership": "38", "building": "28", "inspection": "13", "unity": "12"},
    "tasks": [{"title": "Lãnh đạo hoàn thành kế hoạch năm", "on_time": True}],
    "shortcomings_remedied": True,
    "submit": True,
}


@pytest.fixture
def campaign(tree, cast, people):
    return services.open_campaign(tree.a, 2026, OPENED, TIMETABLE, cast.office)


def today() -> str:
    return timezone.localdate().isoformat()


def test_lists_and_reads_the_reviews_of_the_callers_subtree(api, tree, cast, campaign, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        office = api(cast.office).get("/reviews/organisations", campaign_id=campaign.pk)
    assert office.status_code == 200
    assert [r["organisation"]["code"] for r in office.json()["items"]] == ["A1", "A1-C1", "A1-C2", "A2"]
    row = office.json()["items"][1]
    assert (row["year"], row["period"], row["state"], row["grade"]) == (2026, "year", ReviewState.DRAFT, "")
    secretary = api(cast.secretary).get("/reviews/organisations").json()["items"]
    assert [r["organisation"]["code"] for r in secretary] == ["A1-C1"]
    assert api(cast.outsider).get("/reviews/organisations").json()["items"] == []
    assert api(cast.member).get("/reviews/organisations").status_code == 403
    assert api(cast.nobody).get("/reviews/organisations").status_code == 403
    c2 = campaign.org_reviews.get(organisation=tree.c2)
    assert api(cast.secretary).get(f"/reviews/organisations/{c2.pk}").status_code == 404
    assert api(cast.outsider).get(f"/reviews/organisations/{c2.pk}").status_code == 404
    detail = api(cast.office).get(f"/reviews/organisations/{c2.pk}")
    assert detail.status_code == 200
    assert (detail.json()["organisation"]["id"], detail.json()["decisions"]) == (tree.c2.pk, [])
    only = api(cast.office).get("/reviews/organisations", organisation_id=tree.c2.pk).json()["items"]
    assert [r["id"] for r in only] == [c2.pk]


def test_assess_decide_and_correct(client, api, tree, cast, campaign):
    c1 = campaign.org_reviews.get(organisation=tree.c1)
    path = f"/reviews/organisations/{c1.pk}"
    bad = put(client, cast.secretary, f"{path}/assessment", {**ASSESSMENT, "scores": {"leadership": "41"}})
    assert bad.status_code == 422 and "score_leadership" in [e["field"] for e in bad.json()["errors"]]
    c1.refresh_from_db()
    assert (c1.state, c1.points) == (ReviewState.DRAFT, None)
    assert put(client, cast.leader, f"{path}/assessment", ASSESSMENT).status_code == 403  # sees, does not assess
    assert put(client, cast.outsider, f"{path}/assessment", ASSESSMENT).status_code == 404
    assert put(client, cast.member, f"{path}/assessment", ASSESSMENT).status_code == 404
    r = put(client, cast.secretary, f"{path}/assessment", ASSESSMENT)
    assert r.status_code == 200, r.content
    assert (r.json()["state"], r.json()["points"], r.json()["self_grade"]) == (ReviewState.SUBMITTED, 91, Grade.GOOD)
    assert r.json()["reasons"]  # 91 points, no task exceeded: not excellent, and why
    decision = {"grade": Grade.GOOD, "document_number": "50-QĐ/ĐU", "document_date": today()}
    assert api(cast.secretary).post(f"{path}/decision", decision).status_code == 403  # a cell does not grade itself
    assert api(cast.outsider).post(f"{path}/decision", decision).status_code == 404
    better = api(cast.office).post(f"{path}/decision", {**decision, "grade": Grade.EXCELLENT})
    assert better.status_code == 422 and better.json()["errors"][0]["field"] == "grade"
    assert not OrgDecision.objects.exists()
    first = api(cast.office).post(f"{path}/decision", decision)
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["org_review_id"], body["organisation"]["id"], body["grade"], body["corrects_id"]) == (
        c1.pk,
        tree.a_base.pk,
        Grade.GOOD,
        None,
    )
    again = api(cast.office).post(f"{path}/decision", decision)
    assert again.status_code == 422  # decided: locked
    correction = {**decision, "grade": Grade.COMPLETED, "document_number": "51-QĐ/ĐU", "reason": "Chậm tiến độ"}
    assert api(cast.secretary).post(f"{path}/correction", correction).status_code == 403
    no_reason = api(cast.office).post(f"{path}/correction", {**correction, "reason": ""})
    assert no_reason.status_code == 422 and OrgDecision.objects.count() == 1
    second = api(cast.office).post(f"{path}/correction", correction)
    assert second.status_code == 201, second.content
    assert (second.json()["corrects_id"], second.json()["reason"]) == (body["id"], "Chậm tiến độ")
    detail = api(cast.secretary).get(path).json()
    assert (detail["grade"], detail["document_number"]) == (Grade.COMPLETED, "51-QĐ/ĐU")
    assert [d["document_number"] for d in detail["decisions"]] == ["50-QĐ/ĐU", "51-QĐ/ĐU"]
    stats = api(cast.office).get("/reviews/organisations/statistics", organisation_id=tree.a_base.pk, year=2026)
    assert stats.status_code == 200
    combined = stats.json()["combined"]
    assert {g["grade"]: g["organisations"] for g in combined["grades"]}[Grade.COMPLETED] == 1
    assert (combined["decided"], combined["pending"], combined["total"]) == (1, 1, 2)
    query = {"organisation_id": tree.a_base.pk, "year": 2026}
    assert api(cast.outsider).get("/reviews/organisations/statistics", **query).status_code == 404
    assert api(cast.member).get("/reviews/organisations/statistics", **query).status_code == 403
