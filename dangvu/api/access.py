"""Capability checks for list endpoints. Objects are fetched through dangvu.accounts.scope
(`get_*_or_404`), so an object outside the caller's scope is a 404 and never leaks its existence;
a list asked for without the capability is a 403."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja.errors import HttpError

from dangvu.accounts.scope import Scope


def require(request, capability: str) -> Scope:
    scope = Scope.of(request.auth, capability)
    if scope.empty:
        raise HttpError(403, _("You do not have access to this."))
    return scope
