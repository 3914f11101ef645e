"""The API's contract: the OpenAPI document lists every error status an operation can give, not only
the ones its router declared, so that a client (or a fuzzer such as schemathesis, see bench/api_fuzz.py)
never meets an undocumented status.

Per operation, when not declared already (all as the shared error body `ErrorOut`):
- 400 malformed request (a body that is not JSON, a header the server refuses);
- 401 missing, unknown, expired or revoked token (every operation that needs a token);
- 403 the caller's roles do not allow it (every operation that needs a token);
- 404 the object in the path is absent or outside the caller's scope (operations with path parameters);
- 409 the record changed since the `version` the update was based on (operations whose body carries a
  `version`: updates of party records, see dangvu.lib.versions);
- 413 the request body is larger than the server accepts (operations with a body);
- 414 the request line (the URL with its query) is longer than the web server accepts (gunicorn's 4,094
  bytes, docs/deployment.md): any operation, answered by the server before the application;
- 422 invalid parameters or body, or a refused change (operations with parameters or a body);
- 429 too many failed log-ins for this username and address (POST /auth/token).
"""

from __future__ import annotations

from ninja import NinjaAPI

ERRORS = {
    "400": "Malformed request",
    "401": "Missing, unknown, expired or revoked token",
    "403": "The caller's roles do not allow this",
    "404": "Absent, or outside the caller's scope",
    "409": "Changed by someone else since the version sent: nothing was written",
    "413": "Request body too large",
    "414": "URL too long: refused by the web server",
    "422": "Invalid parameters or body, or a change refused by a rule",
    "429": "Too many failed log-ins: locked for a while",
}
_METHODS = {"get", "post", "put", "patch", "delete"}


def _body_has_version(operation: dict, schema: dict) -> bool:
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    ref = body.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        body = schema.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[1], {})
    return "version" in body.get("properties", {})


def _codes(operation: dict, path: str, schema: dict | None = None) -> list[str]:
    params = operation.get("parameters", [])
    has_body = "requestBody" in operation
    codes = ["400"]
    if operation.get("security"):
        codes += ["401", "403"]
    if any(p.get("in") == "path" for p in params):
        codes.append("404")
    if has_body and _body_has_version(operation, schema or {}):
        codes.append("409")
    if has_body:
        codes.append("413")
    codes.append("414")
    if params or has_body:
        codes.append("422")
    if path.endswith("/auth/token"):
        codes.append("429")
    return codes


def document_errors(schema: dict, error_ref: str = "#/components/schemas/ErrorOut") -> dict:
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code in _codes(operation, path, schema):
                declared = responses.pop(int(code), None)  # a router's own declaration keeps its schema
                if declared is not None and code not in responses:
                    responses[code] = {**declared, "description": ERRORS[code]}
                body = {"application/json": {"schema": {"$ref": error_ref}}}
                if code == "414":  # the web server's own page, before the application
                    body = {"text/html": {"schema": {"type": "string"}}}
                responses.setdefault(code, {"description": ERRORS[code], "content": body})
    return schema


class DocumentedAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists the error statuses (see the module docstring)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return document_errors(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))
