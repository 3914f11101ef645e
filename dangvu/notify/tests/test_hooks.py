"""Events people expect to be told of reach their notifications: a meeting invitation and reminder (the
e-mail stays the meetings module's task, and follows the member's e-mail preference) and the office's
deadline digest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dangvu import testing
from dangvu.alerts import digest
from dangvu.alerts.tests.test_sources import days, probationer
from dangvu.meetings import services as meetings
from dangvu.meetings.models import MeetingKind
from dangvu.meetings.notify import send_notices
from dangvu.notify import services
from dangvu.notify.models import Delivery, Kind, Notification
from dangvu.tasks.worker import drain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]


def test_a_meeting_invitation_and_its_reminder_are_in_the_members_notifications(tree, people, cast, mailoutbox):
    cast.member.email = "an@example.vn"
    cast.member.save()
    now = timezone.now()
    meeting = meetings.create_meeting(
        tree.c1, cast.secretary, kind=MeetingKind.REGULAR, starts_at=now + dt.timedelta(days=3), place="Phòng 2"
    )
    send_notices(now)
    note = Notification.objects.get(recipient=cast.member)
    assert note.kind == Kind.MEETING_INVITATION and note.link == f"/meetings/{meeting.pk}/"
    assert "Phòng 2" in note.body
    assert not Delivery.objects.exists()  # the e-mail is the meetings module's own task
    assert drain() == 1 and [m.to for m in mailoutbox] == [["an@example.vn"]]
    send_notices(now)
    assert Notification.objects.filter(recipient=cast.member).count() == 1  # once
    send_notices(now + dt.timedelta(days=2, hours=12))
    assert Notification.objects.filter(recipient=cast.member, kind=Kind.MEETING_REMINDER).count() == 1


def test_a_member_who_turned_email_off_gets_the_invitation_in_the_application_only(tree, people, cast, mailoutbox):
    cast.member.email = "an@example.vn"
    cast.member.save()
    services.set_preferences(cast.member, email=False, push=True, sms=False)
    now = timezone.now()
    meetings.create_meeting(
        tree.c1, cast.secretary, kind=MeetingKind.REGULAR, starts_at=now + dt.timedelta(days=3), place="Phòng 2"
    )
    assert send_notices(now).invitations == 0
    drain()
    assert mailoutbox == []
    assert Notification.objects.filter(recipient=cast.member, kind=Kind.MEETING_INVITATION).count() == 1


def test_the_deadline_digest_is_in_the_office_notifications_even_without_an_address(
    tree, cast, mailoutbox, monkeypatch
):
    testing.keep_alert_sources(monkeypatch, "dangvu.alerts.sources")  # the probation items only
    probationer(tree.c1, "Mai Văn Trễ", days(-90))
    day = timezone.localdate()
    assert cast.office.pk in digest.recipients()  # no e-mail address: still a recipient
    assert digest.deliver(cast.office.pk, day) == 1
    note = Notification.objects.get(recipient=cast.office)
    assert note.kind == Kind.DEADLINES and note.link == "/alerts/" and "1" in note.title
    assert mailoutbox == []
    assert digest.deliver(cast.office.pk, day) == 1  # the task again: still one notification
    assert Notification.objects.filter(recipient=cast.office).count() == 1
    assert digest.deliver(cast.outsider.pk, day) == 0  # nothing due in committee B
    assert not Notification.objects.filter(recipient=cast.outsider).exists()
