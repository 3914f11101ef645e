"""Meeting endpoints: list and detail, planning, RSVP, check-in and attendance, votes and ballots, minutes,
approval and addenda, regularity and assignment compliance — allowed and denied for the cast, refusals as
422 writing nothing, secret votes never revealing who chose what."""

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangvu import testing
from dangvu.api.tests.meeting_helpers import SOON, held, ids, invitation, plan, running
from dangvu.lib import versions
from dangvu.meetings import services, stats
from dangvu.meetings.models import (
    Addendum,
    AgendaItem,
    Attendance,
    Invitation,
    Meeting,
    MeetingKind,
    MeetingState,
    Rsvp,
)
from dangvu.orgs import committees
from dangvu.orgs.models import Position, Term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]  # a history of meetings


# Meetings each cast user sees (None: 403).
VISIBLE = {
    "admin": {"c1", "c2", "c3"},
    "office": {"c1", "c2"},
    "inspector": {"c1", "c2"},
    "leader": {"c1", "c2"},
    "secretary": {"c1"},
    "outsider": {"c3"},
    "member": {"c1"},  # invited to their cell's meeting
    "nobody": None,
}


def test_list_is_scoped_for_every_role(api, cast, meetings):
    for name, user in cast.all().items():
        response = api(user).get("/meetings")
        if VISIBLE[name] is None:
            assert response.status_code == 403 and "detail" in response.json(), name
            continue
        assert set(ids(response)) == {meetings[k].pk for k in VISIBLE[name]}, name
        assert response.json()["count"] == len(VISIBLE[name]), name


def test_list_filters_and_pagination(api, cast, meetings, tree, people):
    thematic = plan(tree.c1, SOON - dt.timedelta(days=40), MeetingKind.THEMATIC, topic="Học tập Nghị quyết")
    services.cancel_meeting(meetings["c2"], None, "Trùng lịch")
    office = api(cast.office)
    assert set(ids(office.get("/meetings", organisation_id=tree.c1.pk))) == {meetings["c1"].pk, thematic.pk}
    assert set(ids(office.get("/meetings", organisation_id=tree.a.pk))) == {
        meetings["c1"].pk,
        meetings["c2"].pk,
        thematic.pk,
    }
    assert ids(office.get("/meetings", organisation_id=tree.c3.pk)) == []  # outside the scope: nothing
    assert ids(office.get("/meetings", organisation_id=999999)) == []
    assert ids(office.get("/meetings", kind="thematic")) == [thematic.pk]
    assert ids(office.get("/meetings", state="cancelled")) == [meetings["c2"].pk]
    assert ids(office.get("/meetings", **{"from": SOON.isoformat(), "to": SOON.isoformat()})) == [meetings["c1"].pk]
    assert ids(office.get("/meetings", to=(SOON - dt.timedelta(days=1)).isoformat())) == [thematic.pk]
    assert ids(office.get("/meetings", **{"from": (SOON + dt.timedelta(days=1)).isoformat()})) == [meetings["c2"].pk]
    assert office.get("/meetings", kind="picnic").status_code == 422
    assert office.get("/meetings", limit=501).status_code == 422
    # The plain member filters their own meetings by their cell; committee B's cell gives nothing.
    member = api(cast.member)
    assert set(ids(member.get("/meetings", organisation_id=tree.c1.pk))) == {meetings["c1"].pk, thematic.pk}
    assert ids(member.get("/meetings", organisation_id=tree.c3.pk)) == []

    item = office.get("/meetings", organisation_id=tree.c1.pk, kind="regular").json()["items"][0]
    assert item["organisation"]["code"] == "A1-C1" and item["kind"] == "regular" and item["kind_label"]
    assert item["state"] == "planned" and item["chair"] == {"id": people["binh"].pk, "full_name": "Trần Thị Bình"}
    assert item["place"] == "Hội trường" and item["secretary"] is None and "invitations" not in item

    for i in range(4):
        plan(tree.c2, SOON + dt.timedelta(days=10 + i))
    first = office.get("/meetings", limit=4).json()
    rest = office.get("/meetings", limit=4, offset=4).json()
    assert first["count"] == rest["count"] == 7
    assert len(first["items"]) == 4 and len(rest["items"]) == 3
    assert len({m["id"] for m in first["items"] + rest["items"]}) == 7
    starts = [m["starts_at"] for m in first["items"] + rest["items"]]
    assert starts == sorted(starts, reverse=True)  # latest first


def test_list_query_budget_does_not_grow_with_rows(api, cast, meetings, tree, django_assert_max_num_queries):
    budget = 4  # token, role assignments, count, rows (organisation, chair and secretary joined)
    for user in (cast.office, cast.member):
        client = api(user)
        with django_assert_max_num_queries(budget + 1):  # + the organisation's path for the filter
            assert client.get("/meetings", organisation_id=tree.a.pk).status_code == 200
    for i in range(12):
        plan(tree.c1 if i % 2 else tree.c2, SOON + dt.timedelta(days=i), chair=None)
    for user, count in ((cast.office, 14), (cast.member, 7)):
        client = api(user)
        with django_assert_max_num_queries(budget):
            body = client.get("/meetings", limit=500).json()
        assert body["count"] == count and len(body["items"]) == count


def add_document(meeting: Meeting, title: str = "Dự thảo nghị quyết"):
    upload = SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    document = services.add_document(meeting, None, title=title, upload=upload)
    services.add_version(document, None, SimpleUploadedFile("du-thao-2.pdf", b"%PDF-1.4 v2"))
    return document


def test_detail_for_those_who_run_it_and_for_the_invited(api, cast, meetings, people, chair):
    meeting = meetings["c1"]
    services.answer(invitation(meeting, people["an"]), None, rsvp=Rsvp.EXCUSED, reason="Đi công tác")
    services.answer(invitation(meeting, people["binh"]), None, rsvp=Rsvp.ATTENDING)
    document = add_document(meeting)
    url = f"/meetings/{meeting.pk}"

    body = api(cast.secretary).get(url).json()
    assert body["can_run"] is True and body["my_invitation_id"] is None and body["state"] == "planned"
    assert [(a["position"], a["title"], a["presenter"]["id"]) for a in body["agenda"]] == [
        (1, "Công tác tháng", people["an"].pk)
    ]
    rows = {i["name"]: i for i in body["invitations"]}
    assert set(rows) == {"Nguyễn Văn An", "Trần Thị Bình"}
    assert rows["Nguyễn Văn An"]["rsvp"] == "excused" and rows["Nguyễn Văn An"]["rsvp_reason"] == "Đi công tác"
    assert rows["Trần Thị Bình"]["rsvp"] == "attending" and rows["Trần Thị Bình"]["may_vote"] is True
    [doc] = body["documents"]
    assert doc["id"] == document.pk and doc["title"] == "Dự thảo nghị quyết"
    assert [(v["number"], v["filename"], v["content_type"]) for v in doc["versions"]] == [
        (1, "du-thao.pdf", "application/pdf"),
        (2, "du-thao-2.pdf", "application/pdf"),
    ]
    assert doc["versions"][0]["size"] == len(b"%PDF-1.4 test") and len(doc["versions"][0]["sha256"]) == 64

    # An invited member: names and attendance of everyone, their own answer, others' answers hidden.
    body = api(cast.member).get(url).json()
    own = invitation(meeting, people["an"])
    assert body["can_run"] is False and body["my_invitation_id"] == own.pk
    rows = {i["name"]: i for i in body["invitations"]}
    assert rows["Nguyễn Văn An"]["rsvp_reason"] == "Đi công tác"
    assert rows["Trần Thị Bình"]["rsvp"] is None and rows["Trần Thị Bình"]["rsvp_reason"] is None
    assert rows["Trần Thị Bình"]["attendance"] == "" and rows["Trần Thị Bình"]["late"] is False
    assert [d["id"] for d in body["documents"]] == [document.pk]

    # Staff who see the meeting but neither run it nor are invited: no answers, no documents.
    for user in (cast.inspector, cast.leader):
        body = api(user).get(url).json()
        assert body["can_run"] is False and body["documents"] is None
        assert all(i["rsvp"] is None and i["rsvp_reason"] is None for i in body["invitations"])
    # The chair runs their meeting whatever their role.
    body = api(chair).get(url).json()
    assert body["can_run"] is True and body["documents"] is not None
    assert {i["rsvp_reason"] for i in body["invitations"]} == {"Đi công tác", ""}


def test_detail_denied(api, cast, meetings, chair):
    for user in (cast.outsider, cast.nobody):
        response = api(user).get(f"/meetings/{meetings['c1'].pk}")
        assert response.status_code == 404 and "detail" in response.json()
    for user in (cast.secretary, cast.member, chair):
        assert api(user).get(f"/meetings/{meetings['c2'].pk}").status_code == 404
    assert api(cast.office).get(f"/meetings/{meetings['c3'].pk}").status_code == 404
    assert api(cast.outsider).get(f"/meetings/{meetings['c3'].pk}").status_code == 200
    assert api(cast.admin).get("/meetings/999999").status_code == 404


def test_detail_query_budget_does_not_grow(api, cast, tree, people, django_assert_max_num_queries):
    def queries(meeting) -> int:
        client = api(cast.secretary)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/meetings/{meeting.pk}").status_code == 200
        return len(ctx.captured_queries)

    small = running(plan(tree.c1), people["an"])
    small_vote = services.create_vote(small, None, question="Q", method="named", rule="majority_present")
    services.open_vote(small_vote, None)
    services.cast(small_vote, invitation(small, people["an"]), "yes")
    services.close_vote(small_vote, None)
    baseline = queries(small)
    # token, roles, meeting, invitations, agenda, votes, named ballots, the rule set of the meeting's day
    # (the thresholds' labels, issue 8 item 8), documents, addenda, version
    assert baseline == 11

    extra = [testing.member(tree.c1, f"Hoàng Văn Thêm {i}") for i in range(6)]
    big = plan(tree.c1, agenda=[services.AgendaSpec(f"Mục {i}", "", people["an"]) for i in range(4)])
    running(big, people["an"], people["binh"], *extra)
    add_document(big, "Một")
    add_document(big, "Hai")
    for method in ("named", "secret", "count", "named"):
        vote = services.create_vote(big, None, question=method, method=method, rule="majority_present")
        services.open_vote(vote, None)
        if method != "count":
            for inv in big.invitations.filter(may_vote=True)[:3]:
                services.cast(vote, inv, "yes")
        services.close_vote(vote, None, counts={"yes": 2} if method == "count" else None)
    services.create_vote(big, None, question="later", method="secret", rule="majority_present")
    # One more: the documents' versions (the small meeting has no document to prefetch them for).
    assert queries(big) == baseline + 1
    client = api(cast.secretary)
    with django_assert_max_num_queries(baseline + 1):
        body = client.get(f"/meetings/{big.pk}").json()
    assert len(body["invitations"]) == 8 and len(body["votes"]) == 5 and len(body["documents"]) == 2
    assert len(body["agenda"]) == 4 and all(len(d["versions"]) == 2 for d in body["documents"])


def test_plan_a_meeting(api, cast, tree, people):
    payload = {
        "organisation_id": tree.c1.pk,
        "kind": "thematic",
        "starts_at": "2030-05-02T08:00:00",
        "topic": "Học tập và làm theo tư tưởng Hồ Chí Minh",
        "place": "Phòng họp số 2",
        "online_link": "https://hop.example.vn/chi-bo-1",
        "chair_id": people["binh"].pk,
        "secretary_id": people["an"].pk,
        "agenda": [{"title": "Quán triệt chuyên đề", "presenter_id": people["binh"].pk}, {"title": "Thảo luận"}],
        "external_guests": [{"name": "Ông Lý Văn Khách", "title": "Bí thư Đoàn phường"}],
    }
    response = api(cast.secretary).post("/meetings", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    meeting = Meeting.objects.get(pk=body["id"])
    assert meeting.organisation == tree.c1 and meeting.kind == MeetingKind.THEMATIC
    assert timezone.localtime(meeting.starts_at).replace(tzinfo=None) == dt.datetime(2030, 5, 2, 8)
    assert meeting.chair == people["binh"] and meeting.secretary == people["an"]
    assert body["online_link"] == "https://hop.example.vn/chi-bo-1" and body["topic"].startswith("Học tập")
    assert meeting.history.first().history_user == cast.secretary
    assert [a["title"] for a in body["agenda"]] == ["Quán triệt chuyên đề", "Thảo luận"]
    assert body["agenda"][0]["presenter"]["id"] == people["binh"].pk
    roles = {i["name"]: i["role"] for i in body["invitations"]}
    assert roles == {"Nguyễn Văn An": "member", "Trần Thị Bình": "member", "Ông Lý Văn Khách": "guest"}
    assert body["can_run"] is True

    # The office may invite a member of another cell of its subtree as a guest.
    payload = {"organisation_id": tree.c1.pk, "kind": "regular", "starts_at": "2030-06-02T08:00:00+07:00"}
    response = api(cast.office).post(
        "/meetings", {**payload, "place": "Hội trường", "guest_member_ids": [people["duc"].pk]}
    )
    assert response.status_code == 201
    assert {i["name"]: i["role"] for i in response.json()["invitations"]}["Lê Minh Đức"] == "guest"


def test_plan_a_meeting_denied_and_refused(api, cast, tree, people):
    def attempt(user, cell, **overrides):
        data = {
            "organisation_id": cell.pk,
            "kind": "regular",
            "starts_at": "2030-05-02T08:00:00",
            "place": "Hội trường",
        }
        return api(user).post("/meetings", {**data, **overrides})

    assert attempt(cast.inspector, tree.c1).status_code == 403  # sees the cell, may not plan
    assert attempt(cast.leader, tree.c1).status_code == 403
    assert attempt(cast.secretary, tree.c2).status_code == 404  # another cell
    for user in (cast.outsider, cast.member, cast.nobody):
        assert attempt(user, tree.c1).status_code == 404
    # Members are fetched through the caller's scope: Đức (C2) is outside the secretary's cell, Em outside A.
    assert attempt(cast.secretary, tree.c1, guest_member_ids=[people["duc"].pk]).status_code == 404
    assert attempt(cast.office, tree.c1, chair_id=people["em"].pk).status_code == 404
    assert attempt(cast.office, tree.c1, agenda=[{"title": "X", "presenter_id": 999999}]).status_code == 404
    # Rules refuse; nothing is written.
    refusals = [
        attempt(cast.office, tree.a_base),  # a member meeting of a committee
        attempt(cast.office, tree.c1, kind="thematic"),  # no topic
        attempt(cast.office, tree.c1, place=""),  # neither place nor link
        attempt(cast.office, tree.c1, chair_id=people["duc"].pk),  # the chair is not a participant
    ]
    for response in refusals:
        assert response.status_code == 422, response.content
        messages = [e["message"] for e in response.json()["errors"]]
        assert isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages)
    assert attempt(cast.office, tree.c1, kind="picnic").status_code == 422  # invalid input
    assert attempt(cast.office, tree.c1, place="", online_link="javascript:alert(1)").status_code == 422
    assert not Meeting.objects.exists() and not Invitation.objects.exists() and not AgendaItem.objects.exists()
    assert not Meeting.history.exists() and not Invitation.history.exists()


def test_rsvp(api, cast, meetings, people):
    meeting = meetings["c1"]
    url = f"/meetings/{meeting.pk}/rsvp"
    member = api(cast.member)
    refused = member.post(url, {"answer": "excused"})  # no reason
    assert refused.status_code == 422 and refused.json()["detail"]
    assert member.post(url, {"answer": "pending"}).status_code == 422  # invalid input
    own = invitation(meeting, people["an"])
    own.refresh_from_db()
    assert own.rsvp == Rsvp.PENDING and own.history.count() == 1

    response = member.post(url, {"answer": "excused", "reason": "Đi công tác"})
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == own.pk and body["rsvp"] == "excused" and body["rsvp_reason"] == "Đi công tác"
    assert own.history.first().history_user == cast.member
    # Not invited (staff who see the meeting): 403; outside: 404.
    for user in (cast.secretary, cast.office):
        assert api(user).post(url, {"answer": "attending"}).status_code == 403
    for user in (cast.outsider, cast.nobody):
        assert api(user).post(url, {"answer": "attending"}).status_code == 404
    running(meeting)
    late = member.post(url, {"answer": "attending"})
    assert late.status_code == 422
    assert Invitation.objects.get(pk=own.pk).rsvp == Rsvp.EXCUSED


def test_check_in_and_attendance(api, cast, meetings, people, chair):
    meeting = meetings["c1"]
    an, binh = invitation(meeting, people["an"]), invitation(meeting, people["binh"])
    url = f"/meetings/{meeting.pk}/check-in"
    member = api(cast.member)
    assert member.post(url).status_code == 422  # not started
    assert Invitation.objects.get(pk=an.pk).attendance == ""
    assert api(chair).post(f"/meetings/{meeting.pk}/open").status_code == 200

    response = member.post(url)
    assert response.status_code == 200 and response.json()["attendance"] == "present"
    assert response.json()["checked_in_at"] and response.json()["id"] == an.pk
    assert member.post(url, {"invitation_id": binh.pk}).status_code == 403  # others: those who run it only
    assert api(cast.secretary).post(url).status_code == 403  # no invitation of their own
    other = invitation(meetings["c2"], people["duc"])
    assert api(cast.secretary).post(url, {"invitation_id": other.pk}).status_code == 404  # another meeting
    assert api(cast.outsider).post(url).status_code == 404
    marked = api(cast.secretary).post(url, {"invitation_id": binh.pk})
    assert marked.status_code == 200 and marked.json()["name"] == "Trần Thị Bình"
    assert Invitation.objects.get(pk=binh.pk).attendance == Attendance.PRESENT

    attendance = f"/meetings/{meeting.pk}/attendance"
    refused = api(cast.secretary).post(attendance, {"invitation_id": an.pk, "attendance": "excused"})
    assert refused.status_code == 422 and refused.json()["detail"]
    assert Invitation.objects.get(pk=an.pk).attendance == Attendance.PRESENT
    for user in (cast.member, cast.inspector):
        assert api(user).post(attendance, {"invitation_id": an.pk, "attendance": "unexcused"}).status_code == 403
    assert api(cast.outsider).post(attendance, {"invitation_id": an.pk, "attendance": "unexcused"}).status_code == 404
    response = api(chair).post(attendance, {"invitation_id": an.pk, "attendance": "excused", "reason": "Ốm"})
    assert response.status_code == 200
    assert response.json()["attendance"] == "excused" and response.json()["absence_reason"] == "Ốm"
    late = api(cast.office).post(attendance, {"invitation_id": an.pk, "attendance": "present", "late": True})
    assert late.json()["attendance"] == "present" and late.json()["late"] is True


def test_open_and_close(api, cast, meetings, people, chair):
    meeting = meetings["c1"]
    for user in (cast.member, cast.inspector, cast.leader):
        assert api(user).post(f"/meetings/{meeting.pk}/open").status_code == 403
    for user in (cast.outsider, cast.nobody):
        assert api(user).post(f"/meetings/{meeting.pk}/open").status_code == 404
    assert api(cast.secretary).post(f"/meetings/{meetings['c2'].pk}/open").status_code == 404
    refused = api(cast.secretary).post(f"/meetings/{meeting.pk}/close")
    assert refused.status_code == 422 and Meeting.objects.get(pk=meeting.pk).state == MeetingState.PLANNED

    body = api(chair).post(f"/meetings/{meeting.pk}/open").json()
    assert body["state"] == "in_progress" and body["opened_at"]
    assert api(cast.secretary).post(f"/meetings/{meeting.pk}/open").status_code == 422
    api(cast.member).post(f"/meetings/{meeting.pk}/check-in")
    assert api(cast.member).post(f"/meetings/{meeting.pk}/close").status_code == 403
    body = api(cast.secretary).post(f"/meetings/{meeting.pk}/close").json()
    assert body["state"] == "held" and body["closed_at"]
    rows = {i["name"]: i["attendance"] for i in body["invitations"]}
    assert rows == {"Nguyễn Văn An": "present", "Trần Thị Bình": "unexcused"}


def test_minutes_approval_and_addenda(api, cast, meetings, people, chair):
    meeting = meetings["c1"]
    url = f"/meetings/{meeting.pk}"
    texts = {"discussion": "Các đồng chí thảo luận", "resolution_number": "05-NQ/CB"}

    def versioned(body: dict) -> dict:  # the meeting's version, as read with the meeting (issue 16 item 3)
        return {**body, "version": versions.current(meeting)}

    assert api(cast.secretary).post(f"{url}/minutes", versioned(texts)).status_code == 422  # not started
    running(meeting, people["an"], people["binh"])
    for user in (cast.member, cast.inspector):
        assert api(user).post(f"{url}/minutes", versioned(texts)).status_code == 403
    assert api(cast.outsider).post(f"{url}/minutes", versioned(texts)).status_code == 404
    body = api(cast.secretary).post(f"{url}/minutes", versioned(texts)).json()
    assert body["discussion"] == "Các đồng chí thảo luận" and body["resolution_number"] == "05-NQ/CB"
    body = api(chair).post(f"{url}/minutes", versioned({"conclusions": "Thống nhất"})).json()
    assert body["conclusions"] == "Thống nhất" and body["discussion"] == "Các đồng chí thảo luận"

    assert api(chair).post(f"{url}/approve").status_code == 422  # not closed yet
    api(cast.secretary).post(f"{url}/close")
    for user in (cast.secretary, cast.office, cast.member, cast.admin):  # the chair's user only
        assert api(user).post(f"{url}/approve").status_code == 403
    assert api(cast.outsider).post(f"{url}/approve").status_code == 404
    assert api(cast.secretary).post(f"{url}/addenda", {"text": "Bổ sung"}).status_code == 422  # before approval
    assert not Addendum.objects.exists()

    body = api(chair).post(f"{url}/approve").json()
    assert body["state"] == "approved" and body["approved_at"]
    meeting.refresh_from_db()
    assert body["minutes_sha256"] == meeting.minutes_sha256
    with meeting.minutes_file.open("rb") as f:  # the DOCX kept as approved
        content = f.read()
    assert content[:2] == b"PK" and hashlib.sha256(content).hexdigest() == meeting.minutes_sha256
    # Locked: minutes and attendance refused, nothing changed.
    refused = api(cast.secretary).post(f"{url}/minutes", versioned({"discussion": "Sửa"}))
    assert refused.status_code == 422 and refused.json()["detail"]
    an = invitation(meeting, people["an"])
    assert (
        api(cast.secretary).post(f"{url}/attendance", {"invitation_id": an.pk, "attendance": "unexcused"}).status_code
        == 422
    )
    meeting.refresh_from_db()
    assert meeting.discussion == "Các đồng chí thảo luận" and Invitation.objects.get(pk=an.pk).attendance == "present"

    for user in (cast.member, cast.inspector):
        assert api(user).post(f"{url}/addenda", {"text": "Bổ sung"}).status_code == 403
    assert api(cast.secretary).post(f"{url}/addenda", {"text": " "}).status_code == 422
    response = api(cast.secretary).post(f"{url}/addenda", {"text": "Bổ sung ý kiến của đồng chí Bình"})
    assert response.status_code == 201
    assert [a["text"] for a in response.json()["addenda"]] == ["Bổ sung ý kiến của đồng chí Bình"]
    assert Addendum.objects.get().created_by == cast.secretary


def test_meeting_regularity(api, cast, tree, people):
    year = dt.date(2024, 1, 1)
    for month in (1, 2, 3, 5):
        held(tree.c1, year.replace(month=month, day=10), present=[people["an"], people["binh"]])
    held(tree.c1, dt.date(2024, 6, 20), MeetingKind.THEMATIC, present=[people["an"]], topic="Chuyên đề")
    held(tree.c2, dt.date(2024, 1, 15), present=[people["duc"]])
    plan(tree.c2, dt.date(2024, 2, 15))  # planned only: does not count
    url = f"/orgs/{tree.a_base.pk}/meeting-regularity"
    period = {"start": "2024-01-01", "end": "2024-06-30"}
    body = api(cast.office).get(url, **period).json()
    assert body["organisation_id"] == tree.a_base.pk and body["start"] == "2024-01-01" and body["lineage"] is True
    cells = {c["organisation"]["code"]: c for c in body["cells"]}
    assert set(cells) == {"A1-C1", "A1-C2"}
    c1 = cells["A1-C1"]
    assert (c1["months_in_force"], c1["regular_months"], c1["missing_months"]) == (6, 4, ["2024-04-01", "2024-06-01"])
    assert (c1["thematic_held"], c1["thematic_required"], c1["meetings_held"]) == (1, 1, 5)
    assert (c1["expected"], c1["present"]) == (10, 9) and c1["attendance_rate"] == pytest.approx(0.9)
    assert cells["A1-C2"]["regular_months"] == 1 and cells["A1-C2"]["attendance_rate"] == 1.0
    assert body["total"]["regular_months"] == 5 and body["total"]["months_in_force"] == 12
    assert body["total"]["meetings_held"] == 6 and body["total"]["attendance_rate"] == pytest.approx(10 / 11)
    # The same figures as the function the pages and targets use.
    direct = stats.regularity(tree.a_base, dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    assert body["total"]["thematic_required"] == direct.thematic_required
    assert body["total"]["attendance_rate"] == pytest.approx(direct.attendance_rate)

    own = api(cast.secretary).get(f"/orgs/{tree.c1.pk}/meeting-regularity", **period).json()
    assert [c["organisation"]["code"] for c in own["cells"]] == ["A1-C1"] and own["total"]["regular_months"] == 4
    default = api(cast.admin).get(f"/orgs/{tree.city.pk}/meeting-regularity").json()
    assert default["start"] == f"{timezone.localdate().year}-01-01"
    assert api(cast.office).get(url, start="2024-06-30", end="2024-01-01").status_code == 422
    for user in (cast.outsider, cast.member, cast.nobody):
        assert api(user).get(url).status_code == 404
    assert api(cast.secretary).get(url).status_code == 404  # the cell only, not the committee above


def test_assignment_compliance(api, cast, tree, people):
    term = Term.objects.create(code="2020-2025", start=dt.date(2020, 10, 1), end=dt.date(2025, 10, 1))
    committee = committees.elect_committee(tree.a_base, term, dt.date(2020, 10, 1), None)
    seat = committees.add_seat(committee, people["duc"], Position.COMMITTEE_MEMBER, dt.date(2020, 10, 1), None)
    assignment = committees.assign_leadership(seat, tree.c1, dt.date(2020, 10, 1), None)
    # Đức is invited as the guest in charge and attends one of C1's two meetings in the half year.
    first = held(tree.c1, dt.date(2024, 2, 10), present=[people["an"], people["duc"]])
    held(tree.c1, dt.date(2024, 3, 10), present=[people["an"]])
    assert first.invitations.get(member=people["duc"]).role == "guest"

    url = f"/orgs/{tree.a_base.pk}/assignment-compliance"
    body = api(cast.office).get(url, start="2024-01-01", end="2024-06-30").json()
    assert body["organisation_id"] == tree.a_base.pk and body["end"] == "2024-06-30"
    [row] = body["assignments"]
    assert row["assignment_id"] == assignment.pk and row["member"]["full_name"] == "Lê Minh Đức"
    assert row["organisation"]["code"] == "A1-C1" and row["committee_organisation"]["code"] == "A1"
    assert (row["attended"], row["required"], row["compliant"]) == (1, 2, False)
    assert row["valid_from"] == "2020-10-01" and row["valid_to"] is None

    # The cell's secretary sees who is in charge of the cell and how often they came.
    own = api(cast.secretary).get(f"/orgs/{tree.c1.pk}/assignment-compliance", start="2024-01-01", end="2024-06-30")
    assert own.json()["assignments"] == body["assignments"]
    assert api(cast.office).get(f"/orgs/{tree.c2.pk}/assignment-compliance").json()["assignments"] == []
    assert api(cast.office).get(url, start="2024-06-30", end="2024-01-01").status_code == 422
    for user in (cast.outsider, cast.member, cast.nobody):
        assert api(user).get(url).status_code == 404
