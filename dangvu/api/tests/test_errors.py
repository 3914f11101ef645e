"""Error responses are JSON: DomainError -> 422 with the messages, Http404 -> 404, 403 on a denied list;
OpenAPI and the docs page are served."""

import json

import pytest
from django.http import Http404
from django.test import RequestFactory

from dangvu.api.api import api as ninja_api
from dangvu.lib.errors import DomainError

pytestmark = pytest.mark.django_db


def test_domain_error_is_422_with_the_messages():
    request = RequestFactory().get("/api/v1/members")
    response = ninja_api.on_exception(request, DomainError(["First rule broken.", "Second rule broken."]))
    assert response.status_code == 422
    assert json.loads(response.content) == {"detail": ["First rule broken.", "Second rule broken."]}
    single = ninja_api.on_exception(request, DomainError("Only one."))
    assert json.loads(single.content) == {"detail": ["Only one."]}


def test_http404_is_json(api, cast, tree):
    request = RequestFactory().get("/api/v1/orgs/1")
    assert ninja_api.on_exception(request, Http404()).status_code == 404
    response = api(cast.outsider).get(f"/orgs/{tree.a.pk}")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail"}


def test_denied_list_is_403_json(api, cast):
    response = api(cast.nobody).get("/members")
    assert response.status_code == 403 and set(response.json()) == {"detail"}
    assert api(cast.office).get("/members").status_code == 200


def test_openapi_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/members/{member_id}/events" in schema.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn.jsdelivr" not in docs.content  # local static files, allowed by the CSP
    # Data endpoints are not open without a token.
    assert client.get("/api/v1/orgs").status_code == 401
