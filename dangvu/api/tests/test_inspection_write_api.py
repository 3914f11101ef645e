"""Inspection and supervision API, writing: programmes, activities with subjects and team, the conclusion,
remediation items and their closure — allowed and denied per role, refusals as 422 writing nothing, items
outside the scope as 404, and the audit."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.inspection.models import Activity, Programme, Remediation, Subject

pytestmark = pytest.mark.django_db
MANAGERS = {"inspector", "admin"}


def programme_body(tree, year=2024) -> dict:
    return {
        "organisation_id": tree.a.pk,
        "organ": "inspection",
        "year": year,
        "title": f"Chương trình kiểm tra, giám sát năm {year}",
        "approved_on": f"{year}-01-10",
    }


def activity_body(tree, people, programme_id=None, **kw) -> dict:
    return {
        "organisation_id": tree.a.pk,
        "organ": "inspection",
        "kind": "inspection",
        "mode": "regular" if programme_id else "signs",
        "programme_id": programme_id,
        "title": "Kiểm tra việc chấp hành Điều lệ Đảng",
        "decision_number": "20-QĐ/UBKT",
        "decided_on": "2024-02-20",
        "start": "2024-03-01",
        "end": "2024-03-20",
        "team": "Trưởng đoàn: Nguyễn Văn Kiểm",
        "organisation_ids": [tree.a_base.pk],
        "member_ids": [people["duc"].pk],
        **kw,
    }


def test_writes_allowed_and_denied_per_role(api, tree, people, cast):
    for name, user in cast.all().items():
        response = api(user).post("/inspection/programmes", programme_body(tree, 2000 + len(name)))
        if name in MANAGERS:
            assert response.status_code == 201, (name, response.content)
        elif name == "outsider":  # B's office: no inspection.manage anywhere
            assert response.status_code == 403, name
        else:
            assert response.status_code == 403, name
    assert Programme.objects.count() == 2
    assert api().post("/inspection/programmes", programme_body(tree)).status_code == 401
    b_inspector = testing.user("inspector_b", Role.INSPECTION, tree.b)
    assert api(b_inspector).post("/inspection/programmes", programme_body(tree)).status_code == 404
    assert Programme.objects.count() == 2


def test_programme_activity_conclusion_remediation_closure(api, tree, people, cast):
    client = api(cast.inspector)
    programme = client.post("/inspection/programmes", programme_body(tree))
    assert programme.status_code == 201 and programme.json()["organisation"]["code"] == "A"
    again = client.post("/inspection/programmes", programme_body(tree))
    assert again.status_code == 422 and Programme.objects.count() == 1
    assert [p["year"] for p in client.get("/inspection/programmes").json()["items"]] == [2024]

    wrong = client.post("/inspection/activities", activity_body(tree, people, kind="supervision", mode="signs"))
    assert wrong.status_code == 422 and not Activity.objects.exists()
    created = client.post("/inspection/activities", activity_body(tree, people, programme.json()["id"]))
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["decision_number"], body["programme_id"]) == ("20-QĐ/UBKT", programme.json()["id"])
    assert {(s["organisation"]["code"], s["member_name"]) for s in body["subjects"]} == {
        ("A1", None),
        ("A1-C2", "Lê Minh Đức"),
    }
    activity_id = body["id"]

    team = client.patch(f"/inspection/activities/{activity_id}", {"team": "Tổ trưởng: Lê Văn Tổ"})
    assert team.status_code == 200 and team.json()["team"] == "Tổ trưởng: Lê Văn Tổ"
    added = client.post(f"/inspection/activities/{activity_id}/subjects", {"organisation_ids": [tree.a_cell_base.pk]})
    assert added.status_code == 201 and len(added.json()["subjects"]) == 3
    twice = client.post(f"/inspection/activities/{activity_id}/subjects", {"organisation_ids": [tree.a_cell_base.pk]})
    assert twice.status_code == 422 and Subject.objects.count() == 3
    outside = client.post(f"/inspection/activities/{activity_id}/subjects", {"organisation_ids": [tree.b_base.pk]})
    assert outside.status_code == 404 and Subject.objects.count() == 3

    early = client.post(
        f"/inspection/activities/{activity_id}/conclusion", {"concluded_on": "2024-03-05", "conclusion": "Tốt."}
    )
    assert early.status_code == 422 and Activity.objects.get().concluded_on is None
    concluded = client.post(
        f"/inspection/activities/{activity_id}/conclusion",
        {"concluded_on": "2024-03-25", "conclusion": "Chấp hành tốt.", "conclusion_number": "30-KL/UBKT"},
    )
    assert concluded.status_code == 200 and concluded.json()["concluded_on"] == "2024-03-25"
    assert client.patch(f"/inspection/activities/{activity_id}", {"team": "X"}).status_code == 422

    item = client.post(
        f"/inspection/activities/{activity_id}/remediations",
        {"description": "Bổ sung sổ ghi biên bản", "owner": "Chi ủy A1-C2", "deadline": "2024-06-30"},
    )
    assert item.status_code == 201 and item.json()["closed_on"] is None
    item_id = item.json()["id"]
    no_evidence = client.post(
        f"/inspection/remediations/{item_id}/closure", {"closed_on": "2024-06-20", "evidence": " "}
    )
    assert no_evidence.status_code == 422 and Remediation.objects.get().closed_on is None
    closed = client.post(
        f"/inspection/remediations/{item_id}/closure", {"closed_on": "2024-06-20", "evidence": "Biên bản kiểm tra lại"}
    )
    assert closed.status_code == 200 and closed.json()["evidence"] == "Biên bản kiểm tra lại"
    assert Remediation.objects.get().history.first().history_user == cast.inspector
    again = client.post(f"/inspection/remediations/{item_id}/closure", {"closed_on": "2024-06-21", "evidence": "X"})
    assert again.status_code == 422 and Remediation.objects.get().evidence == "Biên bản kiểm tra lại"

    # Others: the leader sees but may not write; B's inspector does not see it.
    leader = api(cast.leader)
    assert leader.get(f"/inspection/activities/{activity_id}").status_code == 200
    assert leader.patch(f"/inspection/activities/{activity_id}", {"team": "Y"}).status_code == 403
    b_inspector = api(testing.user("inspector_b", Role.INSPECTION, tree.b))
    assert b_inspector.patch(f"/inspection/activities/{activity_id}", {"team": "Y"}).status_code == 404
    assert (
        b_inspector.post(
            f"/inspection/remediations/{item_id}/closure", {"closed_on": "2024-06-20", "evidence": "Y"}
        ).status_code
        == 404
    )
    assert Activity.objects.get().team == "Tổ trưởng: Lê Văn Tổ"


def test_a_programme_of_another_scope_is_404(api, tree, people, cast):
    b_inspector = testing.user("inspector_b", Role.INSPECTION, tree.b)
    programme = api(b_inspector).post("/inspection/programmes", {**programme_body(tree), "organisation_id": tree.b.pk})
    assert programme.status_code == 201
    response = api(cast.inspector).post("/inspection/activities", activity_body(tree, people, programme.json()["id"]))
    assert response.status_code == 404 and not Activity.objects.exists()
    # A member outside the inspector's scope is a 404 too.
    response = api(cast.inspector).post(
        "/inspection/activities", activity_body(tree, people, member_ids=[people["em"].pk])
    )
    assert response.status_code == 404 and not Activity.objects.exists()


def test_dates_of_the_period(api, tree, people, cast):
    response = api(cast.inspector).post(
        "/inspection/activities", activity_body(tree, people, start="2024-03-01", end="2024-02-01")
    )
    assert response.status_code == 422 and not Activity.objects.exists()
    response = api(cast.inspector).post("/inspection/activities", activity_body(tree, people, decided_on="2024-03-02"))
    assert response.status_code == 422 and "decided_on" in str(response.json())
    ok = api(cast.inspector).post("/inspection/activities", activity_body(tree, people))
    assert ok.status_code == 201 and Activity.objects.get().start == dt.date(2024, 3, 1)
