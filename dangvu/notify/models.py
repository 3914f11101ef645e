"""Notifications, their deliveries, the members' preferences, Web Push subscriptions, the daily activity
marks (digital adoption) and the two-way channel's questions (issue 14 items 6–8).

- `Notification`: one message to one user, shown in the bell and on the notifications page (the in-app
  channel). Unique per (recipient, key): asking twice for the same notice (a retried task, a repeated call)
  creates nothing new.
- `Delivery`: one per other channel the notification goes to (e-mail, Web Push, SMS), unique per
  (notification, channel); sent by a background task, retried with back-off, marked sent once and never sent
  again (dangvu.notify.delivery), or failed with the reason after the last attempt.
- `Preference`: per user, which channels besides the in-app one (always on) they want, and the SMS number.
- `PushSubscription`: a browser's Web Push endpoint and keys (used when VAPID keys and a sender are set).
- `ActiveDay`: a user used the platform on that day (dangvu.notify.activity): the digital adoption counts.
- `Question`: a member's question or opinion to their cell or a committee above it, answered and closed by
  that organisation's office or secretary (audited: simple-history).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the application")
    EMAIL = "email", _("E-mail")
    PUSH = "push", _("Web Push")
    SMS = "sms", _("SMS")


class Kind(models.TextChoices):
    MEETING_INVITATION = "meeting_invitation", _("Meeting invitation")
    MEETING_REMINDER = "meeting_reminder", _("Meeting reminder")
    DEADLINES = "deadlines", _("Deadlines due")
    QUESTION_RECEIVED = "question_received", _("Question received")
    QUESTION_ANSWERED = "question_answered", _("Question answered")
    GENERAL = "general", _("Notice")


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    key = models.CharField(max_length=200)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_latest"),
        ]

    def __str__(self) -> str:
        return self.title


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not delivered")


class Delivery(models.Model):
    notification = models.ForeignKey(Notification, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    via = models.CharField(max_length=100, blank=True)  # the backend that took it (e.g. "console" for SMS)
    done_targets = models.JSONField(default=list, blank=True)  # push subscriptions already accepted
    last_error = models.TextField(blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")]

    def __str__(self) -> str:
        return f"{self.notification_id}:{self.channel}"

    @property
    def key(self) -> str:
        return f"notify:{self.notification_id}:{self.channel}"


class Preference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notify_preference")
    email = models.BooleanField(_("by e-mail"), default=True)
    push = models.BooleanField(_("by Web Push"), default=True)
    sms = models.BooleanField(_("by SMS"), default=False)
    phone = models.CharField(_("mobile number for SMS"), max_length=20, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return str(self.user)


class PushSubscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.endpoint


class ActiveDay(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="active_days")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="active_day_once")]
        indexes = [models.Index(fields=["day", "user"], name="active_day_by_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class QuestionKind(models.TextChoices):
    QUESTION = "question", _("Question")
    OPINION = "opinion", _("Opinion or proposal")


class QuestionState(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Question(models.Model):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questions")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="questions")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="questions", verbose_name=_("addressed to")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.QUESTION)
    subject = models.CharField(pgettext_lazy("question", "subject"), max_length=200)
    text = models.TextField(_("text"))
    state = models.CharField(_("state"), max_length=10, choices=QuestionState.choices, default=QuestionState.OPEN)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.subject
