"""Hourly: forget the spent one-time form tokens that can no longer be posted (dangvu.web.once)."""

from __future__ import annotations

import datetime as dt

from dangvu.tasks.jobs import periodic


@periodic(every=dt.timedelta(hours=1), retries=0)
def forget_form_tokens(scheduled_for: str) -> int:
    from dangvu.web import once

    return once.forget()
