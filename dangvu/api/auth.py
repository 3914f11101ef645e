"""Bearer-token authentication for the API (tokens: dangvu.accounts.models.ApiToken)."""

from __future__ import annotations

from ninja.security import HttpBearer

from dangvu.accounts.models import ApiToken
from dangvu.accounts.models import hash_key as token_hash  # the one hashing of token keys

__all__ = ["TokenAuth", "token_hash"]


class TokenAuth(HttpBearer):
    """An unknown, expired or revoked token, or an inactive user, is a 401."""

    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user  # scope helpers and the audit trail (simple-history) read request.user
            request.auth_token_key = token  # for POST /auth/revoke
        return user
