"""Mark all present (issue 9 item 15): the roll call in one step, through the service (one transaction,
an audit row per person), asked for confirmation, for those who run the meeting only; and the attendance
panel's one control per person."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from dangvu.lib.errors import DomainError
from dangvu.meetings import services
from dangvu.meetings.models import Attendance, Invitation, MeetingState
from dangvu.meetings.tests.test_room import HX, login, panel_of, running, url
from dangvu.meetings.tests.test_room import room as room  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
CONFIRMED = {"confirmed": "mark_all_present"}


def states(meeting):
    return {i.pk: (i.attendance, i.late) for i in Invitation.objects.filter(meeting=meeting)}


def test_service_marks_the_unrecorded_members_present_with_an_audit_row_each(room, cast):
    meeting, _users, inv = room
    services.answer(inv["dung"], None, rsvp="excused", reason="Đi công tác")  # excused in advance: left alone
    guest = services.invite_guest(meeting, None, name="Đồng chí Hoàng Văn Khách", title="Ủy viên Ban Thường vụ")
    running(meeting, inv["an"])
    services.mark_attendance(inv["cuong"], None, attendance=Attendance.UNEXCUSED)
    assert services.mark_all_present(meeting, cast.secretary) == 1  # Bình only
    after = states(meeting)
    assert after[inv["binh"].pk] == (Attendance.PRESENT, False)
    assert after[inv["an"].pk][0] == Attendance.PRESENT  # checked in before, kept as it was
    assert after[inv["cuong"].pk] == (Attendance.UNEXCUSED, False)  # recorded absent: not overridden
    assert after[inv["dung"].pk] == ("", False)
    assert after[guest.pk] == ("", False)  # guests are marked one by one
    binh = Invitation.objects.get(pk=inv["binh"].pk)
    assert binh.checked_in_at is not None
    assert binh.history.latest().history_user == cast.secretary
    with translation.override("vi"), pytest.raises(DomainError, match="đã được điểm danh"):
        services.mark_all_present(meeting, cast.secretary)


def test_service_refuses_before_the_start_and_after_approval_changing_nothing(room, cast):
    meeting, _users, inv = room
    with pytest.raises(DomainError):
        services.mark_all_present(meeting, cast.secretary)  # planned: not started
    assert all(a == "" for a, _late in states(meeting).values())
    meeting = running(meeting)
    meeting.state = MeetingState.APPROVED  # the minutes approved: the record is locked
    meeting.save(update_fields=["state"])
    with pytest.raises(DomainError):
        services.mark_all_present(meeting, cast.secretary)
    assert all(a == "" for a, _late in states(meeting).values())


@pytest.mark.parametrize("who", ["secretary", "office", "cuong", "binh"])  # by role; minutes secretary; chair
def test_those_who_run_the_meeting_mark_all_present_after_confirming(client, room, cast, who):
    meeting, users, inv = room
    running(meeting)
    user = getattr(cast, who, None) or users[who]
    login(client, user)
    panel = panel_of(client, meeting, "attendance")
    assert 'id="mark-all-present" data-roll-call="4"' in panel
    # Without the confirmation: asked, nothing written.
    response = client.post(url("room_mark_all", meeting), **HX)
    assert response.status_code == 409 and "chưa điểm danh" in response.content.decode()
    assert all(a == "" for a, _late in states(meeting).values())
    html = client.post(url("room_mark_all", meeting), CONFIRMED, **HX).content.decode()
    assert "Đã ghi có mặt: 4 người." in html
    assert all(a == Attendance.PRESENT for a, _late in states(meeting).values())
    assert 'id="mark-all-present"' not in panel_of(client, meeting, "attendance")  # nobody left to mark


@pytest.mark.parametrize(("who", "status"), [("an", 403), ("dung", 403), ("inspector", 403), ("outsider", 404)])
def test_others_may_not_mark_all_present(client, room, cast, who, status):
    meeting, users, _inv = room
    running(meeting)
    login(client, users.get(who) or getattr(cast, who))
    assert client.post(url("room_mark_all", meeting), CONFIRMED).status_code == status
    assert all(a == "" for a, _late in states(meeting).values())


def test_without_javascript_the_question_is_a_page_and_the_answer_a_redirect(client, room, cast):
    meeting, _users, _inv = room
    running(meeting)
    login(client, cast.secretary)
    asked = client.post(url("room_mark_all", meeting))
    assert asked.status_code == 409 and 'name="confirmed" value="mark_all_present"' in asked.content.decode()
    done = client.post(url("room_mark_all", meeting), CONFIRMED)
    assert done.status_code == 302 and done.url == url("room", meeting)


def test_one_control_per_person(client, room, cast):
    meeting, _users, inv = room
    services.answer(inv["dung"], None, rsvp="excused", reason="Đi công tác")
    running(meeting, inv["an"])
    login(client, cast.secretary)
    page = client.get(url("room", meeting)).content.decode()
    rows = re.findall(r'<tr data-invitation="(\d+)".*?</tr>', page, re.S)
    assert len(rows) == 4
    for pk in rows:
        row = re.search(rf'<tr data-invitation="{pk}".*?</tr>', page, re.S).group(0)
        assert row.count("<select") == 1 and row.count("<button") == 1 and row.count("<form") == 1
    an = re.search(rf'<tr data-invitation="{inv["an"].pk}".*?</tr>', page, re.S).group(0)
    assert '<option value="present" selected>' in an and 'value="excused"' not in an  # no reason: the form below
    dung = re.search(rf'<tr data-invitation="{inv["dung"].pk}".*?</tr>', page, re.S).group(0)
    assert 'value="excused"' in dung and "Đi công tác" in dung  # the RSVP's reason is offered
    # The select posts the value; "late" is present and late.
    client.post(url("room_mark", meeting, inv["binh"].pk), {"attendance": "late"}, **HX)
    assert states(meeting)[inv["binh"].pk] == (Attendance.PRESENT, True)
    # The vote is prepared from the top of the page: a link in the head and the form in the main column.
    head = page[: page.index('class="room-grid')]
    assert 'href="#vote-create"' in head and 'href="#room-attendance"' in head
    assert page.index('id="vote-create"') < page.index('id="room-speakers"')
    # A member sees neither the controls nor the links.
    login(client, cast.member)
    page = client.get(url("room", meeting)).content.decode()
    assert "data-mark-select" not in page and 'href="#vote-create"' not in page


def test_attendance_is_read_only_once_the_minutes_are_approved(client, room, cast):
    meeting, _users, _inv = room
    meeting = running(meeting)
    meeting.state = MeetingState.APPROVED
    meeting.save(update_fields=["state"])
    login(client, cast.secretary)
    panel = panel_of(client, meeting, "attendance")
    assert "data-mark-select" not in panel and "mark-all-present" not in panel
    assert reverse("meetings:room_mark_all", args=[meeting.pk]) not in panel
