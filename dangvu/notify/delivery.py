"""Sending one `Delivery` (the body of the task dangvu.notify.jobs.deliver), exactly once as far as the
channel allows:

- a delivery already marked sent sends nothing (the task ran again: a retry, a worker that died after
  sending but before the task was marked done);
- e-mail goes through dangvu.tasks.mail.send_once with the delivery's key: its ledger and stable
  Message-ID cover the instant between the server's acceptance and the row's update;
- Web Push: each subscription accepted is recorded on the row at once (`done_targets`), so a retry after a
  partial success sends only to the others; a subscription the push service says is gone is forgotten;
- SMS: the configured gateway (dangvu.notify.backends).

A refusal raises (the task is retried with back-off); the attempt and its error are recorded on the row. After
the last attempt the row is marked failed with the reason (`give_up`): the notification itself stays in the
user's list, so nothing is lost.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from dangvu.notify import backends
from dangvu.notify.models import Channel, Delivery, DeliveryStatus, PushSubscription
from dangvu.tasks import mail


def _text(notification) -> str:
    site = settings.DANGVU_SITE_URL.rstrip("/")
    lines = [notification.body] if notification.body else []
    if notification.link:
        lines.append(f"{site}{notification.link}")
    return "\n\n".join(lines)


def _email(delivery: Delivery) -> str:
    notification = delivery.notification
    address = (notification.recipient.email or "").strip()
    if not address:
        return "none"
    mail.send_once(delivery.key, notification.title, _text(notification), [address])
    return "email"


def _push(delivery: Delivery) -> str:
    backend = backends.push_backend()
    if backend is None:
        raise backends.DeliveryError("Web Push is not configured")
    notification = delivery.notification
    payload = {"title": notification.title, "body": notification.body[:300], "url": notification.link}
    done = list(delivery.done_targets)
    for sub in PushSubscription.objects.filter(user_id=notification.recipient_id).exclude(pk__in=done):
        try:
            backend.send(sub, payload)
        except backends.SubscriptionGone:
            sub.delete()
            continue
        done.append(sub.pk)
        Delivery.objects.filter(pk=delivery.pk).update(done_targets=done)
    return backend.name


def _sms(delivery: Delivery) -> str:
    from dangvu.notify.services import preference

    backend = backends.sms_backend()
    if backend is None:
        raise backends.DeliveryError("no SMS gateway is configured")
    phone = preference(delivery.notification.recipient).phone
    if not phone:
        return "none"
    text = delivery.notification.title
    if delivery.notification.link:
        text += f" {settings.DANGVU_SITE_URL.rstrip('/')}{delivery.notification.link}"
    backend.send(phone, text[:320])
    return backend.name


SENDERS = {Channel.EMAIL: _email, Channel.PUSH: _push, Channel.SMS: _sms}


def deliver(delivery_id: int) -> str:
    """Send the delivery unless it was sent; returns its state. Raises what the channel raises."""
    delivery = Delivery.objects.select_related("notification__recipient").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.QUEUED:
        return delivery.status if delivery else "missing"
    Delivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1)
    try:
        via = SENDERS[delivery.channel](delivery)
    except Exception as exc:
        Delivery.objects.filter(pk=delivery.pk).update(last_error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.QUEUED).update(
        status=DeliveryStatus.SENT, via=via, sent_at=timezone.now()
    )
    return DeliveryStatus.SENT


def give_up(args: list, kwargs: dict, reason: str) -> None:
    delivery_id = (args or [kwargs.get("delivery_id")])[0]
    Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.QUEUED).update(
        status=DeliveryStatus.FAILED, failed_at=timezone.now(), last_error=reason[:2000]
    )
