"""Spent one-time form tokens (issue 16 item 11, dangvu.web.once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SpentFormToken(models.Model):
    """A creating form's token, written in the transaction that created what the form asked for: a second
    post of the same form finds it (the unique key) and is sent to `location` instead of creating again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    issued_at = models.DateTimeField()
    spent_at = models.DateTimeField(default=timezone.now, db_index=True)
    location = models.CharField(max_length=2000)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="web_form_token_once")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.token[:8]}"
