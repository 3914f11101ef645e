"""REST API /api/v1/ (django-ninja). Same scope rules as the pages: every query goes through
dangvu.accounts.scope. One router per domain in dangvu/api/routers/; schemas in dangvu/api/schemas.py.

OpenAPI: /api/v1/openapi.json, interactive docs: /api/v1/docs. The schema is pinned by
dangvu/api/openapi.snapshot.json (see dangvu/api/tests/test_openapi.py) so API changes are deliberate.

Errors are JSON in one format (dangvu/api/errors.py): `{"detail": "<Vietnamese sentence>", "code": "<machine
code>", "errors": [{"field", "message", "code"}]}`: 401 bad or missing token, 403 missing capability on a list,
404 object outside scope or absent (or an address that does not exist, e.g. with a trailing slash), 422
`refused` (a business rule, DomainError) or `invalid` (the request does not parse).
"""

from __future__ import annotations

from dangvu.api import errors
from dangvu.api.auth import TokenAuth
from dangvu.api.contract import DocumentedAPI
from dangvu.api.routers import (
    admission,
    alerts,
    auth,
    congress,
    discipline,
    docregister,
    fees,
    inspection,
    letters,
    library,
    meetings,
    members,
    notify,
    orgs,
    reviews,
    reviews_orgs,
    study,
    targets,
    transfers,
)

api = DocumentedAPI(
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
api.add_router("", reviews_orgs.router)  # before reviews' /reviews/{review_id}
api.add_router("", reviews.router)
api.add_router("", inspection.router)
api.add_router("", discipline.router)
api.add_router("", letters.router)
api.add_router("", docregister.router)
api.add_router("", targets.router)
api.add_router("", study.router)
api.add_router("", notify.router)
api.add_router("", congress.router)
api.add_router("", library.router)
api.add_router("", fees.router)


errors.install(api)
