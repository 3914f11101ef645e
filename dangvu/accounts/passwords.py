"""Forgotten passwords: a request from the log-in page, a temporary password from the committee office
(issue 9 item 17). No e-mail: the office knows its people and gives the temporary password in person or by
telephone.

- `request_password` records what was typed. The page's answer is the same whether or not the username
  exists (no enumeration); only a row that names an existing, active user becomes a task for the office.
  Requests are throttled per address (`DANGVU_PASSWORD_REQUESTS_PER_HOUR`, counted in the database so every
  process agrees), whatever the username.
- The office whose scope (`accounts.password_reset`: office, administrator) covers **every** organisation
  of the user (the member record's cell and each current role) may set a temporary password
  (`set_temporary_password`): random, shown once, it must be changed at the next log-in
  (`User.must_change_password`, enforced by `PasswordChangeMiddleware` and the API's token endpoint). An
  administrator's or superuser's password is set by an administrator only; nobody resets their own here.
  Setting it ends the user's sessions (Django's session hash follows the password) and API tokens.
- Every step writes a `PasswordEvent` (who, what, by whom, when).
- Daily (`forget`, dangvu/accounts/jobs.py): requests for unknown usernames go after `UNKNOWN_DAYS` (they only
  served the throttle), and the address of every request is blanked after `ADDRESS_DAYS` (personal data kept
  no longer than needed, Nghị định 13/2023/NĐ-CP).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.models import ApiToken, PasswordEvent, PasswordRequest, Role, RoleAssignment
from dangvu.accounts.scope import Scope
from dangvu.alerts.sources import KIND_LABELS, Alert, source
from dangvu.lib.errors import DomainError

CAPABILITY = "accounts.password_reset"
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read out on the telephone
LENGTH = 12
UNKNOWN_DAYS = 7
ADDRESS_DAYS = 30
KIND = "password_request"
KIND_LABELS[KIND] = _("Password to reset")


def _event(user, kind: str, actor=None) -> None:
    PasswordEvent.objects.create(user=user, kind=kind, actor=actor)


def _roles_of(users) -> dict[int, list]:
    """{user id: [(role, organisation)]} of the current roles of these users (one query)."""
    found: dict[int, list] = {u.pk: [] for u in users}
    for a in RoleAssignment.objects.current().filter(user__in=list(found)).select_related("organisation"):
        found[a.user_id].append((a.role, a.organisation))
    return found


def organisations_of(user, roles: list | None = None) -> list:
    """The organisations a user belongs to: the member record's cell and each current role's organisation."""
    roles = _roles_of([user])[user.pk] if roles is None else roles
    orgs = [org for _role, org in roles]
    if user.member_id:
        orgs.append(user.member.organisation)
    return [o for o in orgs if o is not None]


def may_reset(actor, target, roles: list | None = None) -> bool:
    """The actor's office covers every organisation of the target (an administrator: anyone but
    themselves); administrators' passwords are set by administrators only. `roles`: the target's current
    roles when already read (`_roles_of`)."""
    if target.pk == actor.pk or not target.is_active:
        return False
    if actor.is_superuser:
        return True
    scope = Scope.of(actor, CAPABILITY)
    if scope.empty:
        return False
    roles = _roles_of([target])[target.pk] if roles is None else roles
    if target.is_superuser or any(role == Role.ADMIN for role, _org in roles):
        return scope.everything
    orgs = organisations_of(target, roles)
    if not orgs:
        return scope.everything
    return all(scope.covers_path(o.path) for o in orgs)


def throttled(address: str | None) -> bool:
    since = timezone.now() - dt.timedelta(hours=1)
    return (
        PasswordRequest.objects.filter(address=address, requested_at__gte=since).count()
        >= settings.DANGVU_PASSWORD_REQUESTS_PER_HOUR
    )


def request_password(username: str, contact: str, address: str | None) -> None:
    """Record a request (the caller answers the same in every case)."""
    typed = username.strip()[:150]
    user = get_user_model().objects.filter(username__iexact=typed, is_active=True).select_related("member").first()
    with transaction.atomic():
        orgs = organisations_of(user) if user else []
        # The deepest organisation: the office whose scope covers it is the nearest one.
        org = max(orgs, key=lambda o: len(o.path)) if orgs else None
        PasswordRequest.objects.create(
            username=typed, user=user, organisation=org, contact=contact.strip()[:200], address=address
        )
        if user is not None:
            _event(user, PasswordEvent.Kind.REQUESTED)


def forget(now: dt.datetime | None = None) -> int:
    """Delete the old requests for unknown usernames, blank old addresses; returns the rows deleted."""
    now = now or timezone.now()
    with transaction.atomic():
        deleted = PasswordRequest.objects.filter(
            user__isnull=True, requested_at__lt=now - dt.timedelta(days=UNKNOWN_DAYS)
        ).delete()[0]
        PasswordRequest.objects.filter(
            address__isnull=False, requested_at__lt=now - dt.timedelta(days=ADDRESS_DAYS)
        ).update(address=None)
    return deleted


def open_requests(actor):
    """Open requests of the users the actor may reset, newest first, one per user."""
    scope = Scope.of(actor, CAPABILITY)
    if scope.empty and not actor.is_superuser:
        return []
    rows = PasswordRequest.objects.filter(user__isnull=False, handled_at__isnull=True)
    if not (scope.everything or actor.is_superuser):
        rows = rows.filter(scope.q("organisation__path"))
    rows = list(
        rows.select_related("user", "user__member__organisation", "organisation").order_by("-requested_at")[:500]
    )
    roles = _roles_of({row.user for row in rows})
    seen, result = set(), []
    for row in rows:
        if row.user_id in seen or not may_reset(actor, row.user, roles[row.user_id]):
            continue
        seen.add(row.user_id)
        result.append(row)
    return result


def _new_password() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def set_temporary_password(actor, target) -> str:
    """A new temporary password for `target` (returned here only: show it once)."""
    if not may_reset(actor, target):
        raise DomainError(_("You may not set the password of this user."))
    password = _new_password()
    with transaction.atomic():
        now = timezone.now()
        target.set_password(password)
        target.must_change_password = True
        target.save(update_fields=["password", "must_change_password"])
        ApiToken.objects.filter(user=target, expires_at__gt=now).update(expires_at=now)
        PasswordRequest.objects.filter(user=target, handled_at__isnull=True).update(
            handled_at=now, handled_by=actor, outcome=PasswordRequest.Outcome.RESET
        )
        _event(target, PasswordEvent.Kind.TEMPORARY, actor)
    return password


def dismiss(actor, target) -> None:
    """Close the user's open requests without changing the password (a request the user did not make)."""
    if not may_reset(actor, target):
        raise DomainError(_("You may not set the password of this user."))
    with transaction.atomic():
        PasswordRequest.objects.filter(user=target, handled_at__isnull=True).update(
            handled_at=timezone.now(), handled_by=actor, outcome=PasswordRequest.Outcome.DISMISSED
        )
        _event(target, PasswordEvent.Kind.DISMISSED, actor)


def password_changed(user) -> None:
    """The user chose their own password (after a temporary one)."""
    with transaction.atomic():
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        _event(user, PasswordEvent.Kind.CHANGED, user)


@source
def password_requests(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    """Open requests for the office that handles them: due the day they were made."""
    if Scope.of(user, CAPABILITY).empty and not getattr(user, "is_superuser", False):
        return []
    alerts = []
    for row in open_requests(user):
        day = timezone.localdate(row.requested_at)
        alerts.append(
            Alert(
                KIND,
                row.user.get_full_name() or row.user.username,
                str(_("asks for a new password (user %(username)s)")) % {"username": row.user.username},
                row.organisation_id or 0,
                row.organisation.name if row.organisation else "",
                day,
                day < today,
                reverse("accounts:password_requests"),
                row.pk,
            )
        )
    return alerts


def user_to_reset(actor, username: str):
    """The active user with this username whom the actor may reset, or None (not found and not allowed
    look the same)."""
    user = get_user_model().objects.filter(Q(username__iexact=username.strip()), is_active=True).first()
    return user if user is not None and may_reset(actor, user) else None
