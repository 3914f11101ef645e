"""The input boundary of every request (issue 16 items 5, 9, 13).

- `CleanInputMiddleware`: query parameters of every request, and the fields of page forms, lose the
  characters of `dangvu.lib.cleaning` (NUL, other controls, bidirectional overrides, zero-width characters)
  before any view sees them. A NUL in a search parameter used to be a server error on PostgreSQL; a
  bidirectional override in a name made it display differently from what was stored. Password fields are
  left as typed (never stored or shown). API bodies are JSON and refused by the schemas (dangvu.api.types).
- `RequestSizeMiddleware`: a request whose declared body (Content-Length) is larger than its address
  accepts is refused with 413 before anything reads it (an oversized upload was received whole, then
  refused by the form): the API at most `DANGVU_API_MAX_BYTES`, member imports at most their file limit plus
  the form, every other page at most `DANGVU_REQUEST_MAX_BYTES` (documents and scans: 20 MB plus the form).
- `PermissionsPolicyMiddleware`: the browser features the site never uses are switched off for it and
  for anything it frames.
"""

from __future__ import annotations

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from dangvu.api.errors import json_error
from dangvu.lib.cleaning import UNSAFE

FORM_OVERHEAD = 1024 * 1024  # the other fields and the multipart framing around a file

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


def _cleaned(data: QueryDict) -> QueryDict | None:
    """A cleaned copy, or None when nothing needed cleaning (the common case costs one scan)."""
    dirty = any(
        UNSAFE.search(key) or any(UNSAFE.search(v) for v in values)
        for key, values in data.lists()
        if "password" not in key
    )
    if not dirty:
        return None
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        if "password" in key:
            cleaned.setlist(key, values)
        else:
            cleaned.setlist(UNSAFE.sub("", key), [UNSAFE.sub("", v) for v in values])
    cleaned._mutable = False
    return cleaned


class CleanInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = _cleaned(request.GET)
        if query is not None:
            request.GET = query
        if request.method == "POST" and not request.path.startswith("/api/") and request.content_type in _FORM_TYPES:
            form = _cleaned(request.POST)
            if form is not None:
                files = request.FILES
                request.POST = form
                request._files = files
        return self.get_response(request)


def request_limit(path: str) -> int:
    if path.startswith("/api/"):
        return int(settings.DANGVU_API_MAX_BYTES)
    if path.startswith("/imports/"):
        return int(settings.DANGVU_IMPORT_MAX_BYTES) + FORM_OVERHEAD
    return int(settings.DANGVU_REQUEST_MAX_BYTES)


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}"


class RequestSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = request_limit(request.path)
        if declared > limit:
            message = _("The request is larger than %(mb)s MB, the most this address accepts.") % {
                "mb": _megabytes(limit)
            }
            if request.path.startswith("/api/"):
                return json_error(413, message)
            context = {"status": 413, "title": _("The file is too large"), "message": message, "back": None}
            return render(request, "web/error.html", context, status=413)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
