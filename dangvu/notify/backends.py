"""Senders of the channels other than e-mail (which goes through Django's mail backend and the task ledger,
dangvu.tasks.mail), chosen by settings:

- SMS: `DANGVU_SMS_BACKEND`, a dotted path to a class with `name` and `send(phone, text)` that raises on a
  refusal (an `OSError` or `DeliveryError` is retried). The one shipped is `ConsoleSms`: it writes the
  message to the log (logger `dangvu.notify.sms`) and nothing leaves the machine; a deployment with an SMS
  gateway contract plugs its gateway's class here. `DANGVU_SMS_BACKEND=""` turns the channel off.
- Web Push: `DANGVU_PUSH_BACKEND`, a dotted path to a class with `name` and `send(subscription, payload)`
  (raises `SubscriptionGone` when the push service says the subscription ended: it is forgotten). None is
  shipped (no Web Push library is a dependency, docs/decisions.md); the channel is offered only when the
  VAPID keys (`DANGVU_VAPID_PUBLIC_KEY`, `DANGVU_VAPID_PRIVATE_KEY`) and a backend are configured.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class DeliveryError(Exception):
    """A gateway refused the message for now: the delivery is retried."""


class SubscriptionGone(Exception):
    """The push service says this subscription no longer exists."""


class SmsBackend(Protocol):
    name: str

    def send(self, phone: str, text: str) -> None: ...


class PushBackend(Protocol):
    name: str

    def send(self, subscription, payload: dict) -> None: ...


class ConsoleSms:
    """Writes the SMS to the log instead of sending it (development, or until a gateway is contracted)."""

    name = "console"

    def send(self, phone: str, text: str) -> None:
        masked = f"{'*' * max(len(phone) - 3, 0)}{phone[-3:]}"
        logging.getLogger("dangvu.notify.sms").info("SMS (not sent, console backend) to %s: %s", masked, text)


def sms_backend() -> SmsBackend | None:
    path = getattr(settings, "DANGVU_SMS_BACKEND", "")
    return import_string(path)() if path else None


def push_configured() -> bool:
    return bool(settings.DANGVU_VAPID_PUBLIC_KEY and settings.DANGVU_VAPID_PRIVATE_KEY and settings.DANGVU_PUSH_BACKEND)


def push_backend() -> PushBackend | None:
    return import_string(settings.DANGVU_PUSH_BACKEND)() if push_configured() else None
