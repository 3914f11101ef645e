"""One format for every API error, in the caller's language (Vietnamese by default):

    {"detail": "<one sentence for a person>", "code": "<machine-readable>", "errors": [
        {"field": "<name or null>", "message": "<sentence>", "code": "<machine-readable>"}, ...]}

`code` is one of: invalid (400 a body that is not JSON, 422 values that do not parse: each field's problem in
`errors`), refused (422,
a business rule refused the change: each rule's message in `errors`), unauthorized (401), forbidden (403),
not_found (404, also an address that does not exist, e.g. with a trailing slash), method_not_allowed (405),
conflict (409, an update based on an older `version` of the record: `version` and `changes` list what changed),
throttled (429), idempotency_key_reused (422, an `Idempotency-Key` sent again with another request,
dangvu.api.idempotency), server_error (500), error (any other status). `errors` is always present (empty when there
is nothing more to say than `detail`).

`install(api)` registers the handlers on the NinjaAPI; `ApiErrorMiddleware` turns any other non-JSON error
under /api/ (Django's 404 for an unknown address, ninja's bare 405, a 500) into the same format.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from dangvu.lib.errors import DomainError
from dangvu.lib.versions import StaleEdit

API_PREFIX = "/api/"

CODES = {
    400: "invalid",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "throttled",
    500: "server_error",
}


def default_detail(status: int) -> str:
    return {
        400: _("The request could not be read."),
        401: _("Sign in first: send a valid access token (Authorization: Bearer …)."),
        403: _("You do not have access to this."),
        404: _("Not found."),
        405: _("This address does not accept this method."),
        409: _("The record changed since the version you sent; nothing was saved."),
        422: _("Some values are not valid."),
        429: _("Too many requests: wait a moment and try again."),
        500: _("Something went wrong on the server. The error was logged; try again later."),
    }.get(status, _("The request failed."))


def body(detail: str, code: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"detail": str(detail), "code": code, "errors": errors or []}


def json_error(status: int, detail: str | None = None, errors: list[dict[str, Any]] | None = None) -> JsonResponse:
    return JsonResponse(
        body(detail or default_detail(status), CODES.get(status, "error"), errors),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def not_found(request: HttpRequest) -> JsonResponse:
    """An address that does not exist under /api/; a trailing slash is named, since it is the usual cause."""
    path = request.path
    if path.endswith("/") and path.rstrip("/") and path.rstrip("/") + "/" == path:
        try:
            resolve(path.rstrip("/"))
        except Resolver404:
            pass
        else:
            return json_error(
                404,
                _("No such address: API addresses have no trailing slash (%(path)s).") % {"path": path.rstrip("/")},
            )
    return json_error(404, _("No such address in the API."))


# Pydantic's error types, with a sentence for people (its own messages are English).
def _validation_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This value is required.")
    if kind == "value_error" and str(ctx.get("error") or ""):
        # Our validators' own sentence (dangvu.api.types, the only ValueErrors of the schemas), translated when
        # raised; ninja hands the exception over as its text.
        return str(ctx["error"])
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("Give a whole number.")
    if kind in ("float_type", "float_parsing", "decimal_parsing"):
        return _("Give a number.")
    if kind in ("bool_type", "bool_parsing"):
        return _("Give true or false.")
    if kind.startswith("date") or kind.startswith("datetime") or kind.startswith("time"):
        return _("Give a date as yyyy-mm-dd (a time as HH:MM).")
    if kind in ("enum", "literal_error"):
        return _("Choose one of: %(expected)s.") % {"expected": ctx.get("expected", "")}
    if kind == "string_too_long":
        return _("At most %(n)s characters.") % {"n": ctx.get("max_length", "")}
    if kind == "string_too_short":
        return _("At least %(n)s characters.") % {"n": ctx.get("min_length", "")}
    if kind in ("greater_than_equal", "greater_than"):
        return _("The value must be at least %(n)s.") % {"n": ctx.get("ge", ctx.get("gt", ""))}
    if kind in ("less_than_equal", "less_than"):
        return _("The value must be at most %(n)s.") % {"n": ctx.get("le", ctx.get("lt", ""))}
    if kind == "string_type":
        return _("Give a text value.")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Give a list of values.")
    if kind in ("json_invalid", "model_attributes_type", "dict_type", "model_type"):
        return _("The request body is not valid JSON of the expected shape.")
    return _("This value is not valid.")


def _field(loc: Any) -> str | None:
    parts = [str(p) for p in (loc or [])]
    if parts and parts[0] == "body" and len(parts) > 2:
        parts = parts[2:]  # ("body", "payload", "sex") -> "sex"
    elif len(parts) > 1:
        parts = parts[1:]  # ("query", "limit") -> "limit"
    return ".".join(parts) or None


def validation_errors(exc: NinjaValidationError) -> list[dict[str, Any]]:
    return [
        {"field": _field(e.get("loc")), "message": _validation_message(e), "code": e.get("type") or "invalid"}
        for e in exc.errors
    ]


def domain_errors(exc: DomainError) -> list[dict[str, Any]]:
    rows = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                for message in error.messages:
                    rows.append(
                        {
                            "field": None if field in (NON_FIELD_ERRORS, "values") else field,
                            "message": message,
                            "code": error.code or "refused",
                        }
                    )
    else:
        for error in exc.error_list:
            for message in error.messages:
                rows.append({"field": None, "message": message, "code": error.code or "refused"})
    return rows


def install(api) -> None:
    """The handlers for every exception the API can meet (ninja's own defaults answer in English)."""

    def respond(
        request, status: int, detail: str | None = None, errors: list | None = None, code: str | None = None
    ) -> HttpResponse:
        payload = body(detail or default_detail(status), code or CODES.get(status, "error"), errors)
        return api.create_response(request, payload, status=status)

    @api.exception_handler(DomainError)
    def refused(request, exc: DomainError):
        errors = domain_errors(exc)
        detail = " ".join(row["message"] for row in errors) or default_detail(422)
        return respond(request, 422, detail, errors, code="refused")

    @api.exception_handler(StaleEdit)
    def conflict(request, exc: StaleEdit):
        # An update based on an older version (dangvu.lib.versions): 409 with each field changed meanwhile.
        errors = [
            {"field": c.field, "message": f"{c.label}: {c.based_on_text} → {c.current_text}", "code": "changed"}
            for c in exc.changes
        ]
        payload = body(exc.messages[0], "conflict", errors)
        payload.update(version=exc.version, changes=[c.as_dict() for c in exc.changes])
        return api.create_response(request, payload, status=409)

    @api.exception_handler(NinjaValidationError)
    def invalid(request, exc: NinjaValidationError):
        errors = validation_errors(exc)
        detail = _("Some values are not valid: %(fields)s.") % {
            "fields": ", ".join(dict.fromkeys(row["field"] or "?" for row in errors))
        }
        return respond(request, 422, detail, errors)

    @api.exception_handler(Http404)
    def missing(request, exc: Http404):
        return respond(request, 404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc: PermissionDenied):
        return respond(request, 403)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        status = exc.status_code
        # ninja's own exceptions carry English defaults; ours carry translated messages.
        # (400: a body that does not parse, "Cannot parse request body".)
        own = isinstance(exc, AuthenticationError | Throttled) or status == 400
        own = own or exc.message in ("Unauthorized", "Forbidden")
        return respond(request, status, None if own else exc.message)

    # Any other exception: ninja re-raises it (outside DEBUG), Django logs it and answers through handler500
    # (dangvu.web.errors), which is JSON under /api/.


class ApiErrorMiddleware:
    """Any error under /api/ that is not already JSON in the API's format is answered in that format
    (ninja answers a wrong method with a bare 405; Django's resolver 404 and 500 come from the site)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and is_api(request)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            if response.status_code == 404:
                return not_found(request)
            converted = json_error(response.status_code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    converted[header] = response[header]
            return converted
        return response
