"""The daily deadline digest: queued once per morning for every office with an address, each office's own
scope, nothing sent when nothing is due, retried while the mail server refuses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dangvu.alerts import jobs
from dangvu.alerts.tests.test_sources import days, probationer
from dangvu.tasks.jobs import SCHEDULES
from dangvu.tasks.worker import drain

pytestmark = pytest.mark.django_db


@pytest.fixture
def addressed(cast):
    for name in ("office", "outsider", "secretary"):
        user = getattr(cast, name)
        user.email = f"{name}@example.vn"
        user.save()
    return cast


def test_each_office_receives_the_deadlines_of_its_scope(tree, addressed, mailoutbox):
    probationer(tree.c1, "Mai Văn Trễ", days(-90))  # committee A: the office's scope
    probationer(tree.c1, "Mai Văn Sắp", days(10))
    slot = timezone.now().isoformat()
    assert jobs.queue_digests.call(scheduled_for=slot) == 2  # the two offices; the secretary is not an office
    assert drain() == 2
    assert [m.to for m in mailoutbox] == [["office@example.vn"]]  # committee B's office has nothing due
    message = mailoutbox[0]
    assert "1 quá hạn, 1 sắp đến hạn" in message.subject  # Vietnamese: "1 overdue, 1 due soon"
    assert message.body.index("Mai Văn Trễ") < message.body.index("Mai Văn Sắp")  # overdue first
    assert "QUÁ HẠN" in message.body and "/alerts/" in message.body
    assert "Mai Thị" not in message.body


def test_a_refused_digest_is_retried_and_sent_once(tree, addressed, settings, mailoutbox):
    probationer(tree.c1, "Mai Văn Trễ", days(-90))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False  # nothing listens
    result = jobs.deliver_digest.enqueue(addressed.office.pk, timezone.localdate().isoformat())
    assert drain() == 1
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY and row.exception_class_path == "builtins.ConnectionRefusedError"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now() - dt.timedelta(seconds=1))
    assert drain() == 1 and drain() == 0
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value == 1
    assert len(mailoutbox) == 1
    # Run again after the server accepted it (a worker that died before marking the task done): not resent.
    again = jobs.deliver_digest.enqueue(addressed.office.pk, timezone.localdate().isoformat())
    assert drain() == 1 and DBTaskResult.objects.get(pk=again.id).status == TaskResultStatus.SUCCESSFUL
    assert len(mailoutbox) == 1


def test_the_digest_runs_daily_at_the_configured_local_time():
    schedule = next(s for s in SCHEDULES.values() if s.task is jobs.queue_digests)
    assert schedule.daily_at == dt.time(6, 30)
