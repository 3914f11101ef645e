"""The discipline API: access per role (allowed and denied), opening and deciding a case, a rule's refusal
as a 422 with nothing written, the appeal and the statistics with lineage."""

from __future__ import annotations

import pytest

from dangvu.discipline.models import Case

pytestmark = pytest.mark.django_db

CASE = {
    "category": "party_duties",
    "facts": "Không sinh hoạt chi bộ ba tháng liền.",
    "violation_date": "2026-02-01",
    "proposed_form": "warning",
    "opened_on": "2026-06-01",
}


def test_open_decide_appeal(api, cast, tree, people):
    inspector = api(cast.inspector)
    for user in (cast.office, cast.leader, cast.secretary, cast.member):
        assert api(user).post("/discipline/cases", {**CASE, "member_id": people["binh"].pk}).status_code == 403
    assert inspector.post("/discipline/cases", {**CASE, "member_id": people["em"].pk}).status_code == 404
    response = inspector.post(
        "/discipline/cases", {**CASE, "member_id": people["binh"].pk, "violation_date": "2010-01-01"}
    )
    assert response.status_code == 422 and not Case.objects.exists()
    response = inspector.post("/discipline/cases", {**CASE, "member_id": people["binh"].pk})
    assert response.status_code == 201, response.json()
    case_id = response.json()["id"]
    decision = {
        "form": "warning",
        "decided_by_id": tree.c2.pk,
        "organ": "committee",
        "document_number": "4-QĐ/ĐU",
        "document_date": "2026-07-01",
        "effective_date": "2026-07-01",
    }
    response = inspector.post(f"/discipline/cases/{case_id}/decision", decision)
    assert response.status_code == 422 and Case.objects.get().state == "open"
    assert api(cast.leader).post(f"/discipline/cases/{case_id}/decision", decision).status_code == 403
    decision["decided_by_id"] = tree.a_base.pk
    response = inspector.post(f"/discipline/cases/{case_id}/decision", decision)
    assert response.status_code == 200 and response.json()["final_form"] == "warning"
    response = inspector.post(
        f"/discipline/cases/{case_id}/appeal", {"lodged_on": "2026-07-15", "lodged_with": "UBKT A"}
    )
    assert response.status_code == 200 and response.json()["appeal_due"]
    outcome = {
        "outcome": "changed",
        "decided_on": "2026-09-01",
        "document_number": "2-QĐ/UBKT",
        "new_form": "reprimand",
    }
    response = inspector.post(f"/discipline/cases/{case_id}/appeal-outcome", outcome)
    assert response.status_code == 200 and response.json()["final_form"] == "reprimand"


def test_reading_per_role(api, cast, tree, people):
    response = api(cast.inspector).post("/discipline/cases", {**CASE, "member_id": people["binh"].pk})
    case_id = response.json()["id"]
    for user in (cast.inspector, cast.leader, cast.admin):
        assert api(user).get(f"/discipline/cases/{case_id}").status_code == 200
        assert [c["id"] for c in api(user).get("/discipline/cases").json()["items"]] == [case_id]
    for user in (cast.office, cast.secretary, cast.member, cast.outsider):
        assert api(user).get(f"/discipline/cases/{case_id}").status_code == 404
    for user in (cast.office, cast.secretary, cast.member):
        assert api(user).get("/discipline/cases").status_code == 403


def test_statistics(api, cast, tree, people):
    inspector = api(cast.inspector)
    case_id = inspector.post("/discipline/cases", {**CASE, "member_id": people["binh"].pk}).json()["id"]
    inspector.post(
        f"/discipline/cases/{case_id}/decision",
        {
            "form": "warning",
            "decided_by_id": tree.c1.pk,
            "organ": "committee",
            "document_number": "1-QĐ/CB",
            "document_date": "2026-07-01",
            "effective_date": "2026-07-01",
        },
    )
    response = api(cast.office).get("/discipline/statistics", organisation_id=tree.a.pk, year=2026)
    assert response.status_code == 200
    body = response.json()
    assert body["combined"]["members"] == 1 == sum(p["members"] for p in body["parts"])
    assert {f["form"]: f["members"] for f in body["combined"]["forms"]}["warning"] == 1
    assert api(cast.outsider).get("/discipline/statistics", organisation_id=tree.a.pk, year=2026).status_code == 404
    assert api(cast.member).get("/discipline/statistics", organisation_id=tree.a.pk, year=2026).status_code == 403
    assert api(cast.office).get("/discipline/statistics", organisation_id=tree.a.pk).status_code == 422
