"""Review suggestions through the API: read per role, sent and closed by the inspection committee only,
refusals as 422 writing nothing, issues outside the scope as 404."""

from __future__ import annotations

import pytest

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.inspection.models import Suggestion, SuggestionIssue
from dangvu.inspection.tests.test_suggestion_addressee import send
from dangvu.inspection.tests.test_suggestion_pages import SEE, send_one

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(tree, cast):
    return send_one(tree, cast)


def test_api(api, tree, people, cast, sent):
    body = {
        "sender_id": tree.a.pk,
        "organisation_id": tree.a_cell_base.pk,
        "year": 2025,
        "sent_on": "2025-11-20",
        "issues": [{"text": "Chưa phát huy vai trò", "deadline": "2026-02-01"}],
    }
    for name, user in cast.all().items():
        listing = api(user).get("/inspection/suggestions")
        if name in SEE:
            assert [s["document_number"] for s in listing.json()["items"]] == ["15-CV/ĐU"], name
        elif name == "nobody":
            assert listing.status_code == 403, name
        else:  # the outsider; the cell secretary and the member read only those addressed to them
            assert listing.json()["items"] == [], name
            assert api(user).get(f"/inspection/suggestions/{sent.pk}").status_code == 404
        if name not in {"inspector", "admin"}:
            assert api(user).post("/inspection/suggestions", body).status_code == 403, name
    assert Suggestion.objects.count() == 1
    client = api(cast.inspector)
    both = client.post("/inspection/suggestions", {**body, "member_id": people["duc"].pk})
    assert both.status_code == 422 and Suggestion.objects.count() == 1
    created = client.post("/inspection/suggestions", body)
    assert created.status_code == 201 and created.json()["organisation"]["code"] == "A2"
    issue_id = created.json()["issues"][0]["id"]
    b_inspector = api(testing.user("inspector_b", Role.INSPECTION, tree.b))
    closure = {"closed_on": "2026-01-10", "evidence": "Nghị quyết khắc phục"}
    assert b_inspector.post(f"/inspection/suggestion-issues/{issue_id}/closure", closure).status_code == 404
    closed = client.post(f"/inspection/suggestion-issues/{issue_id}/closure", closure)
    assert closed.status_code == 200 and closed.json()["closed_on"] == "2026-01-10"
    again = client.post(f"/inspection/suggestion-issues/{issue_id}/closure", closure)
    assert again.status_code == 422


def test_the_addressee_through_the_api(api, tree, people, cast):
    """The cell secretary reads and reports on what was sent to the cell, the member on what was sent to them;
    neither sees the other's nor closes; the sender closes after the report."""
    cell = send(tree, cast, "1-CV", organisation=tree.c1)
    mine = send(tree, cast, "2-CV", member=people["an"])
    other = send(tree, cast, "3-CV", member=people["duc"])
    for user, own in ((cast.secretary, cell), (cast.member, mine)):
        client = api(user)
        assert [s["id"] for s in client.get("/inspection/suggestions").json()["items"]] == [own.pk]
        assert client.get(f"/inspection/suggestions/{own.pk}").status_code == 200
        assert client.get(f"/inspection/suggestions/{other.pk}").status_code == 404
    issue = cell.issues.get()
    url = f"/inspection/suggestion-issues/{issue.pk}/report"
    report = {"reported_on": "2025-12-01", "report": "Chi bộ đã kiểm điểm, có biên bản"}
    assert api(cast.member).post(url, report).status_code == 404  # not the member's
    assert api(cast.inspector).post(url, report).status_code == 403  # reads it, is not the addressee
    assert api(cast.nobody).post(url, report).status_code == 403
    blank = api(cast.secretary).post(url, {**report, "report": " "})
    early = api(cast.secretary).post(url, {**report, "reported_on": "2025-11-19"})
    assert (blank.status_code, early.status_code) == (422, 422)
    assert SuggestionIssue.objects.get(pk=issue.pk).report == ""
    done = api(cast.secretary).post(url, report)
    assert done.status_code == 200 and (done.json()["reported_on"], done.json()["closed_on"]) == ("2025-12-01", None)
    closure = {"closed_on": "2025-12-05", "evidence": "Biên bản kiểm điểm của chi bộ"}
    closing = f"/inspection/suggestion-issues/{issue.pk}/closure"
    assert api(cast.secretary).post(closing, closure).status_code == 403
    closed = api(cast.inspector).post(closing, closure)
    assert closed.status_code == 200 and closed.json()["report"] == report["report"]
    assert api(cast.secretary).post(url, report).status_code == 422  # closed: final
    own = mine.issues.get()
    by_member = api(cast.member).post(f"/inspection/suggestion-issues/{own.pk}/report", report)
    assert by_member.status_code == 200 and SuggestionIssue.objects.get(pk=own.pk).reported_by == cast.member
