"""Meeting notices as background work (issue 10 items 1-2): every few minutes the schedule queues the
invitations and reminders that are due, one task per e-mail; a task whose mail server refuses or drops the
connection is retried with back-off until it is accepted, and each notice is queued once, so it is
delivered once."""

from __future__ import annotations

import datetime as dt
import smtplib

from django.conf import settings

from dangvu.tasks.jobs import job, periodic


@job(retries=8, retry_on=(OSError, smtplib.SMTPException))
def deliver_notice(invitation_id: int, reminder: bool) -> bool:
    from dangvu.meetings import notify

    return notify.deliver(invitation_id, reminder)


@periodic(every=dt.timedelta(minutes=settings.DANGVU_NOTICES_EVERY_MINUTES), retries=0)
def queue_notices(scheduled_for: str) -> dict:
    from dangvu.meetings import notify

    queued = notify.send_notices()
    return {"invitations": queued.invitations, "reminders": queued.reminders}


def _purge_given_up(args: list, kwargs: dict, reason: str) -> None:
    import logging

    logging.getLogger("dangvu.meetings").error(
        "old versions of secret-ballot rows could not be removed (vote %s): %s; the next close tries again",
        (args or [None])[0],
        reason,
    )


@job(retries=12, backoff=30, retry_on=(Exception,), on_give_up=_purge_given_up)
def purge_secret_versions(vote_id: int | None = None) -> dict:
    """After a secret vote is sealed (issue 16 item 2): remove the old versions of its receipts and counters
    (VACUUM FULL on PostgreSQL, verified; the write-ahead log on SQLite). Retried with back-off (30 s,
    doubling, at most an hour between attempts) while a transaction older than the close keeps them."""
    from dangvu.meetings import secret

    return secret.purge(vote_id)
