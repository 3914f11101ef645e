"""Notification deliveries as background work (issue 14 item 6, on issue 10's task framework): one task per
delivery, retried with back-off (DANGVU_TASK_BACKOFF_SECONDS, doubling) while the mail server or gateway
refuses, marked failed with the reason after the last attempt (dangvu.notify.delivery)."""

from __future__ import annotations

import smtplib

from dangvu.notify.backends import DeliveryError
from dangvu.notify.delivery import give_up
from dangvu.tasks.jobs import job


@job(retries=8, retry_on=(OSError, smtplib.SMTPException, DeliveryError), on_give_up=give_up)
def deliver(delivery_id: int) -> str:
    from dangvu.notify import delivery

    return delivery.deliver(delivery_id)
