"""`Idempotency-Key` on the API's creating endpoints (issue 16 item 11): two identical `POST /candidates`
made two files. With the same key, a repeat returns the first answer and writes nothing; another request
under the same key is refused; keys are per user and forgotten after DANGVU_ONCE_HOURS."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from dangvu.accounts.models import ApiToken
from dangvu.admission.models import Candidate
from dangvu.api import idempotency, jobs
from dangvu.api.api import api as ninja_api
from dangvu.api.models import IdempotencyKey
from dangvu.api.tests.conftest import PREFIX
from dangvu.meetings.models import Invitation, Meeting
from dangvu.meetings.tests.test_concurrency import run_at_once
from dangvu.tasks.jobs import SCHEDULES

CREATING = {
    ("post", "/api/v1/candidates"),
    ("post", "/api/v1/candidates/{candidate_id}/steps"),
    ("post", "/api/v1/meetings"),
    ("post", "/api/v1/meetings/{meeting_id}/addenda"),
    ("post", "/api/v1/meetings/{meeting_id}/votes"),
    ("post", "/api/v1/transfers"),
    ("post", "/api/v1/discipline/cases"),
    ("post", "/api/v1/letters"),
    ("post", "/api/v1/inspection/programmes"),
    ("post", "/api/v1/inspection/activities"),
    ("post", "/api/v1/inspection/activities/{activity_id}/subjects"),
    ("post", "/api/v1/inspection/activities/{activity_id}/remediations"),
    ("post", "/api/v1/inspection/suggestions"),
    ("post", "/api/v1/register/documents"),
    ("post", "/api/v1/targets/resolutions/{resolution_id}/targets"),
    ("post", "/api/v1/targets/{target_id}/values"),
    ("post", "/api/v1/targets/resolutions/{resolution_id}/reports"),
    ("post", "/api/v1/reviews/campaigns"),
    ("post", "/api/v1/reviews/campaigns/{campaign_id}/decisions"),
    ("post", "/api/v1/reviews/{review_id}/correction"),
    ("post", "/api/v1/reviews/organisations/{org_review_id}/decision"),
    ("post", "/api/v1/reviews/organisations/{org_review_id}/correction"),
    ("post", "/api/v1/study/campaigns"),
    ("post", "/api/v1/questions"),
    ("post", "/api/v1/fees/members/{member_id}/payments"),
}


def post(client, user_key: str, path: str, data, key: str | None = None, raw: str | None = None):
    headers = {"Authorization": f"Bearer {user_key}"}
    if key is not None:
        headers[idempotency.HEADER] = key
    body = raw if raw is not None else json.dumps(data)
    return client.post(PREFIX + path, body, content_type="application/json", headers=headers)


def candidate(tree, name: str = "Đặng Văn Một Lần") -> dict:
    return {
        "full_name": name,
        "sex": "M",
        "birth_date": "1999-03-04",
        "organisation_id": tree.c1.pk,
        "date": timezone.localdate().isoformat(),
    }


def meeting(tree) -> dict:
    starts = timezone.localdate() + dt.timedelta(days=7)
    return {"organisation_id": tree.c1.pk, "kind": "regular", "starts_at": f"{starts}T08:00:00", "place": "Hội trường"}


@pytest.fixture
def key_of():
    def make(user) -> str:
        return ApiToken.issue(user)[1]

    return make


@pytest.mark.django_db
def test_a_repeated_candidate_post_with_the_same_key_creates_one_file(client, cast, tree, key_of):
    token = key_of(cast.secretary)
    first = post(client, token, "/candidates", candidate(tree), key="3f1c-once")
    assert first.status_code == 201, first.content
    again = post(client, token, "/candidates", candidate(tree), key="3f1c-once")
    assert again.status_code == 201 and again.content == first.content
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Candidate.objects.filter(full_name="Đặng Văn Một Lần").count() == 1
    # The same JSON written differently (key order, spaces) is the same request.
    reordered = json.dumps(dict(reversed(list(candidate(tree).items()))), indent=2)
    assert post(client, token, "/candidates", None, key="3f1c-once", raw=reordered).json()["id"] == first.json()["id"]
    # Without a key, two posts are two files, as before (the key is the client's promise).
    for _ in range(2):
        assert post(client, token, "/candidates", candidate(tree, "Đặng Văn Hai Lần")).status_code == 201
    assert Candidate.objects.filter(full_name="Đặng Văn Hai Lần").count() == 2


@pytest.mark.django_db
def test_a_repeated_meeting_post_returns_the_same_meeting_and_invitations(client, cast, tree, key_of):
    token = key_of(cast.secretary)
    first = post(client, token, "/meetings", meeting(tree), key="plan-1")
    assert first.status_code == 201, first.content
    invitations = Invitation.objects.count()
    again = post(client, token, "/meetings", meeting(tree), key="plan-1")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert Meeting.objects.count() == 1 and Invitation.objects.count() == invitations > 0


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused(client, cast, tree, key_of):
    token = key_of(cast.secretary)
    assert post(client, token, "/meetings", meeting(tree), key="k-1").status_code == 201
    other = {**meeting(tree), "place": "Phòng họp số 2"}
    refused = post(client, token, "/meetings", other, key="k-1")
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == idempotency.REUSED and body["errors"][0]["field"] == idempotency.HEADER
    assert "không có gì được ghi" in body["detail"]
    # Another endpoint under the same key is another request too.
    assert post(client, token, "/candidates", candidate(tree), key="k-1").status_code == 422
    assert Meeting.objects.count() == 1 and not Candidate.objects.exists()


@pytest.mark.django_db
def test_keys_are_per_user_and_errors_do_not_spend_them(client, cast, tree, key_of):
    secretary, office = key_of(cast.secretary), key_of(cast.office)
    assert post(client, secretary, "/meetings", meeting(tree), key="shared").status_code == 201
    assert post(client, office, "/meetings", meeting(tree), key="shared").status_code == 201  # another user's key
    assert Meeting.objects.count() == 2
    # A refused request stores nothing: the corrected one may use the key.
    bad = post(client, office, "/candidates", {**candidate(tree), "sex": "X"}, key="fix-me")
    assert bad.status_code == 422 and not IdempotencyKey.objects.filter(key="fix-me").exists()
    forbidden = post(client, key_of(cast.inspector), "/candidates", candidate(tree), key="fix-me")
    assert forbidden.status_code == 403
    assert post(client, office, "/candidates", candidate(tree), key="fix-me").status_code == 201
    assert IdempotencyKey.objects.filter(key="fix-me").count() == 1


@pytest.mark.django_db
def test_malformed_keys_are_refused(client, cast, tree, key_of):
    token = key_of(cast.secretary)
    for bad in ("x" * 256, "có dấu", "with space"):
        response = post(client, token, "/meetings", meeting(tree), key=bad)
        assert response.status_code == 422 and response.json()["code"] == "invalid", bad
    assert post(client, token, "/meetings", meeting(tree), key="x" * 255).status_code == 201  # the longest
    assert Meeting.objects.count() == 1


@pytest.mark.django_db
def test_cleanup_forgets_keys_older_than_the_limit(cast, settings):
    now = timezone.now()
    limit = dt.timedelta(hours=settings.DANGVU_ONCE_HOURS)
    old = IdempotencyKey.objects.create(
        user=cast.office, key="old", fingerprint="x", created_at=now - limit - dt.timedelta(minutes=1)
    )
    kept = IdempotencyKey.objects.create(
        user=cast.office, key="kept", fingerprint="x", created_at=now - limit + dt.timedelta(minutes=1)
    )
    assert jobs.forget_idempotency_keys.call(scheduled_for=now.isoformat()) == 1
    assert list(IdempotencyKey.objects.all()) == [kept] and old.pk != kept.pk
    assert any(s.task is jobs.forget_idempotency_keys for s in SCHEDULES.values())


def test_the_header_is_documented_on_every_creating_operation():
    schema = ninja_api.get_openapi_schema()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            names = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "header"]
            assert (idempotency.HEADER in names) == ((method, path) in CREATING), (method, path)


@pytest.mark.django_db(transaction=True)
def test_concurrent_repeats_create_one_meeting(cast, tree):
    """Two connections send the same request with the same key at once (PostgreSQL: real threads)."""
    token = ApiToken.issue(cast.secretary)[1]
    results = run_at_once([lambda: post(Client(), token, "/meetings", meeting(tree), key="race") for _ in range(2)])
    assert all(not isinstance(r, Exception) for r in results), results
    assert [r.status_code for r in results] == [201, 201]
    assert results[0].json()["id"] == results[1].json()["id"] == Meeting.objects.get().pk
