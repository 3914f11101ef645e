"""Users, roles scoped to an organisation subtree (domain.md §1), and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    member = models.OneToOneField(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
        verbose_name=_("party member record"),
    )
    # Set with a temporary password from the committee office (dangvu.accounts.passwords): every page asks
    # for a new password until it is changed.
    must_change_password = models.BooleanField(_("must change the password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Role(models.TextChoices):
    OFFICE = "office", _("Committee office")  # Văn phòng / Ban Tổ chức
    INSPECTION = "inspection", _("Inspection committee")  # Ủy ban Kiểm tra
    CELL_SECRETARY = "cell_secretary", _("Cell secretary")  # Bí thư / Phó bí thư chi bộ
    LEADER = "leader", _("Standing committee / leader")  # Thường trực / Ban Thường vụ
    MEMBER = "member", _("Party member")  # Đảng viên
    ADMIN = "admin", _("System administrator")


STAFF_ROLES = {Role.OFFICE, Role.INSPECTION, Role.CELL_SECRETARY, Role.LEADER, Role.ADMIN}


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self) -> RoleAssignmentQuerySet:
        today = timezone.localdate()
        return self.filter(Q(valid_from__lte=today), Q(valid_to__isnull=True) | Q(valid_to__gt=today))


class RoleAssignment(models.Model):
    """A role held at an organisation node, valid for that node's whole (current) subtree.
    The administrator role has no organisation and covers the whole tree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    valid_from = models.DateField(_("from"), default=timezone.localdate)
    valid_to = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin") | Q(organisation__isnull=False), name="role_needs_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.organisation or '*'}"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """Bearer token for the REST API. Only a SHA-256 of the key is stored; the key is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    @classmethod
    def issue(cls, user, lifetime_hours: int = 12) -> tuple[ApiToken, str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            key_hash=hash_key(key),
            prefix=key[:8],
            expires_at=timezone.now() + timezone.timedelta(hours=lifetime_hours),
        )
        return token, key

    @classmethod
    def authenticate(cls, key: str):
        token = cls.objects.select_related("user").filter(key_hash=hash_key(key), expires_at__gt=timezone.now()).first()
        if token is None or not token.user.is_active:
            return None
        return token.user


class EnrolmentCode(models.Model):
    """A one-time code an administrator gives a staff member for the first enrolment of their authenticator
    app (issue 16 item 8): the password alone never shows the QR code. Only a SHA-256 of the code is kept;
    the row stays as the record of who issued it and when it was used (never deleted)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # None: issued on the command line (`dangvu two_factor issue`)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)  # a newer code or a reset replaced it

    class Meta:
        verbose_name = _("enrolment code")
        verbose_name_plural = _("enrolment codes")

    def __str__(self) -> str:
        return f"{self.user} @ {self.issued_at:%Y-%m-%d %H:%M}"

    @property
    def usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class TwoFactorEvent(models.Model):
    """The audit trail of two-factor enrolment: codes issued, enrolments, resets, refused code attempts
    (these also throttle the attempts, dangvu.accounts.enrolment)."""

    class Kind(models.TextChoices):
        CODE_ISSUED = "code_issued", _("Enrolment code issued")
        ENROLLED = "enrolled", _("Authenticator app enrolled")
        RESET = "reset", _("Authenticator app reset")
        REFUSED = "refused", _("Wrong enrolment code")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="two_factor_events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("two-factor event")
        verbose_name_plural = _("two-factor events")

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class PasswordRequest(models.Model):
    """A "forgot password" request from the log-in page (issue 9 item 17). Every submission is a row (the
    address throttle counts them); a row names the user only when the username exists, and only those are
    shown to the office of the user's committee, as a task, until a temporary password is set or the
    request is dismissed. The page answers the same whether or not the username exists."""

    class Outcome(models.TextChoices):
        RESET = "reset", _("Temporary password set")
        DISMISSED = "dismissed", _("Dismissed")

    username = models.CharField(max_length=150)  # as typed
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="password_requests"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the user's cell or role organisation: whose office handles it
    contact = models.CharField(max_length=200, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("password request")
        verbose_name_plural = _("password requests")

    def __str__(self) -> str:
        return f"{self.username} @ {self.requested_at:%Y-%m-%d %H:%M}"


class PasswordEvent(models.Model):
    """The audit trail of passwords set by the office: requests, temporary passwords (by whom), dismissed
    requests, and the change the user then made."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("New password requested")
        TEMPORARY = "temporary", _("Temporary password set")
        DISMISSED = "dismissed", _("Password request dismissed")
        CHANGED = "changed", _("Password changed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="password_events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("password event")
        verbose_name_plural = _("password events")

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.at:%Y-%m-%d %H:%M}"
