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
