"""One error format for the whole API: {"detail": a sentence in the caller's language, "code": a machine code,
"errors": [{"field", "message", "code"}]}, for every error: a refused change, invalid input, a bad token,
no access, nothing there, an address that does not exist (a trailing slash), a wrong method, a crash.
OpenAPI and the docs page are served."""

import json

import pytest
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import path

from dangvu.api.api import api as ninja_api
from dangvu.lib.errors import DomainError

pytestmark = pytest.mark.django_db


def assert_format(response, status: int, code: str):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    payload = json.loads(response.content)
    assert set(payload) == {"detail", "code", "errors"}
    assert isinstance(payload["detail"], str) and payload["detail"]
    assert payload["code"] == code and isinstance(payload["errors"], list)
    return payload


def test_domain_error_is_422_refused_with_each_message():
    request = RequestFactory().get("/api/v1/members")
    response = ninja_api.on_exception(request, DomainError(["First rule broken.", "Second rule broken."]))
    payload = assert_format(response, 422, "refused")
    assert payload["detail"] == "First rule broken. Second rule broken."
    assert [e["message"] for e in payload["errors"]] == ["First rule broken.", "Second rule broken."]
    by_field = ninja_api.on_exception(request, DomainError({"letter_number": [DomainError("Give it.", code="x")]}))
    assert json.loads(by_field.content)["errors"] == [{"field": "letter_number", "message": "Give it.", "code": "x"}]


def test_http404_is_json(api, cast, tree):
    request = RequestFactory().get("/api/v1/orgs/1")
    assert ninja_api.on_exception(request, Http404()).status_code == 404
    payload = assert_format(api(cast.outsider).get(f"/orgs/{tree.a.pk}"), 404, "not_found")
    assert payload["detail"] == "Không tìm thấy."


def test_denied_list_is_403_json(api, cast):
    payload = assert_format(api(cast.nobody).get("/members"), 403, "forbidden")
    assert payload["detail"] == "Bạn không có quyền truy cập nội dung này."
    assert api(cast.office).get("/members").status_code == 200


def test_missing_or_bad_token_is_401_in_vietnamese(client, api):
    payload = assert_format(client.get("/api/v1/orgs"), 401, "unauthorized")
    assert "Unauthorized" not in payload["detail"]
    assert_format(api(key="not-a-token").get("/orgs"), 401, "unauthorized")
    wrong = assert_format(
        client.post("/api/v1/auth/token", {"username": "x", "password": "y"}, content_type="application/json"),
        401,
        "unauthorized",
    )
    assert wrong["detail"] == "Sai tên đăng nhập hoặc mật khẩu."


def test_invalid_input_names_each_field_in_vietnamese(client, api, cast, tree):
    response = api(cast.office).get("/members", limit="many")
    payload = assert_format(response, 422, "invalid")
    assert payload["errors"] == [{"field": "limit", "message": "Nhập một số nguyên.", "code": "int_parsing"}]
    assert "limit" in payload["detail"]
    body = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert assert_format(body, 400, "invalid")["detail"] == "Không đọc được yêu cầu."
    missing = assert_format(
        client.post("/api/v1/auth/token", {"username": "x"}, content_type="application/json"), 422, "invalid"
    )
    assert {"field": "password", "message": "Cần nhập giá trị này.", "code": "missing"} in missing["errors"]


def test_our_validators_keep_their_own_message(api, cast, tree):
    """A value refused by dangvu.api.types says why (not the generic "not valid"), in the caller's language."""
    office = api(cast.office)
    cases = {
        "01/02/2024": "Nhập ngày theo dạng yyyy-mm-dd.",
        "1899-12-31": "Nhập ngày trong khoảng 1900-01-01 đến 2100-12-31.",
    }
    for value, message in cases.items():
        payload = assert_format(office.get(f"/orgs/{tree.a.pk}/members-count", date=value), 422, "invalid")
        assert payload["errors"] == [{"field": "date", "message": message, "code": "value_error"}]
    # In a body (search parameters are stripped of such characters instead: test_hardening).
    candidate = {"organisation_id": tree.c1.pk, "full_name": "\u202eLê Văn Mới", "sex": "M"}
    candidate |= {"birth_date": "1999-01-01", "date": "2024-01-01"}
    unsafe = assert_format(office.post("/candidates", candidate), 422, "invalid")
    assert unsafe["errors"] == [
        {
            "field": "full_name",
            "message": "Không được dùng ký tự điều khiển, ký tự đảo chiều hay ký tự độ rộng 0 (U+202E).",
            "code": "value_error",
        }
    ]


def test_english_caller_gets_english(client):
    client.cookies["django_language"] = "en"
    payload = assert_format(client.get("/api/v1/orgs"), 401, "unauthorized")
    assert payload["detail"].startswith("Sign in first")
    assert assert_format(client.get("/api/v1/members/"), 404, "not_found")["detail"].startswith("No such address")


def test_trailing_slash_and_unknown_address_are_json(api, cast):
    for user in (None, cast.office):
        payload = assert_format(api(user).get("/members/"), 404, "not_found")
        assert "/api/v1/members" in payload["detail"] and "dấu /" in payload["detail"]
    unknown = assert_format(api(cast.office).get("/nothing-here"), 404, "not_found")
    assert unknown["detail"] == "Không có địa chỉ này trong API."


def test_wrong_method_is_json(api, cast):
    response = api(cast.office).post("/members")
    payload = assert_format(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"] and payload["detail"]


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [path("api/v1/crash", crash), path("crash", crash)]


@pytest.mark.urls(__name__)
def test_a_crash_under_the_api_is_json_500():
    client = Client(raise_request_exception=False)
    assert_format(client.get("/api/v1/crash"), 500, "server_error")


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
