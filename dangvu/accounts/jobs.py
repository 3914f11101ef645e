"""Daily: forget what the forgotten-password requests no longer need (dangvu.accounts.passwords.forget)."""

from __future__ import annotations

import datetime as dt

from dangvu.tasks.jobs import periodic


@periodic(every=dt.timedelta(hours=24), retries=0)
def forget_password_requests(scheduled_for: str) -> int:
    from dangvu.accounts import passwords

    return passwords.forget()
