"""Conditional requests for the API's read endpoints used by the handbook's phones (issue 14 item 9): a GET
answered 200 carries an `ETag` (a hash of the body, so it changes exactly when what the caller sees changes —
including their own bookmarks — and differs between callers who see different things), `Cache-Control:
private, no-cache` (keep it, ask again) and `Vary: Authorization, Accept-Language`. A GET with
`If-None-Match` naming the current tag is answered `304 Not Modified` with no body.

Applied per operation: `@decorate_view(etag)` under the router's decorator, with `**NOT_MODIFIED` in its
`openapi_extra` so the schema documents the 304."""

from __future__ import annotations

import functools

from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag

NOT_MODIFIED = {
    "responses": {304: {"description": "Not modified: the `ETag` sent in `If-None-Match` is still current (no body)"}}
}


def etag(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
            return response
        set_response_etag(response)
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ("Authorization", "Accept-Language"))
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return wrapper
