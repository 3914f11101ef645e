"""REST API /api/v1/ (django-ninja). Same scope rules as the pages: every query goes through
dangvu.accounts.scope. Routers per domain are added in dangvu/api/routers/."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from dangvu.accounts.models import ApiToken, RoleAssignment


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user  # scope helpers and the audit trail read request.user
        return user


api = NinjaAPI(title="dangvu API", version="1", urls_namespace="api", auth=TokenAuth(), docs_url="/docs")


class TokenIn(Schema):
    username: str
    password: str
    otp: str | None = None


class TokenOut(Schema):
    token: str
    expires_at: str


@api.post("/auth/token", auth=None, response=TokenOut, tags=["auth"])
def issue_token(request, payload: TokenIn):
    """Exchange a username and password (and a TOTP code for staff when two-factor is on) for a token."""
    from dangvu.accounts.twofactor import confirmed_device, needs_two_factor

    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise HttpError(401, _("Wrong username or password."))
    if needs_two_factor(user):
        device = confirmed_device(user)
        if device is None or not payload.otp or not device.verify_token(payload.otp):
            raise HttpError(401, _("A valid two-factor code is required."))
    token, key = ApiToken.issue(user)
    return {"token": key, "expires_at": token.expires_at.isoformat()}


class RoleOut(Schema):
    role: str
    role_label: str
    organisation_id: int | None
    organisation_code: str | None
    organisation_name: str | None


class MeOut(Schema):
    username: str
    full_name: str
    member_id: int | None
    roles: list[RoleOut]


@api.get("/me", response=MeOut, tags=["auth"])
def me(request):
    """The signed-in user, their roles and the organisation (subtree) each role applies to."""
    user = request.auth
    roles = RoleAssignment.objects.current().filter(user=user).select_related("organisation")
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "member_id": user.member_id,
        "roles": [
            {
                "role": r.role,
                "role_label": str(r.get_role_display()),
                "organisation_id": r.organisation_id,
                "organisation_code": r.organisation.code if r.organisation else None,
                "organisation_name": r.organisation.name if r.organisation else None,
            }
            for r in roles
        ],
    }
