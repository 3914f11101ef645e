"""The API of notifications and questions: the caller's own notifications with ETag / If-None-Match (304
when nothing changed, 200 again after a change), scope of questions and statistics (allowed and denied)."""

from __future__ import annotations

import pytest

from dangvu.api.tests.conftest import api  # noqa: F401  (fixture)
from dangvu.notify import services
from dangvu.notify.models import Kind, Question

pytestmark = pytest.mark.django_db


def test_notifications_list_with_etag_and_304(api, cast):  # noqa: F811
    services.notify([cast.member], Kind.GENERAL, "Thông báo một", key="1")
    services.notify([cast.secretary], Kind.GENERAL, "Của bí thư", key="1")
    client = api(cast.member)
    first = client.get("/notifications")
    assert first.status_code == 200
    body = first.json()
    assert body["count"] == 1 and body["unread"] == 1 and [n["title"] for n in body["items"]] == ["Thông báo một"]
    etag = first["ETag"]
    again = client.client.get("/api/v1/notifications", headers={**client.headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    # A new notification changes the list: 200 with another ETag.
    services.notify([cast.member], Kind.GENERAL, "Thông báo hai", key="2")
    changed = client.client.get("/api/v1/notifications", headers={**client.headers, "If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag and changed.json()["count"] == 2
    etag = changed["ETag"]
    # Reading one changes it too.
    note = changed.json()["items"][0]["id"]
    assert client.post(f"/notifications/{note}/read").status_code == 204
    after = client.client.get("/api/v1/notifications", headers={**client.headers, "If-None-Match": etag})
    assert after.status_code == 200 and after.json()["unread"] == 1
    # Another user's notification is a 404, and the secretary's list is the secretary's.
    theirs = api(cast.secretary).get("/notifications").json()["items"][0]["id"]
    assert client.post(f"/notifications/{theirs}/read").status_code == 404
    assert client.post("/notifications/read-all").json() == {"unread": 0}
    assert api(cast.secretary).get("/notifications/unread").json() == {"unread": 1}
    assert api().get("/notifications").status_code == 401


def test_preferences_through_the_api(api, cast):  # noqa: F811
    client = api(cast.member)
    assert client.get("/notifications/preferences").json() == {"email": True, "push": True, "sms": False, "phone": ""}
    refused = client.client.put(
        "/api/v1/notifications/preferences",
        {"email": True, "push": True, "sms": True, "phone": "1"},
        content_type="application/json",
        headers=client.headers,
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "phone"
    assert client.get("/notifications/push").json() == {"configured": False, "public_key": ""}


def test_questions_api_scope(api, tree, cast):  # noqa: F811
    member = api(cast.member)
    created = member.post(
        "/questions", {"organisation_id": tree.c1.pk, "kind": "opinion", "subject": "Góp ý", "text": "Nội dung"}
    )
    assert created.status_code == 201 and created.json()["mine"] is True
    qid = created.json()["id"]
    refused = member.post("/questions", {"organisation_id": tree.c3.pk, "subject": "x", "text": "y"})
    assert refused.status_code == 422 and Question.objects.count() == 1
    assert (
        api(cast.office).post("/questions", {"organisation_id": tree.a.pk, "subject": "x", "text": "y"}).status_code
        == 403
    )
    assert api(cast.outsider).get(f"/questions/{qid}").status_code == 404
    assert api(cast.outsider).get("/questions").json() == []
    assert api(cast.secretary).get(f"/questions/{qid}").json()["mine"] is False
    assert member.post(f"/questions/{qid}/answer", {"answer": "x"}).status_code == 403
    answered = api(cast.secretary).post(f"/questions/{qid}/answer", {"answer": "Cảm ơn đồng chí."})
    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    assert member.post(f"/questions/{qid}/close").json()["state"] == "closed"
    assert member.post(f"/questions/{qid}/close").status_code == 422


def test_statistics_api_scope(api, tree, cast):  # noqa: F811
    params = {"organisation_id": tree.a.pk, "start": "2026-01-01", "end": "2026-12-31"}
    assert api(cast.member).get("/questions/statistics", **params).status_code == 403
    assert api(cast.outsider).get("/questions/statistics", **params).status_code == 404
    assert api(cast.office).get("/questions/statistics", **params).json()["total"]["received"] == 0
    assert api(cast.secretary).get("/adoption", **params).status_code == 403
    assert api(cast.outsider).get("/adoption", **params).status_code == 404
    figures = api(cast.leader).get("/adoption", **params).json()
    assert figures["members"] == 3 and figures["organisation"]["id"] == tree.a.pk
