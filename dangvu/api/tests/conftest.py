"""Fixtures for the API tests: a client that calls /api/v1/ with a bearer token for a cast user."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.accounts.models import ApiToken, Role
from dangvu.api.tests.meeting_helpers import SOON, plan
from dangvu.meetings import services

PREFIX = "/api/v1"


class ApiClient:
    def __init__(self, client, user=None, key: str | None = None):
        self.client = client
        if key is None and user is not None:
            _token, key = ApiToken.issue(user)
        self.key = key
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path: str, **params):
        return self.client.get(PREFIX + path, params, headers=self.headers)

    def post(self, path: str, data: dict | None = None):
        return self.client.post(PREFIX + path, data or {}, content_type="application/json", headers=self.headers)

    def patch(self, path: str, data: dict | None = None):
        return self.client.patch(PREFIX + path, data or {}, content_type="application/json", headers=self.headers)


@pytest.fixture
def api(client):
    """`api(user)`: a client authenticated as `user` with a fresh token; `api()` anonymous."""

    def make(user=None, key: str | None = None) -> ApiClient:
        return ApiClient(client, user, key)

    return make


@pytest.fixture
def chair(tree, people):
    """Bình (C1) chairs the C1 meeting: a plain member whose user runs that meeting only."""
    return testing.user("chair", Role.MEMBER, tree.c1, member_record=people["binh"])


@pytest.fixture
def meetings(tree, people):
    return {
        "c1": plan(tree.c1, chair=people["binh"], agenda=[services.AgendaSpec("Công tác tháng", "", people["an"])]),
        "c2": plan(tree.c2, SOON + dt.timedelta(days=1)),
        "c3": plan(tree.c3, SOON + dt.timedelta(days=2)),
    }
