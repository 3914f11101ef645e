"""TOTP two-factor authentication (django-otp) for staff roles."""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.accounts.models import STAFF_ROLES, RoleAssignment


def needs_two_factor(user) -> bool:
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or RoleAssignment.objects.current().filter(user=user, role__in=STAFF_ROLES).exists()


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device shown during enrolment (created once, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="dangvu", confirmed=False)
    return device
