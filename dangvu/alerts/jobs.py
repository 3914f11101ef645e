"""The daily deadline digest (issue 10 item 2): each morning every office staff member with an e-mail
address receives the alerts of their scope (overdue first), the same list as their alerts page. One task
per person, retried with back-off while the mail server refuses; nothing is sent when nothing is due."""

from __future__ import annotations

import datetime as dt
import smtplib

from django.conf import settings

from dangvu.tasks.jobs import job, periodic


def _at(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


@job(retries=8, retry_on=(OSError, smtplib.SMTPException))
def deliver_digest(user_id: int, day: str) -> int:
    from dangvu.alerts import digest

    return digest.deliver(user_id, dt.date.fromisoformat(day))


@periodic(daily_at=_at(settings.DANGVU_DIGEST_AT), retries=0)
def queue_digests(scheduled_for: str) -> int:
    from django.utils import timezone

    from dangvu.alerts import digest

    day = timezone.localtime(dt.datetime.fromisoformat(scheduled_for)).date()
    recipients = digest.recipients()
    for user_id in recipients:
        deliver_digest.enqueue(user_id, day.isoformat())
    return len(recipients)
