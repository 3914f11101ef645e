"""Hourly: forget the API's Idempotency-Keys older than DANGVU_ONCE_HOURS (dangvu.api.idempotency)."""

from __future__ import annotations

import datetime as dt

from dangvu.tasks.jobs import periodic


@periodic(every=dt.timedelta(hours=1), retries=0)
def forget_idempotency_keys(scheduled_for: str) -> int:
    from dangvu.api import idempotency

    return idempotency.forget()
