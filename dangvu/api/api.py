"""REST API /api/v1/ (django-ninja). Same scope rules as the pages: every query goes through
dangvu.accounts.scope. One router per domain in dangvu/api/routers/; schemas in dangvu/api/schemas.py.

OpenAPI: /api/v1/openapi.json, interactive docs: /api/v1/docs. The schema is pinned by
dangvu/api/openapi.snapshot.json (see dangvu/api/tests/test_openapi.py) so API changes are deliberate.

Errors are JSON `{"detail": ...}`: 401 bad or missing token, 403 missing capability on a list, 404 object
outside scope or absent, 422 a refused change (DomainError: the list of messages) or invalid parameters.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from dangvu.api.auth import TokenAuth
from dangvu.api.routers import admission, alerts, auth, meetings, members, orgs, transfers
from dangvu.lib.errors import DomainError

api = NinjaAPI(
    title="dangvu API",
    version="1",
    description="Party-affairs records of the caller's organisation subtrees. Authenticate with a bearer token "
    "from POST /auth/token.",
    urls_namespace="api",
    auth=TokenAuth(),
    docs_url="/docs",
)
api.add_router("", auth.router)
api.add_router("", orgs.router)
api.add_router("", members.router)
api.add_router("", admission.router)
api.add_router("", transfers.router)
api.add_router("", alerts.router)
api.add_router("", meetings.router)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    """A business rule refused the change: 422 with the (translated) messages."""
    return api.create_response(request, {"detail": exc.messages}, status=422)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": _("You do not have access to this.")}, status=403)
