"""Inspection and supervision API (read only): lists, one activity, coverage; allowed and denied per role."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.inspection import services
from dangvu.inspection.tests.conftest import inspect

pytestmark = pytest.mark.django_db
SEE = {"admin", "office", "inspector", "leader"}


@pytest.fixture
def activity(tree, cast):
    activity = inspect(tree.a, [tree.a_base], dt.date(2024, 3, 1), cast.inspector, title="Kiểm tra dấu hiệu A1")
    services.add_remediation(
        activity,
        description="Khắc phục thu chi quỹ",
        owner="Đảng ủy A1",
        deadline=dt.date(2024, 6, 1),
        actor=cast.inspector,
    )
    return activity


def test_allowed_and_denied_per_role(api, cast, activity):
    for name, user in cast.all().items():
        client = api(user)
        listing = client.get("/inspection/activities")
        detail = client.get(f"/inspection/activities/{activity.pk}")
        if name in SEE:
            assert listing.status_code == 200, name
            assert [a["title"] for a in listing.json()["items"]] == ["Kiểm tra dấu hiệu A1"], name
            body = detail.json()
            assert detail.status_code == 200 and body["mode"] == "signs", name
            assert [s["organisation"]["code"] for s in body["subjects"]] == ["A1"]
            assert [(r["owner"], r["closed_on"]) for r in body["remediations"]] == [("Đảng ủy A1", None)]
        elif name == "outsider":  # office of B: the capability, not over A
            assert listing.status_code == 200 and listing.json()["items"] == []
            assert detail.status_code == 404
        else:
            assert (listing.status_code, detail.status_code) == (403, 403), name
    assert api().get("/inspection/activities").status_code == 401


def test_coverage(api, tree, cast, activity):
    body = api(cast.inspector).get("/inspection/coverage", organisation_id=tree.a.pk, year=2024).json()
    assert (body["combined"]["covered"], body["combined"]["grassroots"], body["combined"]["share"]) == (1, 2, 50.0)
    assert api(cast.inspector).get("/inspection/coverage", organisation_id=tree.b.pk, year=2024).status_code == 404
    assert api(cast.secretary).get("/inspection/coverage", organisation_id=tree.a.pk, year=2024).status_code == 403


def test_remediation_on_time(api, tree, cast, activity):
    item = activity.remediations.get()
    services.close_remediation(item, closed_on=dt.date(2024, 5, 20), evidence="Báo cáo", actor=cast.inspector)
    body = api(cast.leader).get("/inspection/remediation-on-time", organisation_id=tree.a.pk, year=2024).json()
    assert (body["combined"]["due"], body["combined"]["on_time"], body["combined"]["share"]) == (1, 1, 100.0)
    assert sum(p["due"] for p in body["parts"]) == 1
    assert (
        api(cast.inspector).get("/inspection/remediation-on-time", organisation_id=tree.b.pk, year=2024).status_code
        == 404
    )
    assert (
        api(cast.secretary).get("/inspection/remediation-on-time", organisation_id=tree.a.pk, year=2024).status_code
        == 403
    )
