"""Issue 16 item 5: control, bidirectional and zero-width characters never reach a view from query
parameters or page forms (a NUL in a search parameter was a server error on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from dangvu.web.boundary import CleanInputMiddleware

pytestmark = pytest.mark.django_db

DIRTY = "Nguy\x00ễn\x07 Văn\x1b\u202e\u200b An"


@pytest.mark.parametrize(
    "url",
    [
        "/members/",
        "/members/export.xlsx",
        "/admission/",
        "/transfers/",
        "/meetings/",
        "/alerts/",
        "/orgs/",
    ],
)
def test_search_parameters_with_control_characters_are_no_server_error(client, cast, people, url):
    client.force_login(cast.office)
    response = client.get(url, {"q": DIRTY, "status": "\x00", "from": "\x00", "sort": "\u202e"})
    assert response.status_code == 200


def test_the_search_finds_what_the_clean_words_find(client, cast, people):
    client.force_login(cast.office)
    page = client.get("/members/", {"q": "Nguy\x00ễn Văn\u200b An"})
    assert "Nguyễn Văn An" in page.content.decode() and "Trần Thị Bình" not in page.content.decode()


def _through_middleware(request):
    seen = {}

    def view(req):
        seen["GET"], seen["POST"] = req.GET.copy(), req.POST.copy()
        return None

    CleanInputMiddleware(view)(request)
    return seen


def test_form_fields_are_cleaned_and_passwords_left_as_typed():
    request = RequestFactory().post("/members/1/edit/?q=a%00b", {"full_name": DIRTY, "password": "p\x07w"})
    seen = _through_middleware(request)
    assert seen["POST"]["full_name"] == "Nguyễn Văn An"
    assert seen["POST"]["password"] == "p\x07w"
    assert seen["GET"]["q"] == "ab"


def test_clean_input_is_left_alone_and_api_bodies_are_not_touched():
    request = RequestFactory().post("/members/1/edit/", {"full_name": "Nguyễn Văn An", "note": "dòng 1\r\ndòng 2\t!"})
    seen = _through_middleware(request)
    assert seen["POST"]["note"] == "dòng 1\r\ndòng 2\t!"
    api = RequestFactory().post(
        "/api/v1/candidates", "full_name=a%00b", content_type="application/x-www-form-urlencoded"
    )
    assert _through_middleware(api)["POST"]["full_name"] == "a\x00b"  # the API schemas refuse it (422)
