"""E-mail invitations and reminders (once each, only to members with an address, not to the excused), and
the meeting alerts: a cell's missing regular meeting and a member's unanswered invitation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.alerts.sources import due_items
from dangvu.meetings import services
from dangvu.meetings.alerts import INVITATION_PENDING, REGULAR_MISSING
from dangvu.meetings.models import MeetingKind, Rsvp
from dangvu.meetings.notify import send_notices
from dangvu.tasks.worker import drain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]  # a history of meetings


def plan(tree, cast, starts_at, kind=MeetingKind.REGULAR):
    return services.create_meeting(tree.c1, cast.secretary, kind=kind, starts_at=starts_at, place="Phòng họp số 2")


def test_invitations_then_one_reminder(tree, people, cast, mailoutbox):
    cast.member.email = "an@example.vn"
    cast.member.save()
    binh_user = testing.user("binh", Role.MEMBER, tree.c1, member_record=people["binh"])
    binh_user.email = "binh@example.vn"
    binh_user.save()
    now = timezone.now()
    meeting = plan(tree, cast, now + dt.timedelta(days=3))

    sent = send_notices(now)
    # An and Bình have addresses; Đức and Em are not in the cell; the secretary's user has no member record.
    assert (sent.invitations, sent.reminders) == (2, 0)
    assert mailoutbox == []  # queued: the worker sends them
    assert drain() == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["an@example.vn", "binh@example.vn"]
    message = mailoutbox[0]
    assert "Phòng họp số 2" in message.body and f"/meetings/{meeting.pk}/" in message.body
    assert send_notices(now).invitations == 0  # never twice
    assert drain() == 0

    binh = meeting.invitations.get(member=people["binh"])
    services.answer(binh, binh_user, rsvp=Rsvp.EXCUSED, reason="Đi công tác")
    later = now + dt.timedelta(days=2, hours=12)  # within the 24 hours before the start
    sent = send_notices(later)
    assert (sent.invitations, sent.reminders) == (0, 1)  # Bình excused herself: no reminder
    assert drain() == 1
    assert len(mailoutbox) == 3 and mailoutbox[-1].to == ["an@example.vn"]
    assert send_notices(later).reminders == 0


def test_a_member_sees_own_unanswered_invitation(tree, people, cast):
    meeting = plan(tree, cast, timezone.now() + dt.timedelta(days=5))
    mine = [a for a in due_items(cast.member) if a.kind == INVITATION_PENDING]
    assert [(a.object_id, a.subject) for a in mine] == [(meeting.pk, "Nguyễn Văn An")]
    services.answer(meeting.invitations.get(member=people["an"]), cast.member, rsvp=Rsvp.ATTENDING)
    assert not [a for a in due_items(cast.member) if a.kind == INVITATION_PENDING]
    # Not invited: the outsider has no such item.
    assert not [a for a in due_items(cast.outsider) if a.kind == INVITATION_PENDING]


def test_missing_regular_meeting_of_last_month(tree, people, cast):
    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=15)
    when = timezone.make_aware(dt.datetime.combine(last_month, dt.time(8, 0)))
    held = plan(tree, cast, when)
    services.open_meeting(held, cast.secretary)
    services.close_meeting(held, cast.secretary)

    missing = {a.organisation_id for a in due_items(cast.office) if a.kind == REGULAR_MISSING and a.overdue}
    # C1 held its meeting; C2 and the grassroots cell A2 did not; committee B's cells are not in scope.
    assert tree.c1.pk not in missing
    assert {tree.c2.pk, tree.a_cell_base.pk} <= missing
    assert tree.c3.pk not in missing
    assert not [a for a in due_items(cast.member) if a.kind == REGULAR_MISSING]  # members: no such item


def test_a_notice_refused_by_the_mail_server_is_delivered_once_it_accepts(tree, people, cast, settings, mailoutbox):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    cast.member.email = "an@example.vn"
    cast.member.save()
    now = timezone.now()
    plan(tree, cast, now + dt.timedelta(days=3))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False  # refuses
    assert send_notices(now).invitations == 1
    assert drain() == 1
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.READY and task.run_after > timezone.now()  # retried after a back-off
    assert send_notices(now).invitations == 0  # still queued once
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server accepts again
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now())
    assert drain() == 1 and drain() == 0
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) == 2
    assert [m.to for m in mailoutbox] == [["an@example.vn"]]


def test_a_notice_run_again_after_the_server_accepted_it_is_not_sent_twice(tree, people, cast, mailoutbox):
    """The worker died after the mail server accepted the invitation but before the task was marked done:
    the task runs again (here: the same task body called again) and sends nothing; the message carries a
    Message-ID derived from its key, the same for any repeat (dangvu.tasks.mail)."""
    from dangvu.meetings import notify
    from dangvu.tasks import mail
    from dangvu.tasks.models import SentMail

    cast.member.email = "an@example.vn"
    cast.member.save()
    meeting = plan(tree, cast, timezone.now() + dt.timedelta(days=3))
    invitation = meeting.invitations.get(member=people["an"])
    assert notify.deliver(invitation.pk, False) is True
    assert notify.deliver(invitation.pk, False) is False  # the retry
    assert [m.to for m in mailoutbox] == [["an@example.vn"]]
    assert mailoutbox[0].extra_headers["Message-ID"] == mail.message_id(f"meeting-invitation:{invitation.pk}")
    assert SentMail.objects.filter(key=f"meeting-invitation:{invitation.pk}").count() == 1
    # The reminder is another message with its own key; forgetting old ledger rows keeps recent ones.
    assert notify.deliver(invitation.pk, True) is True and len(mailoutbox) == 2
    assert mailoutbox[1].extra_headers["Message-ID"] != mailoutbox[0].extra_headers["Message-ID"]
    SentMail.objects.filter(key=f"meeting-invitation:{invitation.pk}").update(
        sent_at=timezone.now() - dt.timedelta(days=31)
    )
    assert mail.forget(30) == 1 and SentMail.objects.count() == 1
