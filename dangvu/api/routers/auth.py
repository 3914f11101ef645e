"""Tokens and the caller's identity: POST /auth/token, POST /auth/revoke, GET /me."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from dangvu.accounts.models import ApiToken, RoleAssignment
from dangvu.accounts.permissions import CAPABILITIES
from dangvu.accounts.scope import Scope
from dangvu.api.auth import token_hash
from dangvu.api.schemas import ErrorOut, MeOut, TokenIn, TokenOut
from dangvu.orgs.models import Organisation

router = Router(tags=["auth"])


@router.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut})
def issue_token(request, payload: TokenIn):
    """Exchange a username and password (and a TOTP code for staff when two-factor is on) for a
    bearer token valid 12 hours. Send it as `Authorization: Bearer <token>`."""
    from dangvu.accounts.twofactor import confirmed_device, needs_two_factor

    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise HttpError(401, _("Wrong username or password."))
    if user.must_change_password:  # a temporary password from the office (dangvu.accounts.passwords)
        raise HttpError(401, _("Sign in on the site and choose a new password first."))
    if needs_two_factor(user):
        device = confirmed_device(user)
        if device is None or not payload.otp or not device.verify_token(payload.otp):
            raise HttpError(401, _("A valid two-factor code is required."))
    token, key = ApiToken.issue(user)
    return {"token": key, "expires_at": token.expires_at.isoformat()}


@router.post("/auth/revoke", response={204: None})
def revoke_token(request):
    """Revoke the token used for this request. The row is kept (expired now) for the record."""
    ApiToken.objects.filter(key_hash=token_hash(request.auth_token_key), user=request.auth).update(
        expires_at=timezone.now()
    )
    return Status(204, None)


@router.get("/me", response=MeOut)
def me(request):
    """The signed-in user, their roles (each valid for an organisation's subtree) and, per capability,
    the organisation subtrees it covers. A plain member has `members.view` on their own record only."""
    user = request.auth
    roles = RoleAssignment.objects.current().filter(user=user).select_related("organisation")
    scopes = {capability: Scope.of(user, capability) for capability in CAPABILITIES}
    prefixes = {p for scope in scopes.values() for p in scope.prefixes}
    by_path = {o.path: o for o in Organisation.objects.filter(path__in=prefixes)} if prefixes else {}
    scope_rows = [
        {
            "capability": capability,
            "everything": scope.everything,
            "organisations": [by_path[p] for p in scope.prefixes if p in by_path],
        }
        for capability, scope in scopes.items()
        if not scope.empty
    ]
    if scopes["members.view"].empty and user.member_id:
        scope_rows.append(
            {"capability": "members.view", "everything": False, "organisations": [], "own_record_only": True}
        )
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
        "scopes": scope_rows,
    }
