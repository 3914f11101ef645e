"""The input boundary of every request (issue 16 items 5, 9, 13).

- `CleanInputMiddleware`: query parameters of every request, and the fields of page forms, lose the
  characters of `dangvu.lib.cleaning` (NUL, other controls, bidirectional overrides, zero-width characters)
  before any view sees them. A NUL in a search parameter used to be a server error on PostgreSQL; a
  bidirectional override in a name made it display differently from what was stored. Password fields are
  left as typed (never stored or shown). API bodies are JSON and refused by the schemas (dangvu.api.types).
- `PermissionsPolicyMiddleware`: the browser features the site never uses are switched off for it and
  for anything it frames.
"""

from __future__ import annotations

from django.http import QueryDict

from dangvu.lib.cleaning import UNSAFE

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


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
