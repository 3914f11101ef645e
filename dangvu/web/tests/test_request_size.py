"""Issue 16 item 9: an oversized request is refused (413) by its Content-Length before its body is read."""

from __future__ import annotations

import io

import pytest
from django.test import RequestFactory

from dangvu.web.boundary import RequestSizeMiddleware, request_limit

pytestmark = pytest.mark.django_db


class Unreadable(io.RawIOBase):
    """A body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def _oversized(path: str, extra: int = 1):
    request = RequestFactory().post(path, b"", content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(request_limit(path) + extra)
    request._stream = Unreadable()
    return request


@pytest.mark.parametrize("path", ["/meetings/1/documents/add/", "/imports/", "/admission/1/steps/x/"])
def test_oversized_page_upload_is_413_unread(cast, path):
    request = _oversized(path)
    request.user = cast.office
    response = RequestSizeMiddleware(lambda r: pytest.fail("the view was reached"))(request)
    assert response.status_code == 413 and b"MB" in response.content


def test_oversized_api_body_is_413_json(client, cast):
    response = RequestSizeMiddleware(lambda r: pytest.fail("the view was reached"))(_oversized("/api/v1/candidates"))
    assert response.status_code == 413 and response["Content-Type"].startswith("application/json")


def test_a_request_at_the_limit_reaches_the_view(cast, settings):
    request = _oversized("/meetings/1/documents/add/", extra=0)
    assert RequestSizeMiddleware(lambda r: "view")(request) == "view"
    assert request_limit("/imports/") > settings.DANGVU_IMPORT_MAX_BYTES  # the file limit plus the form
    assert request_limit("/api/v1/meetings") == settings.DANGVU_API_MAX_BYTES


def test_oversized_request_through_the_whole_stack(client, cast, settings):
    settings.DANGVU_REQUEST_MAX_BYTES = 1000
    client.force_login(cast.office)
    response = client.post("/members/new/", {"full_name": "x" * 5000})
    assert response.status_code == 413
