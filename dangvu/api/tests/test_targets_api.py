"""The resolution targets API (issue 13 item 10): resolutions with their targets, a target's results per year,
over the term to date and projected to the end of the term (hand-computed, as dangvu/targets/tests/
test_projection.py), the indicator registry, the records behind a figure a page at a time, and the office's
writes through the services (idempotent); every endpoint scoped like the pages, allowed and denied."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dangvu import testing
from dangvu.accounts.models import ApiToken
from dangvu.api import idempotency
from dangvu.api.routers import targets as router
from dangvu.api.tests.conftest import PREFIX
from dangvu.docregister import services as register
from dangvu.docregister.tests.conftest import entry, terms  # noqa: F401  (fixture)
from dangvu.targets.models import ManualValue, Target

pytestmark = pytest.mark.django_db

# Term 2020-2025: 01/10/2020 – 30/09/2025 = 1826 days. To 30/09/2022: 730 days.
MID = dt.date(2022, 9, 30)
COUNT = {
    "text": "Trong nhiệm kỳ, kết nạp 6 đảng viên mới.",
    "kind": "count",
    "threshold": 6,
    "period": "term",
    "subject": "members",
    "source": "indicator",
    "indicator": "admission.admissions",
}
MANUAL = {
    "text": "Hằng năm, 95% đảng viên học tập nghị quyết.",
    "kind": "floor",
    "threshold": "95",
    "period": "year",
    "subject": "members",
    "source": "manual",
}


@pytest.fixture
def resolution(tree, cast, terms, monkeypatch):  # noqa: F811
    # Admissions in A: 01/03/2021, 01/06/2021, 01/03/2022 (3 by MID), and 01/03/2023 (after MID).
    for day in (dt.date(2021, 3, 1), dt.date(2021, 6, 1), dt.date(2022, 3, 1), dt.date(2023, 3, 1)):
        testing.member(tree.c1, admitted=day, official=False)
    monkeypatch.setattr(router, "today", lambda: MID)
    return register.register(entry(tree.a, date=dt.date(2020, 10, 20), title="Nghị quyết Đại hội"), cast.office)


def test_add_a_target_and_read_its_results_verdicts_and_projection(api, cast, tree, resolution):
    created = api(cast.office).post(f"/targets/resolutions/{resolution.pk}/targets", COUNT)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["position"], body["threshold"], body["scope"]["code"]) == (1, 6.0, "A")
    target = Target.objects.get()
    assert target.recorded_by == cast.office and target.history.count() == 1  # through the service, audited

    got = api(cast.leader).get(f"/targets/{target.pk}").json()
    assert got["unit"] == "count"
    assert [(y["label"], y["value"], y["verdict"]) for y in got["years"]] == [
        ("2020", 0, ""),
        ("2021", 2, ""),
        ("2022", 1, ""),
    ]
    to_date = got["to_date"]
    assert (to_date["label"], to_date["end"], to_date["value"]) == ("2020-2025", "2022-09-30", 3)
    assert (to_date["percent"], to_date["verdict"], to_date["verdict_label"]) == (50.0, "not_met", "Chưa đạt")
    assert [(p["organisation"]["code"], p["numerator"]) for p in to_date["parts"]] == [("A", 3)]
    # 3 × 1826 / 730 = 7.504…; 7.504 / 6 = 125.1% ≥ 120%: exceeded at this pace.
    assert got["projection"] == {
        "elapsed_days": 730,
        "term_days": 1826,
        "value": 7.5,
        "percent": 125.1,
        "verdict": "exceeded",
        "verdict_label": "Vượt",
    }

    listed = api(cast.leader).get("/targets/resolutions").json()
    assert listed["count"] == 1
    assert listed["items"][0]["number"] == resolution.number and listed["items"][0]["term"] == "2020-2025"
    assert [t["text"] for t in listed["items"][0]["targets"]] == [COUNT["text"]]
    assert api(cast.leader).get(f"/targets/resolutions/{resolution.pk}").json()["targets"][0]["id"] == target.pk


def test_enter_results_by_hand(api, cast, resolution):
    target = api(cast.office).post(f"/targets/resolutions/{resolution.pk}/targets", MANUAL).json()
    url = f"/targets/{target['id']}/values"
    first = api(cast.office).post(url, {"year": 2021, "value": 96, "evidence": "Báo cáo tổng kết năm 2021"})
    assert first.status_code == 201, first.content
    assert (first.json()["year"], first.json()["value"]) == (2021, 96.0)
    api(cast.office).post(url, {"year": 2022, "value": "93", "evidence": "Báo cáo sơ kết 6 tháng 2022"})
    got = api(cast.leader).get(f"/targets/{target['id']}").json()
    # 96/95 = 101.1%: met and exceeded; 93/95 = 97.9%: nearly met (95% line), and projected unchanged.
    assert [(y["label"], y["value"], y["percent"], y["verdict"]) for y in got["years"]] == [
        ("2020", None, None, ""),
        ("2021", 96, 101.1, "met_and_exceeded"),
        ("2022", 93, 97.9, "nearly"),
    ]
    assert got["years"][1]["manual"]["evidence"] == "Báo cáo tổng kết năm 2021" and got["years"][1]["parts"] == []
    assert got["to_date"] is None and got["unit"] == ""
    assert (got["projection"]["value"], got["projection"]["verdict"]) == (93, "nearly")
    # Refused by the service's rules: a year outside the term, no evidence; nothing written, Vietnamese detail.
    refused = api(cast.office).post(url, {"year": 2019, "value": 90, "evidence": " "})
    assert refused.status_code == 422 and refused.json()["code"] == "refused"
    assert {e["field"] for e in refused.json()["errors"]} == {"year", "evidence"}
    assert refused.json()["detail"] == "Hãy nhập một năm trong nhiệm kỳ. Hãy nêu căn cứ của số liệu."
    assert ManualValue.objects.count() == 2
    # A computed target takes no value by hand.
    computed = api(cast.office).post(f"/targets/resolutions/{resolution.pk}/targets", COUNT).json()
    assert api(cast.office).post(f"/targets/{computed['id']}/values", {"value": 1, "evidence": "x"}).status_code == 422


def test_the_records_behind_a_figure_a_page_at_a_time(api, cast, tree, resolution):
    target = api(cast.office).post(f"/targets/resolutions/{resolution.pk}/targets", COUNT).json()
    url = f"/targets/{target['id']}/records/2020-2025"
    first = api(cast.leader).get(url, limit=2).json()
    assert (first["figure"], first["count"], first["start"], first["end"]) == (3, 3, "2020-10-01", "2022-09-30")
    rest = api(cast.leader).get(url, limit=2, offset=2).json()
    rows = first["items"] + rest["items"]
    assert len(first["items"]) == 2 and len(rest["items"]) == 1
    assert sorted(r["date"] for r in rows) == ["2021-03-01", "2021-06-01", "2022-03-01"]
    assert all(r["part"]["code"] == "A" and r["url"].startswith("/members/") for r in rows)
    year = api(cast.leader).get(f"/targets/{target['id']}/records/2021", which="records").json()
    assert year["count"] == year["figure"] == 2
    a = api(cast.leader).get(url, part=tree.a.pk).json()
    assert a["count"] == 3
    for bad in ({"part": tree.b.pk}, {"which": "base"}):  # no such part; a count has no denominator's records
        assert api(cast.leader).get(url, **bad).status_code == 404
    assert api(cast.leader).get(f"/targets/{target['id']}/records/2019").status_code == 404
    assert api(cast.leader).get(url, which="other").status_code == 422


def test_the_indicator_registry(api, cast, tree):
    listed = api(cast.leader).get("/targets/indicators").json()
    by_key = {i["key"]: i for i in listed}
    assert by_key["admission.admissions"]["unit"] == "count"
    assert by_key["inspection.coverage"]["unit"] == "percent"
    assert [i["key"] for i in listed] == sorted(by_key)
    assert api(cast.member).get("/targets/indicators").status_code == 403


def test_scope_allowed_and_denied(api, cast, tree, resolution):
    target = api(cast.office).post(f"/targets/resolutions/{resolution.pk}/targets", COUNT).json()
    reads = [
        f"/targets/resolutions/{resolution.pk}",
        f"/targets/{target['id']}",
        f"/targets/{target['id']}/records/2020-2025",
    ]
    for name in ("office", "leader", "inspector", "admin"):
        assert api(getattr(cast, name)).get("/targets/resolutions").json()["count"] == 1, name
        for path in reads:
            assert api(getattr(cast, name)).get(path).status_code == 200, (name, path)
    # Outside the resolution's subtree: an empty list, and the resolution and target are not found.
    for name in ("outsider", "secretary"):
        assert api(getattr(cast, name)).get("/targets/resolutions").json()["count"] == 0, name
    for name in ("outsider", "secretary", "member", "nobody"):
        for path in reads:
            response = api(getattr(cast, name)).get(path)
            assert response.status_code == 404 and response.json()["detail"] == "Không tìm thấy.", (name, path)
    for name in ("member", "nobody"):
        response = api(getattr(cast, name)).get("/targets/resolutions")
        assert response.status_code == 403 and response.json()["code"] == "forbidden", name
    assert api().get("/targets/resolutions").status_code == 401
    # Writing: the office of A only.
    add, value = f"/targets/resolutions/{resolution.pk}/targets", f"/targets/{target['id']}/values"
    for name in ("leader", "inspector", "member"):
        assert api(getattr(cast, name)).post(add, COUNT).status_code == 403, name
        assert api(getattr(cast, name)).post(value, {"value": 1, "evidence": "x"}).status_code == 403, name
    assert api(cast.outsider).post(add, COUNT).status_code == 404
    assert api(cast.outsider).post(value, {"value": 1, "evidence": "x"}).status_code == 404
    assert Target.objects.count() == 1
    # A target covering a part of the resolution's subtree.
    part = api(cast.office).post(add, {**COUNT, "scope_id": tree.a_base.pk})
    assert part.status_code == 201 and part.json()["scope"]["code"] == "A1" and part.json()["position"] == 2


def test_bounded_and_refused_inputs(api, cast, tree, resolution):
    add = f"/targets/resolutions/{resolution.pk}/targets"
    for threshold in (-1, "1e12", 1_000_000_000, "1.2345", "abc"):
        response = api(cast.office).post(add, {**COUNT, "threshold": threshold})
        assert response.status_code == 422 and response.json()["code"] == "invalid", threshold
        assert response.json()["errors"][0]["field"] == "threshold"
    refused = api(cast.office).post(add, {**COUNT, "threshold": None})
    assert refused.status_code == 422 and refused.json()["code"] == "refused"
    assert refused.json()["errors"] == [{"field": "threshold", "message": "Hãy nhập mức chỉ tiêu.", "code": "refused"}]
    assert api(cast.office).post(add, {**COUNT, "indicator": "no.such"}).json()["errors"][0]["field"] == "indicator"
    assert api(cast.office).post(add, {**COUNT, "scope_id": tree.b.pk}).status_code == 404  # not the caller's
    assert not Target.objects.exists()
    assert api(cast.office).post(add, {**COUNT, "threshold": "999999999.999"}).status_code == 422  # over the max
    assert api(cast.office).post(add, {**COUNT, "threshold": "999999999"}).status_code == 201


def test_creating_posts_are_idempotent(client, cast, resolution):
    key = ApiToken.issue(cast.office)[1]

    def post(path, data, idem):
        headers = {"Authorization": f"Bearer {key}", idempotency.HEADER: idem}
        return client.post(PREFIX + path, json.dumps(data), content_type="application/json", headers=headers)

    add = f"/targets/resolutions/{resolution.pk}/targets"
    first, again = post(add, MANUAL, "t-1"), post(add, MANUAL, "t-1")
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert first.content == again.content and Target.objects.count() == 1
    assert post(add, COUNT, "t-1").json()["code"] == "idempotency_key_reused"
    value = f"/targets/{first.json()['id']}/values"
    data = {"year": 2021, "value": 96, "evidence": "Báo cáo"}
    assert post(value, data, "v-1").status_code == post(value, data, "v-1").status_code == 201
    assert ManualValue.objects.count() == 1
