"""Two-factor enrolment with a code from the office (issue 16 item 8): whoever has a staff member's password
must not be able to enrol their own authenticator app.

- An administrator (role `admin` or a superuser; the first one with `dangvu two_factor issue <username>` on
  the server) issues a one-time **enrolment code** for a user (`issue_code`): shown once, stored as a
  SHA-256, valid `DANGVU_ENROLMENT_CODE_HOURS` (72), single use; a new code or a reset revokes the older one.
  Issuing also drops any unconfirmed device, so a secret shown before is never the one enrolled.
- The enrolment page asks for the code first (`check_code`); only then does it show the QR code, and the
  code is spent in the transaction that confirms the device (`enrol`). Wrong, expired, used or revoked
  codes are refused alike; `DANGVU_ENROLMENT_ATTEMPTS` refusals within `DANGVU_ENROLMENT_WINDOW_MINUTES`
  block further attempts (counted in the database: the same in every process).
- `reset_device` removes the user's devices (the sessions verified with them are no longer verified) and
  revokes their codes: the user must enrol again, with a new code.

Every step writes a `TwoFactorEvent` (who, what, by whom, when), the audit trail of enrolment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.accounts.models import EnrolmentCode, TwoFactorEvent
from dangvu.accounts.scope import has_capability

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out or typed from paper
GROUPS, GROUP = 3, 4  # XXXX-XXXX-XXXX: 60 bits


def may_manage(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_capability(user, "accounts.two_factor")


def normalise(code: str) -> str:
    return "".join(c for c in str(code).upper() if c.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP))
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def _event(user, kind: str, actor=None) -> None:
    TwoFactorEvent.objects.create(user=user, kind=kind, actor=actor)


def issue_code(user, actor=None) -> tuple[str, EnrolmentCode]:
    """A fresh code for `user` (the plain code is returned here only: show it once)."""
    with transaction.atomic():
        now = timezone.now()
        EnrolmentCode.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        code = _new_code()
        row = EnrolmentCode.objects.create(
            user=user,
            code_hash=code_hash(code),
            issued_by=actor,
            issued_at=now,
            expires_at=now + dt.timedelta(hours=settings.DANGVU_ENROLMENT_CODE_HOURS),
        )
        _event(user, TwoFactorEvent.Kind.CODE_ISSUED, actor)
    return code, row


def reset_device(user, actor=None) -> int:
    """Remove the user's authenticator devices and revoke their codes; returns how many devices went."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        EnrolmentCode.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        _event(user, TwoFactorEvent.Kind.RESET, actor)
    return removed


def throttled(user) -> bool:
    since = timezone.now() - dt.timedelta(minutes=settings.DANGVU_ENROLMENT_WINDOW_MINUTES)
    refused = TwoFactorEvent.objects.filter(user=user, kind=TwoFactorEvent.Kind.REFUSED, at__gte=since).count()
    return refused >= settings.DANGVU_ENROLMENT_ATTEMPTS


def check_code(user, code: str) -> EnrolmentCode | None:
    """The user's usable code matching `code` (not spent yet), or None (the refusal is recorded)."""
    row = EnrolmentCode.objects.filter(user=user, code_hash=code_hash(code)).first()
    if row is None or not row.usable:
        _event(user, TwoFactorEvent.Kind.REFUSED)
        return None
    return row


def enrol(user, code_id: int, device: TOTPDevice) -> bool:
    """Spend the code and confirm the device in one transaction; False when the code is no longer usable
    (expired, used or revoked since it was entered)."""
    with transaction.atomic():
        row = EnrolmentCode.objects.select_for_update().filter(pk=code_id, user=user).first()
        if row is None or not row.usable:
            return False
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        _event(user, TwoFactorEvent.Kind.ENROLLED)
    return True
