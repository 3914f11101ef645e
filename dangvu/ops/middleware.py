"""Request id and one structured log line per request.

The id comes from the proxy's `X-Request-ID` header when it is a plausible id, else it is generated; it is
bound to every log record written while the request runs (dangvu.lib.logs) and returned in the response's
`X-Request-ID` header, so a user's report, the proxy log and the application log meet on one value.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from dangvu.lib.logs import bind

log = logging.getLogger("dangvu.requests")
_VALID = re.compile(r"[A-Za-z0-9._:-]{8,64}")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _VALID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id
        started = time.perf_counter()
        with bind(request_id=request_id):
            response = self.get_response(request)
            user = getattr(request, "user", None)
            log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
        response["X-Request-ID"] = request_id
        return response
