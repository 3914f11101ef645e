"""Notifications through the task framework: one delivery per channel, a refused e-mail retried with back-off
and delivered once the server accepts, exactly once (a retry after success sends nothing), the key making
`notify` idempotent, preferences honoured, and a delivery given up marked failed with its reason."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dangvu.notify import delivery, services
from dangvu.notify.models import Channel, Delivery, DeliveryStatus, Kind, Notification
from dangvu.tasks.models import SentMail
from dangvu.tasks.worker import drain

pytestmark = pytest.mark.django_db


@pytest.fixture
def an(cast):
    cast.member.email = "an@example.vn"
    cast.member.save()
    return cast.member


def _refusing(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False  # nothing listens


def test_notify_stores_the_notification_and_queues_one_delivery_per_wanted_channel(an, cast, mailoutbox):
    created = services.notify([an, cast.secretary], Kind.GENERAL, "Họp chi bộ", "Nội dung", "/meetings/", key="k1")
    assert [n.recipient for n in created] == [an, cast.secretary]
    # An has an address: e-mail (SMS is off by default, Web Push not configured); the secretary has none.
    assert list(Delivery.objects.values_list("notification__recipient__username", "channel")) == [
        ("member", Channel.EMAIL)
    ]
    assert mailoutbox == []  # queued: the worker sends
    assert drain() == 1
    assert [m.to for m in mailoutbox] == [["an@example.vn"]]
    assert mailoutbox[0].subject == "Họp chi bộ" and "/meetings/" in mailoutbox[0].body
    # The same key again: nothing new, nothing queued.
    assert services.notify([an, cast.secretary], Kind.GENERAL, "Họp chi bộ", key="k1") == []
    assert Notification.objects.count() == 2 and drain() == 0 and len(mailoutbox) == 1


def test_a_refused_email_is_retried_and_delivered_exactly_once(an, settings, mailoutbox):
    settings.DANGVU_TASK_BACKOFF_SECONDS = 10
    _refusing(settings)
    (notification,) = services.notify([an], Kind.GENERAL, "Thông báo", "Nội dung", key="k2")
    assert drain() == 1
    task = DBTaskResult.objects.get()
    row = Delivery.objects.get()
    assert task.status == TaskResultStatus.READY and task.run_after > timezone.now()  # after its back-off
    assert row.status == DeliveryStatus.QUEUED and row.attempts == 1 and "ConnectionRefusedError" in row.last_error
    assert drain() == 0  # not before its time
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server accepts again
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now() - dt.timedelta(seconds=1))
    assert drain() == 1 and drain() == 0
    task.refresh_from_db()
    row.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) == 2
    assert (row.status, row.attempts, row.via) == (DeliveryStatus.SENT, 2, "email")
    assert [m.to for m in mailoutbox] == [["an@example.vn"]]
    # The task body run again (a worker died before marking the task done): nothing is sent twice.
    assert delivery.deliver(row.pk) == DeliveryStatus.SENT
    Delivery.objects.filter(pk=row.pk).update(status=DeliveryStatus.QUEUED)  # even if the row's mark was lost
    delivery.deliver(row.pk)
    assert len(mailoutbox) == 1 and SentMail.objects.filter(key=row.key).count() == 1


def test_a_delivery_refused_on_every_attempt_is_marked_failed_with_the_reason(an, settings, mailoutbox):
    settings.DANGVU_TASK_BACKOFF_SECONDS = 1
    _refusing(settings)
    services.notify([an], Kind.GENERAL, "Thông báo", key="k3")
    for _ in range(9):  # the first attempt and 8 retries
        DBTaskResult.objects.update(run_after=timezone.now() - dt.timedelta(seconds=1))
        assert drain() == 1
    row = Delivery.objects.get()
    assert row.status == DeliveryStatus.FAILED and row.attempts == 9 and "ConnectionRefusedError" in row.last_error
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    assert Notification.objects.get().read_at is None  # still in the member's list: not lost
    assert mailoutbox == []


def test_preferences_are_honoured(an, cast, caplog, mailoutbox):
    services.set_preferences(an, email=False, push=True, sms=True, phone="0912 345 678")
    services.notify([an], Kind.GENERAL, "Thông báo", link="/alerts/", key="k4")
    assert list(Delivery.objects.values_list("channel", flat=True)) == [Channel.SMS]
    with caplog.at_level(logging.INFO, logger="dangvu.notify.sms"):
        assert drain() == 1
    row = Delivery.objects.get()
    assert (row.status, row.via) == (DeliveryStatus.SENT, "console")  # the console backend: logged, not sent
    assert "*******678" in caplog.text and "0912345678" not in caplog.text
    assert mailoutbox == []
    # SMS off, e-mail on: only e-mail; an inactive user gets nothing at all.
    services.set_preferences(an, email=True, push=False, sms=False, phone="")
    services.notify([an], Kind.GENERAL, "Thông báo hai", key="k5")
    assert Delivery.objects.filter(notification__key="k5").get().channel == Channel.EMAIL
    cast.leader.is_active = False
    cast.leader.save()
    assert services.notify([cast.leader], Kind.GENERAL, "X", key="k6") == []


def test_sms_channel_off_when_no_gateway(an, settings):
    settings.DANGVU_SMS_BACKEND = ""
    services.set_preferences(an, email=False, push=False, sms=True, phone="0912345678")
    services.notify([an], Kind.GENERAL, "Thông báo", key="k7")
    assert not Delivery.objects.exists()


def test_a_bad_phone_number_is_refused_beside_its_field_and_nothing_changes(an):
    from dangvu.lib.errors import DomainError

    with pytest.raises(DomainError) as refused:
        services.set_preferences(an, email=True, push=True, sms=True, phone="12345")
    assert "phone" in refused.value.message_dict
    with pytest.raises(DomainError):
        services.set_preferences(an, email=True, push=True, sms=True, phone="")
    assert services.preference(an).pk is None  # never saved
    assert services.set_preferences(an, email=True, push=True, sms=True, phone="+84912345678").phone == "+84912345678"


class PushRecorder:
    """A push sender for the test: records what it is asked to send."""

    name = "recorder"
    sent: list = []

    def send(self, subscription, payload):
        self.sent.append((subscription.endpoint, payload["title"]))


def test_push_is_sent_only_when_configured_and_once_per_subscription(an, settings):
    PushRecorder.sent.clear()
    services.subscribe_push(an, "https://push.example/one", "key", "auth")
    services.notify([an], Kind.GENERAL, "Không có VAPID", key="p1")
    assert not Delivery.objects.filter(channel=Channel.PUSH).exists()  # not configured: no push row

    settings.DANGVU_VAPID_PUBLIC_KEY, settings.DANGVU_VAPID_PRIVATE_KEY = "pub", "priv"
    settings.DANGVU_PUSH_BACKEND = f"{__name__}.PushRecorder"
    services.subscribe_push(an, "https://push.example/two", "key", "auth")
    services.notify([an], Kind.GENERAL, "Có VAPID", key="p2")
    row = Delivery.objects.get(channel=Channel.PUSH)
    drain()
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and len(row.done_targets) == 2
    assert sorted(PushRecorder.sent) == [
        ("https://push.example/one", "Có VAPID"),
        ("https://push.example/two", "Có VAPID"),
    ]
    Delivery.objects.filter(pk=row.pk).update(status=DeliveryStatus.QUEUED)
    delivery.deliver(row.pk)  # run again: every subscription already accepted it
    assert len(PushRecorder.sent) == 2
