"""Review suggestions through the API: read per role, sent and closed by the inspection committee only,
refusals as 422 writing nothing, issues outside the scope as 404."""

from __future__ import annotations

import pytest

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.inspection.models import Suggestion
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
        elif name == "outsider":
            assert listing.json()["items"] == []
            assert api(user).get(f"/inspection/suggestions/{sent.pk}").status_code == 404
        else:
            assert listing.status_code == 403, name
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
