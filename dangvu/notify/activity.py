"""Daily activity marks (issue 14 item 8): a user who signs in, or whose pages ask for the bell's count (every
page of the site does, once per page), or who reads their notifications through the API, is marked active on
that day. One row per user and day (`ActiveDay`); the shared cache remembers the mark for the rest of the
day, so a day costs one insert per user (per process when the cache is the local memory one)."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from dangvu.notify.models import ActiveDay


def mark_active(user, day: dt.date | None = None) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        return
    day = day or timezone.localdate()
    if cache.add(f"dangvu:active:{user.pk}:{day.isoformat()}", 1, timeout=24 * 3600):
        ActiveDay.objects.bulk_create([ActiveDay(user=user, day=day)], ignore_conflicts=True)


def on_login(sender, request, user, **kwargs) -> None:
    mark_active(user)
