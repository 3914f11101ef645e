"""Idempotency keys of the API's creating requests (issue 16 item 11, dangvu.api.idempotency)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class IdempotencyKey(models.Model):
    """One `Idempotency-Key` of one user, written in the transaction of the creation it guarded, with the
    answer given (status and JSON body) so that a repeat of the request gets the same answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of method, path and the canonical JSON body
    status = models.PositiveSmallIntegerField(null=True)
    body = models.TextField(blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_key_once")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
