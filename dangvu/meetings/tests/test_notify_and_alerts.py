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

pytestmark = pytest.mark.django_db


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
    assert sorted(m.to[0] for m in mailoutbox) == ["an@example.vn", "binh@example.vn"]
    message = mailoutbox[0]
    assert "Phòng họp số 2" in message.body and f"/meetings/{meeting.pk}/" in message.body
    assert send_notices(now).invitations == 0  # never twice

    binh = meeting.invitations.get(member=people["binh"])
    services.answer(binh, binh_user, rsvp=Rsvp.EXCUSED, reason="Đi công tác")
    later = now + dt.timedelta(days=2, hours=12)  # within the 24 hours before the start
    sent = send_notices(later)
    assert (sent.invitations, sent.reminders) == (0, 1)  # Bình excused herself: no reminder
    assert mailoutbox[-1].to == ["an@example.vn"]
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
