"""Fixtures for the API tests: a client that calls /api/v1/ with a bearer token for a cast user."""

from __future__ import annotations

import pytest

from dangvu.accounts.models import ApiToken

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
