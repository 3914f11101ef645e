"""Admission endpoints: GET/POST /candidates, GET /candidates/{id}, POST steps, annul, withdraw and
GET /orgs/{id}/admission-counts — allowed and denied for the cast, refusals as 422 writing nothing."""

import datetime as dt

import pytest

from dangvu import testing
from dangvu.admission import services
from dangvu.admission.models import Candidate, CandidateStep, Introducer, Outcome, Stage
from dangvu.members.models import Member, Status
from dangvu.orgs import services as org_services

pytestmark = pytest.mark.django_db

OPENED = dt.date(2023, 2, 1)


def fields(**overrides) -> dict:
    data = {
        "full_name": "Võ Thị Ứng Viên",
        "sex": "F",
        "birth_date": "1998-04-12",
    }
    data.update(overrides)
    if "citizen_id" not in overrides:
        data["citizen_id"] = testing.new_citizen_id(data["sex"], dt.date.fromisoformat(data["birth_date"]))
    return data


def open_file(cell, name: str = "Võ Thị Ứng Viên", **overrides) -> Candidate:
    data = fields(full_name=name, **overrides)
    data["birth_date"] = dt.date.fromisoformat(data["birth_date"])
    return services.create_candidate(data, cell, None, date=OPENED, document_number="01-DS/CB")


def advance(candidate: Candidate, people, until: str) -> Candidate:
    """Record every step up to and including `until` through the services (valid documents and votes)."""
    data = {
        Stage.COURSE: {"document_number": "125-GCN/TTCT"},
        Stage.APPLICATION: {},
        Stage.VERIFICATION: {"document_number": "17-BC/ĐU"},
        Stage.INTRODUCTION: {
            "introducers": [(people["an"], dt.date(2021, 1, 1)), (people["binh"], dt.date(2021, 1, 1))]
        },
        Stage.CELL_RESOLUTION: {"votes_for": 2, "votes_against": 0, "document_number": "5-NQ/CB"},
        Stage.COMMITTEE_RESOLUTION: {"votes_for": 7, "votes_against": 0, "votes_eligible": 7},
        Stage.DECISION: {"document_number": "301-QĐ/ĐU", "issuer": "Đảng ủy Sở Một"},
    }
    day = OPENED
    for stage in Stage.order()[1 : Stage.index(until) + 1]:
        day += dt.timedelta(days=20)
        services.record_step(candidate, stage, None, date=day, **data[stage])
    candidate.refresh_from_db()
    return candidate


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [c["id"] for c in response.json()["items"]]


@pytest.fixture
def files(tree):
    return {
        "c1": open_file(tree.c1, "Võ Thị Một"),
        "c2": open_file(tree.c2, "Đỗ Văn Hai"),
        "c3": open_file(tree.c3, "Lý Văn Ba"),
    }


# Files each cast user sees in the list (None: 403, no admission.view).
VISIBLE = {
    "admin": {"c1", "c2", "c3"},
    "office": {"c1", "c2"},
    "inspector": {"c1", "c2"},
    "leader": {"c1", "c2"},
    "secretary": {"c1"},
    "outsider": {"c3"},
    "member": None,
    "nobody": None,
}


def test_list_is_scoped_for_every_role(api, cast, files):
    for name, user in cast.all().items():
        response = api(user).get("/candidates")
        if VISIBLE[name] is None:
            assert response.status_code == 403 and "detail" in response.json(), name
            continue
        assert set(ids(response)) == {files[k].pk for k in VISIBLE[name]}, name
        assert response.json()["count"] == len(VISIBLE[name]), name


def test_list_filters_and_pagination(api, cast, files, people, tree):
    advance(files["c1"], people, Stage.DECISION)  # the ceremony is now due
    services.withdraw(files["c2"], None, "Chuyển công tác")
    office = api(cast.office)
    assert ids(office.get("/candidates", organisation_id=tree.c1.pk)) == [files["c1"].pk]
    assert set(ids(office.get("/candidates", organisation_id=tree.a_base.pk))) == {files["c1"].pk, files["c2"].pk}
    assert ids(office.get("/candidates", organisation_id=tree.c3.pk)) == []  # outside the scope: nothing
    assert ids(office.get("/candidates", stage=Stage.DECISION)) == [files["c1"].pk]
    assert ids(office.get("/candidates", outcome=Outcome.WITHDRAWN)) == [files["c2"].pk]
    assert ids(office.get("/candidates", outcome=Outcome.OPEN)) == [files["c1"].pk]
    due = Candidate.objects.get(pk=files["c1"].pk).due_on
    assert ids(office.get("/candidates", due_before=due.isoformat())) == [files["c1"].pk]
    assert ids(office.get("/candidates", due_before=(due - dt.timedelta(days=1)).isoformat())) == []
    assert ids(office.get("/candidates", q="VO THI")) == [files["c1"].pk]
    assert ids(office.get("/candidates", q="đỗ hai")) == [files["c2"].pk]
    assert office.get("/candidates", stage="no-such-stage").status_code == 422
    assert office.get("/candidates", limit=501).status_code == 422

    item = office.get("/candidates", organisation_id=tree.c1.pk).json()["items"][0]
    assert item["organisation"]["code"] == "A1-C1" and item["stage"] == Stage.DECISION and item["stage_label"]
    assert item["due_stage"] == Stage.CEREMONY and item["due_on"] == due.isoformat() and item["outcome"] == "open"
    assert item["overdue"] is True and item["member_id"] is None and "citizen_id" not in item

    for i in range(4):
        open_file(tree.c2, f"Trần Văn Thêm {i}")
    first = office.get("/candidates", limit=3).json()
    rest = office.get("/candidates", limit=3, offset=3).json()
    assert first["count"] == rest["count"] == 6
    assert len(first["items"]) == 3 and len(rest["items"]) == 3
    assert len({c["id"] for c in first["items"] + rest["items"]}) == 6


def test_list_query_budget_does_not_grow_with_rows(api, cast, files, tree, django_assert_max_num_queries):
    budget = 5  # token, scope, organisation path, count, rows
    office = api(cast.office)
    with django_assert_max_num_queries(budget):
        assert office.get("/candidates", organisation_id=tree.a.pk).json()["count"] == 2
    for i in range(12):
        open_file(tree.c1 if i % 2 else tree.c2, f"Nguyễn Văn Số {i}")
    office = api(cast.office)
    with django_assert_max_num_queries(budget):
        body = office.get("/candidates", organisation_id=tree.a.pk, limit=500).json()
    assert body["count"] == 14 and len(body["items"]) == 14


def test_detail_with_steps_introducers_and_annulled(api, cast, files, people, django_assert_max_num_queries):
    candidate = advance(files["c1"], people, Stage.CELL_RESOLUTION)
    cell_step = candidate.steps.get(stage=Stage.CELL_RESOLUTION)
    services.annul_step(cell_step, None, "Sai số phiếu")
    services.record_step(
        candidate, Stage.CELL_RESOLUTION, None, date=cell_step.date, votes_for=2, votes_against=0, note="Họp lại"
    )
    office = api(cast.office)
    # token, scope, candidate, steps, introducers, the rule sets (age at the cell resolution): not one per step
    with django_assert_max_num_queries(6):
        body = office.get(f"/candidates/{candidate.pk}").json()
    assert body["full_name"] == "Võ Thị Một" and body["citizen_id"] == candidate.citizen_id
    assert body["stage"] == Stage.CELL_RESOLUTION and body["next_stage"] == Stage.COMMITTEE_RESOLUTION
    steps = body["steps"]
    assert [s["stage"] for s in steps] == [
        Stage.SOURCE,
        Stage.COURSE,
        Stage.APPLICATION,
        Stage.VERIFICATION,
        Stage.INTRODUCTION,
        Stage.CELL_RESOLUTION,
        Stage.CELL_RESOLUTION,
    ]
    annulled, redone = steps[-2], steps[-1]
    assert annulled["live"] is False and annulled["annul_reason"] == "Sai số phiếu" and annulled["annulled_at"]
    assert redone["live"] is True and redone["note"] == "Họp lại"
    assert (redone["votes_for"], redone["votes_against"], redone["votes_eligible"]) == (2, 0, 2)
    introduction = steps[4]
    assert {(i["member"]["id"], i["known_since"]) for i in introduction["introducers"]} == {
        (people["an"].pk, "2021-01-01"),
        (people["binh"].pk, "2021-01-01"),
    }
    assert steps[1]["document_number"] == "125-GCN/TTCT" and steps[0]["waived"] is False
    assert steps[0]["has_file"] is False and steps[0]["stage_label"]

    # The citizen ID follows the personal-data table (committee office and administrator only); the
    # matrix of every field is dangvu/accounts/tests/test_privacy.py.
    for user in (cast.secretary, cast.inspector, cast.leader):
        body = api(user).get(f"/candidates/{candidate.pk}").json()
        assert body["full_name"] == "Võ Thị Một" and body["citizen_id"] is None


def test_detail_denied(api, cast, files):
    for user in (cast.outsider, cast.member, cast.nobody):
        response = api(user).get(f"/candidates/{files['c1'].pk}")
        assert response.status_code == 404 and "detail" in response.json()
    assert api(cast.secretary).get(f"/candidates/{files['c2'].pk}").status_code == 404
    assert api(cast.office).get(f"/candidates/{files['c3'].pk}").status_code == 404
    assert api(cast.outsider).get(f"/candidates/{files['c3'].pk}").status_code == 200
    assert api(cast.admin).get("/candidates/999999").status_code == 404


def test_open_a_file(api, cast, tree):
    payload = {**fields(), "organisation_id": tree.c1.pk, "date": "2024-05-02", "document_number": "3-DS/CB"}
    response = api(cast.secretary).post("/candidates", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    candidate = Candidate.objects.get(pk=body["id"])
    assert candidate.organisation == tree.c1 and candidate.stage == Stage.SOURCE and candidate.is_open
    assert body["steps"][0]["document_number"] == "3-DS/CB" and body["steps"][0]["date"] == "2024-05-02"
    assert body["next_stage"] == Stage.COURSE
    assert candidate.history.first().history_user == cast.secretary

    # No list entry: the source step is waived with the reason (the default rule set allows it).
    waived = api(cast.office).post(
        "/candidates", {**fields(), "organisation_id": tree.c2.pk, "date": "2024-05-02", "waive_reason": "Đặc cách"}
    )
    assert waived.status_code == 201
    assert waived.json()["steps"][0]["waived"] is True and waived.json()["steps"][0]["note"] == "Đặc cách"


def test_open_a_file_denied_and_refused(api, cast, tree):
    def attempt(user, cell, **overrides):
        return api(user).post(
            "/candidates", {**fields(), "organisation_id": cell.pk, "date": "2024-05-02", **overrides}
        )

    assert attempt(cast.inspector, tree.c1).status_code == 403  # sees the cell, may not propose
    assert attempt(cast.leader, tree.c1).status_code == 403
    assert attempt(cast.secretary, tree.c2).status_code == 404  # another cell
    for user in (cast.outsider, cast.member, cast.nobody):
        assert attempt(user, tree.c1).status_code == 404
    # Rules refuse: a committee is not a cell, a bad citizen ID, a future date. Nothing is written.
    refusals = [
        attempt(cast.office, tree.a_base),
        attempt(cast.office, tree.c1, citizen_id="123"),
        attempt(cast.office, tree.c1, date=(dt.date.today() + dt.timedelta(days=2)).isoformat()),
    ]
    for response in refusals:
        assert response.status_code == 422
        messages = [e["message"] for e in response.json()["errors"]]
        assert isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages)
    assert attempt(cast.office, tree.c1, sex="X").status_code == 422  # invalid input
    assert not Candidate.objects.exists() and not CandidateStep.objects.exists()
    assert not Candidate.history.exists()


def test_record_steps_through_the_api(api, cast, files, people):
    candidate = files["c1"]
    url = f"/candidates/{candidate.pk}/steps"
    secretary, office = api(cast.secretary), api(cast.office)

    response = secretary.post(url, {"stage": "course", "date": "2023-03-01", "document_number": "125-GCN/TTCT"})
    assert response.status_code == 201, response.content
    assert response.json()["stage"] == Stage.COURSE and response.json()["steps"][-1]["document_number"]
    assert secretary.post(url, {"stage": "application", "date": "2023-03-20"}).status_code == 201
    # The committee's step: the secretary may not, the office may.
    verification = {"stage": "verification", "date": "2023-04-10", "document_number": "17-BC/ĐU"}
    assert secretary.post(url, verification).status_code == 403
    assert candidate.steps.count() == 3
    assert office.post(url, verification).status_code == 201

    # Introducers are members the caller may see: Đức (C2) is outside the secretary's cell.
    introduction = {
        "stage": "introduction",
        "date": "2023-05-02",
        "introducers": [
            {"member_id": people["an"].pk, "known_since": "2021-01-01"},
            {"member_id": people["duc"].pk, "known_since": "2021-01-01"},
        ],
    }
    assert secretary.post(url, introduction).status_code == 404
    introduction["introducers"][1]["member_id"] = people["em"].pk  # committee B: outside the office's scope too
    assert office.post(url, introduction).status_code == 404
    introduction["introducers"][1]["member_id"] = 999999
    assert office.post(url, introduction).status_code == 404
    # Known for too short a time: the rule refuses.
    introduction["introducers"][1] = {"member_id": people["binh"].pk, "known_since": "2023-01-01"}
    refused = secretary.post(url, introduction)
    assert refused.status_code == 422 and "Trần Thị Bình" in refused.json()["detail"]
    assert not Introducer.objects.exists() and candidate.steps.count() == 4
    introduction["introducers"][1]["known_since"] = "2021-06-01"
    body = secretary.post(url, introduction).json()
    assert {i["member"]["full_name"] for i in body["steps"][-1]["introducers"]} == {"Nguyễn Văn An", "Trần Thị Bình"}

    # Votes below 2/3 of the cell's official members: refused, nothing written.
    steps_before, history_before = CandidateStep.objects.count(), Candidate.history.count()
    vote = {"stage": "cell_resolution", "date": "2023-06-01", "votes_for": 1, "votes_against": 1}
    refused = secretary.post(url, vote)
    assert refused.status_code == 422 and refused.json()["detail"]
    assert CandidateStep.objects.count() == steps_before and Candidate.history.count() == history_before
    vote["votes_for"], vote["votes_against"] = 2, 0
    assert secretary.post(url, vote).json()["steps"][-1]["votes_eligible"] == 2

    committee = {"stage": "committee_resolution", "date": "2023-06-10", "votes_for": 5, "votes_eligible": 7}
    assert secretary.post(url, committee).status_code == 403
    assert office.post(url, committee).status_code == 201
    decision = {"stage": "decision", "date": "2023-06-20", "document_number": "301-QĐ/ĐU", "issuer": "Đảng ủy"}
    assert office.post(url, decision).status_code == 201
    ceremony = secretary.post(url, {"stage": "ceremony", "date": "2023-07-03"})
    assert ceremony.status_code == 201
    body = ceremony.json()
    member = Member.objects.get(pk=body["member_id"])
    assert member.full_name == "Võ Thị Một" and member.status == Status.PROBATIONARY
    assert body["next_stage"] == Stage.TRAINING

    # Out of scope and without a role: 404 whatever the stage.
    for user in (cast.outsider, cast.member, cast.nobody):
        assert api(user).post(url, {"stage": "training", "date": "2023-08-01"}).status_code == 404
    assert office.post(url, {"stage": "no-such-stage", "date": "2023-08-01"}).status_code == 422


def test_step_order_refusal_and_waiver(api, cast, files):
    url = f"/candidates/{files['c1'].pk}/steps"
    skipped = api(cast.secretary).post(url, {"stage": "application", "date": "2023-03-01"})
    assert skipped.status_code == 422 and skipped.json()["detail"]
    assert files["c1"].steps.count() == 1
    # Waiving the course is not allowed by the default rule set (only the source list is).
    waived = api(cast.secretary).post(url, {"stage": "application", "date": "2023-03-01", "waive_reason": "Miễn"})
    assert waived.status_code == 422 and files["c1"].steps.count() == 1


def test_annul_a_step(api, cast, files, people):
    candidate = advance(files["c1"], people, Stage.VERIFICATION)
    steps = {s.stage: s for s in candidate.steps.all()}
    base = f"/candidates/{candidate.pk}/steps"
    reason = {"reason": "Nhập nhầm"}
    # The committee's step needs admission.decide.
    assert api(cast.secretary).post(f"{base}/{steps[Stage.VERIFICATION].pk}/annul", reason).status_code == 403
    # Only the latest step: refused with a message.
    refused = api(cast.office).post(f"{base}/{steps[Stage.COURSE].pk}/annul", reason)
    assert refused.status_code == 422 and refused.json()["detail"]
    assert api(cast.office).post(f"{base}/{steps[Stage.VERIFICATION].pk}/annul", {"reason": " "}).status_code == 422
    assert not CandidateStep.objects.filter(annulled_at__isnull=False).exists()
    for user in (cast.outsider, cast.member, cast.nobody):
        assert api(user).post(f"{base}/{steps[Stage.VERIFICATION].pk}/annul", reason).status_code == 404
    other = files["c2"].steps.get()
    assert api(cast.office).post(f"{base}/{other.pk}/annul", reason).status_code == 404  # another file's step

    response = api(cast.office).post(f"{base}/{steps[Stage.VERIFICATION].pk}/annul", reason)
    assert response.status_code == 200
    body = response.json()
    assert body["stage"] == Stage.APPLICATION and body["next_stage"] == Stage.VERIFICATION
    assert body["steps"][-1]["live"] is False and body["steps"][-1]["annul_reason"] == "Nhập nhầm"
    # Already annulled: no longer a live step of the file.
    assert api(cast.office).post(f"{base}/{steps[Stage.VERIFICATION].pk}/annul", reason).status_code == 404
    # The cell's own step: the secretary may annul it.
    assert api(cast.secretary).post(f"{base}/{steps[Stage.APPLICATION].pk}/annul", reason).status_code == 200


def test_withdraw(api, cast, files):
    url = f"/candidates/{files['c1'].pk}/withdraw"
    assert api(cast.secretary).post(url, {"reason": "Chuyển đi"}).status_code == 403
    assert api(cast.inspector).post(url, {"reason": "Chuyển đi"}).status_code == 403
    for user in (cast.outsider, cast.member, cast.nobody):
        assert api(user).post(url, {"reason": "Chuyển đi"}).status_code == 404
    assert api(cast.office).post(url, {"reason": ""}).status_code == 422
    assert api(cast.office).post(url, {}).status_code == 422
    assert Candidate.objects.get(pk=files["c1"].pk).outcome == Outcome.OPEN
    response = api(cast.office).post(url, {"reason": "Chuyển đi"})
    assert response.status_code == 200
    assert response.json()["outcome"] == Outcome.WITHDRAWN and response.json()["closed_reason"] == "Chuyển đi"
    again = api(cast.office).post(url, {"reason": "Lần nữa"})
    assert again.status_code == 422 and again.json()["detail"]


def test_admission_counts(api, cast, tree, people):
    # The cast's members were admitted on 2016-03-01 and recognised as official on 2017-03-01.
    url = f"/orgs/{tree.a.pk}/admission-counts"
    body = api(cast.office).get(url, start="2016-01-01", end="2016-12-31").json()
    assert body["total"] == {"admissions": 3, "officials": 0}
    assert body["start"] == "2016-01-01" and body["end"] == "2016-12-31" and body["lineage"] is True
    assert body["by_organisation"] == [
        {"id": tree.a.pk, "code": "A", "name": tree.a.name, "admissions": 3, "officials": 0}
    ]
    assert api(cast.office).get(url, start="2017-01-01", end="2017-12-31").json()["total"] == {
        "admissions": 0,
        "officials": 3,
    }
    c1 = api(cast.secretary).get(f"/orgs/{tree.c1.pk}/admission-counts", start="2016-01-01", end="2017-12-31").json()
    assert c1["total"] == {"admissions": 2, "officials": 2}
    default = api(cast.admin).get(f"/orgs/{tree.city.pk}/admission-counts").json()
    assert default["start"] == f"{dt.date.today().year}-01-01" and default["total"]["admissions"] == 0

    assert api(cast.office).get(url, start="2017-01-01", end="2016-01-01").status_code == 422
    for user in (cast.outsider, cast.member, cast.nobody):
        assert api(user).get(url).status_code == 404
    assert api(cast.secretary).get(url).status_code == 404  # the cell only, not the committee above


def test_admission_counts_with_lineage(api, cast, tree, people):
    merged = dt.date(2024, 1, 1)
    org_services.merge([tree.c2], merged, org_services.Document(number="9-QĐ/ĐU"), None, into=tree.c1)
    url = f"/orgs/{tree.c1.pk}/admission-counts"
    period = {"start": "2016-01-01", "end": "2016-12-31"}
    body = api(cast.office).get(url, **period).json()
    assert body["total"]["admissions"] == 3
    assert [(o["code"], o["admissions"]) for o in body["by_organisation"]] == [("A1-C1", 2), ("A1-C2", 1)]
    alone = api(cast.office).get(url, lineage="false", **period).json()
    assert alone["total"]["admissions"] == 2 and [o["code"] for o in alone["by_organisation"]] == ["A1-C1"]


def test_a_decision_over_the_age_limit_needs_the_approval(api, cast, people, tree):
    # Born 12/04/1963: 60 years 1 month on 12/05/2023, the cell resolution recorded by `advance` (over 60
    # counted in months); issue 8 item 4.
    candidate = advance(open_file(tree.c1, birth_date="1963-04-12"), people, Stage.COMMITTEE_RESOLUTION)
    url = f"/candidates/{candidate.pk}/steps"
    office = api(cast.office)
    detail = office.get(f"/candidates/{candidate.pk}").json()
    assert "12/05/2023" in detail["age_note"] and "60 tuổi 1 tháng" in detail["age_note"]
    decision = {"stage": "decision", "date": "2023-06-20", "document_number": "9-QĐ/ĐU", "issuer": "Đảng ủy"}
    refused = office.post(url, decision)
    assert refused.status_code == 422 and "cấp ủy trực thuộc Trung ương" in refused.json()["detail"]
    assert not candidate.steps.filter(stage=Stage.DECISION).exists()
    done = office.post(url, {**decision, "age_approval": "27-CV/TU ngày 15/06/2023"})
    assert done.status_code == 201, done.content
    assert done.json()["steps"][-1]["age_approval"] == "27-CV/TU ngày 15/06/2023"
