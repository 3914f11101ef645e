"""`Idempotency-Key` on the API's creating endpoints (issue 16 item 11): a client that repeats a POST (a
time-out, a retry, a double tap) gets the first answer again instead of a second meeting or file.

    @router.post("/meetings", ...)
    @idempotent
    def create_meeting(request, payload: MeetingIn): ...

With the header (1 to 255 visible ASCII characters, e.g. a UUID chosen by the client per intended
creation) the operation runs in one transaction that first writes the key (`IdempotencyKey`, unique per
user and key) and then the creation; the answer (status, JSON body) is stored with the key when it is a
success (2xx). An error answer (invalid body, refused by a rule, 403, 404) stores nothing: the key stays
free and the corrected request may use it.

- the same key, the same request (method, path, JSON body compared after parsing, so key order and spaces
  do not matter): the stored answer, byte for byte, with `Idempotent-Replayed: true`; nothing is written;
- the same key with another request: 422 `idempotency_key_reused`, nothing is written;
- concurrent repeats: on PostgreSQL the second insert of the key waits for the first transaction and then
  finds its stored answer; on SQLite writers take turns;
- keys are per user (another user's key of the same value is another key) and forgotten after
  `DANGVU_ONCE_HOURS` (hourly, dangvu/api/jobs.py): a repeat after that creates again.

Without the header an operation behaves as before. The header is documented on each operation in the
OpenAPI document (the decorator adds it).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.decorators import decorate_view
from ninja.utils import contribute_operation_callback

from dangvu.api import errors

HEADER = "Idempotency-Key"
MAX_LENGTH = 255
REUSED = "idempotency_key_reused"
PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "description": "A key chosen by the client for this one creation (e.g. a UUID). Repeating the request with "
    "the same key returns the first answer (status and body, header `Idempotent-Replayed: true`) without "
    "creating again; the same key with another request is refused (422, code `idempotency_key_reused`). Keys "
    "are per user and kept for a day (DANGVU_ONCE_HOURS, 24 by default).",
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH, "pattern": "^[\\x21-\\x7e]+$"},
}
_ROW = "_dangvu_idempotency_row"


def _valid(key: str) -> bool:
    return 0 < len(key) <= MAX_LENGTH and all(0x21 <= ord(c) <= 0x7E for c in key)


def fingerprint(request: HttpRequest) -> str:
    raw = request.body
    try:
        canonical = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    except (ValueError, UnicodeDecodeError):
        canonical = raw
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), canonical):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def _error(detail: str, code: str) -> JsonResponse:
    return JsonResponse(
        errors.body(detail, code, [{"field": HEADER, "message": detail, "code": code}]),
        status=422,
        json_dumps_params={"ensure_ascii": False},
    )


def _replay(row) -> HttpResponse:
    response = HttpResponse(row.body, status=row.status, content_type=row.content_type or "application/json")
    response["Idempotent-Replayed"] = "true"
    return response


def _claim(request: HttpRequest, key: str) -> object:
    """The new key's row (the request goes ahead), or the answer to give instead."""
    from dangvu.api.models import IdempotencyKey

    if not _valid(key):
        return _error(_("The Idempotency-Key header must be 1 to 255 visible ASCII characters."), "invalid")
    mark = fingerprint(request)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(user=request.auth, key=key, fingerprint=mark)
        except IntegrityError:
            # Taken: on PostgreSQL the insert waited until the first request's transaction committed.
            row = IdempotencyKey.objects.filter(user=request.auth, key=key).first()
        if row is None:  # the first request's transaction was rolled back meanwhile: try again
            continue
        if row.fingerprint != mark:
            return _error(_("This Idempotency-Key was already used for another request; nothing was written."), REUSED)
        if row.status is not None:
            return _replay(row)
    return _error(_("This Idempotency-Key is in use by a request that has not finished; try again."), REUSED)


def _run_in_transaction(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wraps the operation's whole run (authentication, the view, serialisation) when the header is sent:
    the key's row and the creation commit together, with the answer stored on success."""

    @functools.wraps(run)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if HEADER not in request.headers:
            return run(request, *args, **kwargs)
        with transaction.atomic():
            response = run(request, *args, **kwargs)
            row = getattr(request, _ROW, None)
            if row is not None and not transaction.get_connection().needs_rollback:
                if 200 <= response.status_code < 300 and not response.streaming:
                    row.status = response.status_code
                    row.body = response.content.decode()
                    row.content_type = response.get("Content-Type", "")[:100]
                    row.save(update_fields=["status", "body", "content_type"])
                else:
                    row.delete()
        return response

    return wrapped


def _document(operation) -> None:
    extra = dict(operation.openapi_extra or {})
    extra["parameters"] = [*extra.get("parameters", []), PARAMETER]
    operation.openapi_extra = extra


def idempotent(view: Callable) -> Callable:
    """Put under `@router.post(...)` of an operation that creates (see the module)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(request, *args, **kwargs)
        claimed = _claim(request, key)
        if isinstance(claimed, HttpResponse):
            return claimed
        setattr(request, _ROW, claimed)
        return view(request, *args, **kwargs)

    contribute_operation_callback(wrapped, _document)
    return decorate_view(_run_in_transaction)(wrapped)


def forget(now: dt.datetime | None = None) -> int:
    """Remove the keys older than DANGVU_ONCE_HOURS."""
    from dangvu.api.models import IdempotencyKey

    cutoff = (now or timezone.now()) - dt.timedelta(hours=settings.DANGVU_ONCE_HOURS)
    return IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()[0]
