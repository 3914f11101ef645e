"""Meeting pages (issue 4 items 1, 3, 5, 6): the list and "my meetings" with RSVP, planning a meeting, the
meeting's page (participants, forecast, votes, minutes, approval, addenda, cancel) and the regularity page.
Each page and action is proved allowed and denied with the cast: the secretary of C1 plans and runs a C1
meeting, the office of A sees it, the outsider (office of B) gets 404, a plain member sees only the
meetings they are invited to and answers only their own invitation, only the chair approves, and a locked
meeting refuses edits with a message.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.lib import versions
from dangvu.meetings import services
from dangvu.meetings.models import (
    Addendum,
    Choice,
    Invitation,
    InviteeRole,
    Meeting,
    MeetingKind,
    MeetingState,
    Rsvp,
    VoteMethod,
    VoteRule,
)
from dangvu.meetings.tests.test_lifecycle import at, inv
from dangvu.orgs import committees
from dangvu.orgs.models import Position, Term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]  # a history of meetings
HX = {"HTTP_HX_REQUEST": "true"}
DAY = dt.date(2025, 6, 10)


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded documents and approved minutes go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def as_user(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def world(tree, people, cast):
    """A planned regular meeting of C1 (chair Bình, who has a user account; An is the cast's plain member),
    a meeting of C3 (committee B) and a user for Đức of C2, who is invited to neither."""
    binh = testing.user("binh", Role.MEMBER, tree.c1, member_record=people["binh"])
    duc = testing.user("duc", Role.MEMBER, tree.c2, member_record=people["duc"])
    meeting = services.create_meeting(
        tree.c1,
        cast.secretary,
        kind=MeetingKind.REGULAR,
        starts_at=at(DAY, 14),
        place="Phòng họp tầng 2",
        chair=people["binh"],
        agenda=[services.AgendaSpec("Kiểm điểm công tác tháng", presenter=people["binh"])],
    )
    other = services.create_meeting(
        tree.c3, None, kind=MeetingKind.REGULAR, starts_at=at(DAY, 8), place="Xưởng Ba", chair=people["em"]
    )
    return {"meeting": meeting, "other": other, "binh": binh, "duc": duc}


def held(meeting: Meeting, present, actor=None) -> Meeting:
    services.open_meeting(meeting, actor)
    for member in present:
        services.check_in(inv(meeting, member), actor, at=meeting.starts_at)
    return services.close_meeting(meeting, actor)


# --- List -----------------------------------------------------------------------------------------------


def test_list_shows_the_meetings_of_the_scope(client, cast, world):
    url = reverse("meetings:list")
    page = as_user(client, cast.office).get(url)
    assert page.status_code == 200
    assert f'data-meeting="{world["meeting"].pk}"' in page.content.decode()
    assert f'data-meeting="{world["other"].pk}"' not in page.content.decode()
    page = as_user(client, cast.outsider).get(url)
    assert f'data-meeting="{world["other"].pk}"' in page.content.decode()
    assert f'data-meeting="{world["meeting"].pk}"' not in page.content.decode()
    assert as_user(client, cast.admin).get(url).content.decode().count("data-meeting=") == 2


def test_list_is_refused_to_a_user_without_role_or_member_record(client, cast, world):
    assert as_user(client, cast.nobody).get(reverse("meetings:list")).status_code == 403
    client.logout()
    response = client.get(reverse("meetings:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_filters(client, cast, tree, people, world):
    thematic = services.create_meeting(
        tree.c1,
        cast.secretary,
        kind=MeetingKind.THEMATIC,
        topic="Chuyển đổi số trong công tác Đảng",
        starts_at=at(dt.date(2025, 9, 2), 8),
        place="Hội trường",
    )
    services.create_meeting(tree.c2, cast.office, kind=MeetingKind.REGULAR, starts_at=at(DAY, 9), place="P2")
    c = as_user(client, cast.office)
    url = reverse("meetings:list")

    def shown(**params) -> set[int]:
        body = c.get(url, params).content.decode()
        return {int(pk) for pk in re.findall(r'<tr data-meeting="(\d+)"', body)}

    assert shown(organisation=tree.c1.pk) == {world["meeting"].pk, thematic.pk}
    assert shown(kind="thematic") == {thematic.pk}
    assert "Chuyển đổi số" in c.get(url, {"kind": "thematic"}).content.decode()
    assert shown(organisation=tree.c1.pk, year=2025, month=6) == {world["meeting"].pk}
    assert shown(month=9) == {thematic.pk}
    services.cancel_meeting(thematic, None, "Hoãn")
    assert shown(state="cancelled") == {thematic.pk}
    # HTMX asks for the results only.
    fragment = c.get(url, {"kind": "thematic"}, **HX).content.decode()
    assert "<html" not in fragment and f'data-meeting="{thematic.pk}"' in fragment
    # Another committee's organisation is not a filter one may use.
    assert as_user(client, cast.outsider).get(url, {"organisation": tree.c1.pk}).status_code == 404


def test_list_shows_attendance_of_held_meetings_with_a_bounded_number_of_queries(
    client, cast, tree, people, world, django_assert_max_num_queries
):
    meeting = held(world["meeting"], [people["an"]])
    for i in range(6):
        extra = services.create_meeting(
            tree.c2, None, kind=MeetingKind.REGULAR, starts_at=at(DAY + dt.timedelta(days=i), 9), place="P2"
        )
        held(extra, [people["duc"]])
    c = as_user(client, cast.office)
    # Plus two for the rows' organisation labels and two for the filter's (dangvu.orgs.labels): fixed.
    with django_assert_max_num_queries(14):
        body = c.get(reverse("meetings:list")).content.decode()
    row = re.search(rf'<tr data-meeting="{meeting.pk}".*?</tr>', body, re.S).group(0)
    assert 'data-present="1" data-expected="2"' in row and "1/2" in row
    assert body.count("<tr data-meeting=") == 7


def test_a_member_sees_only_their_invitations(client, cast, world):
    c = as_user(client, cast.member)
    page = c.get(reverse("meetings:list")).content.decode()
    assert 'id="my-upcoming"' in page
    assert f'data-meeting="{world["meeting"].pk}"' in page
    assert f'data-meeting="{world["other"].pk}"' not in page
    # A plain member cannot switch to the scope tab (they have none).
    page = c.get(reverse("meetings:list"), {"tab": "all"}).content.decode()
    assert 'id="my-upcoming"' in page
    # Đức (C2) is invited to nothing.
    page = as_user(client, world["duc"]).get(reverse("meetings:list")).content.decode()
    assert "data-meeting=" not in page


# --- RSVP -----------------------------------------------------------------------------------------------


def test_rsvp_with_htmx_answers_the_own_invitation(client, cast, people, world):
    meeting = world["meeting"]
    c = as_user(client, cast.member)
    response = c.post(reverse("meetings:rsvp", args=[meeting.pk]), {"rsvp": "excused", "reason": "Đi công tác"}, **HX)
    assert response.status_code == 200
    assert 'data-rsvp="excused"' in response.content.decode() and "<html" not in response.content.decode()
    own = inv(meeting, people["an"])
    assert own.rsvp == Rsvp.EXCUSED and own.rsvp_reason == "Đi công tác"
    assert inv(meeting, people["binh"]).rsvp == Rsvp.PENDING  # nobody else's answer changed
    # Excused without a reason is refused; nothing changes.
    response = c.post(reverse("meetings:rsvp", args=[meeting.pk]), {"rsvp": "attending"}, **HX)
    assert inv(meeting, people["an"]).rsvp == Rsvp.ATTENDING
    response = c.post(reverse("meetings:rsvp", args=[meeting.pk]), {"rsvp": "excused", "reason": " "}, **HX)
    assert 'role="alert"' in response.content.decode()
    assert inv(meeting, people["an"]).rsvp == Rsvp.ATTENDING


def test_rsvp_without_htmx_redirects_back(client, cast, people, world):
    meeting = world["meeting"]
    c = as_user(client, cast.member)
    response = c.post(
        reverse("meetings:rsvp", args=[meeting.pk]), {"rsvp": "attending", "next": reverse("meetings:list")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("meetings:list")
    response = c.post(reverse("meetings:rsvp", args=[meeting.pk]), {"rsvp": "attending", "next": "https://evil.test/"})
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert inv(meeting, people["an"]).rsvp == Rsvp.ATTENDING


def test_rsvp_is_refused_to_those_not_invited(client, cast, world):
    meeting = world["meeting"]
    url = reverse("meetings:rsvp", args=[meeting.pk])
    assert as_user(client, world["duc"]).post(url, {"rsvp": "attending"}).status_code == 404  # cannot see it
    assert as_user(client, cast.office).post(url, {"rsvp": "attending"}).status_code == 404  # sees it, not invited
    assert as_user(client, cast.outsider).post(url, {"rsvp": "attending"}).status_code == 404
    assert not Invitation.objects.filter(meeting=meeting).exclude(rsvp=Rsvp.PENDING).exists()


def test_rsvp_closes_when_the_meeting_starts(client, cast, people, world):
    meeting = world["meeting"]
    services.open_meeting(meeting, None)
    response = as_user(client, cast.member).post(reverse("meetings:rsvp", args=[meeting.pk]), {"rsvp": "attending"})
    assert response.status_code == 302 and messages_of(response)
    assert inv(meeting, people["an"]).rsvp == Rsvp.PENDING


# --- Planning -------------------------------------------------------------------------------------------


@pytest.fixture
def in_charge(tree, people):
    """Committee of A1 (the level above C1): Đức is in charge of C1, Em sits on it too."""
    term = Term.objects.create(code="2025-2030", start=dt.date(2025, 1, 1), end=dt.date(2030, 12, 31))
    committee = committees.elect_committee(tree.a_base, term, dt.date(2025, 1, 1), None)
    seat = committees.add_seat(committee, people["duc"], Position.COMMITTEE_MEMBER, dt.date(2025, 1, 1), None)
    committees.assign_leadership(seat, tree.c1, dt.date(2025, 1, 1), None)
    committees.add_seat(committee, people["em"], Position.DEPUTY_SECRETARY, dt.date(2025, 1, 1), None)
    return seat


def _create_data(people, **changes) -> dict:
    data = {
        "kind": "regular",
        "topic": "",
        "date": "15/07/2025",
        "time": "14:00",
        "place": "Phòng họp tầng 2",
        "online_link": "",
        "chair": people["binh"].pk,
        "secretary": people["an"].pk,
        "agenda-TOTAL_FORMS": "6",
        "agenda-INITIAL_FORMS": "0",
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "6",
        "agenda-0-title": "Đánh giá công tác tháng 6",
        "agenda-0-presenter": people["binh"].pk,
        "agenda-1-title": "Thu đảng phí",
        "agenda-1-description": "Quý II",
        "guest_name_1": "Ông Trần Khách",
        "guest_title_1": "Chủ tịch Công đoàn",
    }
    data.update(changes)
    return data


def test_the_cell_secretary_plans_a_meeting(client, cast, tree, people, in_charge):
    c = as_user(client, cast.secretary)
    url = f"{reverse('meetings:create')}?organisation={tree.c1.pk}"
    page = c.get(url).content.decode()
    assert people["duc"].full_name in page  # the member in charge is shown as invited automatically
    assert f'value="{people["em"].pk}"' in page  # the committee above offered as guests
    response = c.post(url, _create_data(people, guests=[people["em"].pk]))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.organisation == tree.c1 and meeting.chair == people["binh"] and meeting.secretary == people["an"]
    assert timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y %H:%M") == "15/07/2025 14:00"
    assert list(meeting.agenda.values_list("title", "presenter", "description")) == [
        ("Đánh giá công tác tháng 6", people["binh"].pk, ""),
        ("Thu đảng phí", None, "Quý II"),
    ]
    guests = meeting.invitations.filter(role=InviteeRole.GUEST)
    assert {i.member_id for i in guests if i.member_id} == {people["duc"].pk, people["em"].pk}
    assert guests.filter(guest_name="Ông Trần Khách", guest_title="Chủ tịch Công đoàn").exists()
    assert set(meeting.invitations.filter(role=InviteeRole.MEMBER).values_list("member", flat=True)) == {
        people["an"].pk,
        people["binh"].pk,
    }


def test_planning_refusals_change_nothing(client, cast, tree, people):
    c = as_user(client, cast.secretary)
    url = f"{reverse('meetings:create')}?organisation={tree.c1.pk}"
    response = c.post(url, _create_data(people, kind="thematic"))  # a thematic meeting needs its topic
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    response = c.post(url, _create_data(people, place=""))  # neither place nor link
    assert response.status_code == 200
    response = c.post(url, _create_data(people, chair=people["duc"].pk))  # not a member of C1
    assert response.status_code == 200
    response = c.post(url, _create_data(people, **{"agenda-2-description": "no title"}))
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_planning_is_denied_outside_the_scope_or_without_the_right(client, cast, tree, people):
    url = reverse("meetings:create")
    assert as_user(client, cast.outsider).get(f"{url}?organisation={tree.c1.pk}").status_code == 404
    assert as_user(client, cast.secretary).get(f"{url}?organisation={tree.c2.pk}").status_code == 404
    assert as_user(client, cast.secretary).post(f"{url}?organisation={tree.c2.pk}", {}).status_code == 404
    assert as_user(client, cast.inspector).get(f"{url}?organisation={tree.c1.pk}").status_code == 403
    assert as_user(client, cast.member).get(f"{url}?organisation={tree.c1.pk}").status_code == 403
    response = as_user(client, cast.member).post(f"{url}?organisation={tree.c1.pk}", _create_data(people))
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_planning_without_organisation(client, cast, tree):
    # The cell secretary manages one cell: straight to its form.
    response = as_user(client, cast.secretary).get(reverse("meetings:create"))
    assert response.status_code == 302 and response["Location"].endswith(f"?organisation={tree.c1.pk}")
    # The office chooses among the organisations of its scope.
    page = as_user(client, cast.office).get(reverse("meetings:create")).content.decode()
    assert f'value="{tree.c1.pk}"' in page and f'value="{tree.c3.pk}"' not in page


def test_a_committee_meeting_of_a_party_committee_offers_only_committee_kinds(client, cast, tree, people):
    page = as_user(client, cast.office).get(f"{reverse('meetings:create')}?organisation={tree.a_base.pk}")
    body = page.content.decode()
    assert 'value="committee"' in body and 'value="regular"' not in body


# --- The meeting page -----------------------------------------------------------------------------------


def test_detail_access(client, cast, world):
    url = reverse("meetings:detail", args=[world["meeting"].pk])
    for user in (cast.admin, cast.office, cast.inspector, cast.leader, cast.secretary, cast.member, world["binh"]):
        assert as_user(client, user).get(url).status_code == 200, user
    for user in (cast.outsider, cast.nobody, world["duc"]):
        assert as_user(client, user).get(url).status_code == 404, user


def test_invited_members_do_not_see_the_reasons_of_others(client, cast, people, world):
    meeting = world["meeting"]
    services.answer(inv(meeting, people["binh"]), None, rsvp=Rsvp.EXCUSED, reason="Nằm viện điều trị")
    url = reverse("meetings:detail", args=[meeting.pk])
    member_page = as_user(client, cast.member).get(url).content.decode()
    assert people["binh"].full_name in member_page  # the participants are listed
    assert "Nằm viện điều trị" not in member_page and 'data-rsvp="excused"' not in member_page
    assert 'id="own-invitation"' in member_page  # with the own RSVP form
    staff_page = as_user(client, cast.secretary).get(url).content.decode()
    assert "Nằm viện điều trị" in staff_page
    inspector_page = as_user(client, cast.inspector).get(url).content.decode()
    assert "Nằm viện điều trị" not in inspector_page  # may see the meeting, does not run it


def test_quorum_forecast_before_the_meeting(client, cast, people, world):
    meeting = world["meeting"]
    services.answer(inv(meeting, people["an"]), None, rsvp=Rsvp.ATTENDING)
    services.answer(inv(meeting, people["binh"]), None, rsvp=Rsvp.EXCUSED, reason="Ốm")
    body = as_user(client, cast.secretary).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'data-eligible="2" data-attending="1" data-excused="1" data-pending="0" data-needed="2"' in body
    assert 'data-likely="0"' in body
    services.open_meeting(meeting, None)
    body = as_user(client, cast.secretary).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'id="forecast"' not in body


def test_open_and_close_need_to_run_the_meeting(client, cast, people, world):
    meeting = world["meeting"]
    for user in (cast.member, cast.inspector, cast.leader):
        assert as_user(client, user).post(reverse("meetings:open", args=[meeting.pk])).status_code == 403
    assert as_user(client, cast.outsider).post(reverse("meetings:open", args=[meeting.pk])).status_code == 404
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED
    # The chair runs the meeting whatever their role.
    response = as_user(client, world["binh"]).post(reverse("meetings:open", args=[meeting.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("meetings:room", args=[meeting.pk])
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.IN_PROGRESS
    # Opening twice is refused with a message.
    response = as_user(client, cast.secretary).post(reverse("meetings:open", args=[meeting.pk]))
    assert response.status_code == 302 and messages_of(response)
    assert as_user(client, cast.member).post(reverse("meetings:close", args=[meeting.pk])).status_code == 403
    close = reverse("meetings:close", args=[meeting.pk])
    assert as_user(client, cast.secretary).post(close).status_code == 409  # not confirmed: asked, not closed
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.IN_PROGRESS
    as_user(client, cast.secretary).post(close, {"confirmed": "close_meeting"})
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD


def test_cancel_needs_the_manage_right_and_a_reason(client, cast, world):
    meeting = world["meeting"]
    url = reverse("meetings:cancel", args=[meeting.pk])
    # The chair runs the meeting but does not plan it: cancelling is for those who manage.
    assert as_user(client, world["binh"]).post(url, {"cancel-reason": "x"}).status_code == 403
    assert as_user(client, cast.outsider).post(url, {"cancel-reason": "x"}).status_code == 404
    confirmed = {"confirmed": "cancel_meeting"}
    assert as_user(client, cast.secretary).post(url, {"cancel-reason": "", **confirmed}).status_code == 400
    assert as_user(client, cast.secretary).post(url, {"cancel-reason": "Trùng lịch"}).status_code == 409
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED
    response = as_user(client, cast.secretary).post(url, {"cancel-reason": "Trùng lịch hội nghị", **confirmed})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED and meeting.cancel_reason == "Trùng lịch hội nghị"


def test_minutes_approval_and_addenda(client, cast, people, world, media):
    meeting = world["meeting"]
    held(meeting, [people["an"], people["binh"]])
    url = reverse("meetings:detail", args=[meeting.pk])
    page = as_user(client, cast.secretary).get(url).content.decode()
    assert 'id="minutes-form"' in page and 'id="approve-form"' not in page
    assert 'id="minutes-preview-link"' in page  # the DOCX preview of dangvu.documents
    data = {
        "minutes-discussion": "Các đồng chí thống nhất.",
        "minutes-conclusions": "Hoàn thành nhiệm vụ.",
        "minutes-resolution_number": "07-NQ/CB",
        "minutes-resolution_text": "Chi bộ quyết nghị.",
        "minutes-version": versions.current(meeting),
    }
    assert as_user(client, cast.member).post(reverse("meetings:minutes", args=[meeting.pk]), data).status_code == 403
    as_user(client, cast.secretary).post(reverse("meetings:minutes", args=[meeting.pk]), data)
    meeting.refresh_from_db()
    assert meeting.resolution_number == "07-NQ/CB" and meeting.discussion == "Các đồng chí thống nhất."
    # Only the chair approves: the cell secretary and a plain member are refused, nothing changes.
    for user in (cast.secretary, cast.member, cast.office):
        assert as_user(client, user).post(reverse("meetings:approve", args=[meeting.pk])).status_code == 403
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD
    chair_page = as_user(client, world["binh"]).get(url).content.decode()
    assert 'id="approve-form"' in chair_page
    approve = reverse("meetings:approve", args=[meeting.pk])
    assert as_user(client, world["binh"]).post(approve).status_code == 409  # approving locks: asked first
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.HELD
    response = as_user(client, world["binh"]).post(approve, {"confirmed": "approve_minutes"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED and meeting.minutes_file
    # The approved DOCX, for whoever sees the meeting.
    download = as_user(client, cast.member).get(reverse("meetings:minutes_file", args=[meeting.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"PK")
    assert "attachment" in download["Content-Disposition"]
    assert as_user(client, cast.outsider).get(reverse("meetings:minutes_file", args=[meeting.pk])).status_code == 404
    # Locked: the minutes refuse edits with a message and keep their text.
    response = as_user(client, cast.secretary).post(
        reverse("meetings:minutes", args=[meeting.pk]), {**data, "minutes-discussion": "Sửa sau"}
    )
    assert response.status_code == 302 and messages_of(response)
    meeting.refresh_from_db()
    assert meeting.discussion == "Các đồng chí thống nhất."
    page = as_user(client, cast.secretary).get(url).content.decode()
    assert 'id="minutes-form"' not in page and 'id="addendum-form"' in page and 'id="minutes-file-link"' in page
    # Corrections are addenda (by those who run the meeting).
    addendum_url = reverse("meetings:addendum", args=[meeting.pk])
    assert as_user(client, cast.member).post(addendum_url, {"addendum-text": "x"}).status_code == 403
    as_user(client, cast.secretary).post(addendum_url, {"addendum-text": "Bổ sung ý kiến của đồng chí An."})
    assert list(Addendum.objects.values_list("text", flat=True)) == ["Bổ sung ý kiến của đồng chí An."]
    assert "Bổ sung ý kiến của đồng chí An." in as_user(client, cast.member).get(url).content.decode()


def test_minutes_file_only_once_approved(client, cast, people, world):
    meeting = world["meeting"]
    assert as_user(client, cast.secretary).get(reverse("meetings:minutes_file", args=[meeting.pk])).status_code == 404
    response = as_user(client, cast.secretary).post(
        reverse("meetings:addendum", args=[meeting.pk]), {"addendum-text": "Quá sớm"}
    )
    assert response.status_code == 302 and messages_of(response)  # before approval: refused with a message
    assert not Addendum.objects.exists()


def _voting(meeting, people):
    services.open_meeting(meeting, None)
    for member in (people["an"], people["binh"]):
        services.check_in(inv(meeting, member), None, at=meeting.starts_at)
    votes = {}
    for method in (VoteMethod.NAMED, VoteMethod.SECRET):
        vote = services.create_vote(
            meeting, None, question=f"Thông qua nghị quyết ({method})", method=method, rule=VoteRule.MAJORITY_OF_PRESENT
        )
        services.open_vote(vote, None)
        services.cast(vote, inv(meeting, people["an"]), Choice.YES)
        services.cast(vote, inv(meeting, people["binh"]), Choice.NO)
        votes[method] = services.close_vote(vote, None)
    return votes


def test_votes_show_results_names_for_named_votes_and_never_for_secret_ones(client, cast, people, world):
    meeting = world["meeting"]
    votes = _voting(meeting, people)
    for user in (cast.secretary, cast.member, cast.office):
        body = as_user(client, user).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
        named = re.search(rf'<article class="mtg-vote" data-vote="{votes["named"].pk}".*?</article>', body, re.S)
        secret = re.search(rf'<article class="mtg-vote" data-vote="{votes["secret"].pk}".*?</article>', body, re.S)
        named, secret = named.group(0), secret.group(0)
        assert 'data-yes="1" data-no="1" data-abstain="0" data-needed="2" data-passed="0"' in named
        assert re.search(rf'data-choice="yes">{people["an"].full_name}<', named)
        assert re.search(rf'data-choice="no">{people["binh"].full_name}<', named)
        assert 'data-yes="1" data-no="1"' in secret and 'data-ballots="2"' in secret
        assert people["an"].full_name not in secret and people["binh"].full_name not in secret
        assert "data-choice" not in secret


# --- Regularity -----------------------------------------------------------------------------------------


def test_regularity_page(client, cast, tree, people, in_charge, django_assert_max_num_queries):
    extra = {cell: testing.member(cell, f"Thành viên {cell.code}") for cell in (tree.c2, tree.a_cell_base)}
    for month in (1, 2, 3):
        day = dt.date(2025, month, 5)
        for cell in (tree.c1, tree.c2, tree.a_cell_base):
            meeting = services.create_meeting(cell, None, kind=MeetingKind.REGULAR, starts_at=at(day, 8), place="P")
            if cell != tree.c1:
                present = [extra[cell]]
            else:
                present = [people["an"], people["binh"]] if month == 3 else [people["an"]]
            if cell == tree.c1 and month == 1:
                services.open_meeting(meeting, None)
                services.check_in(inv(meeting, people["an"]), None, at=meeting.starts_at)
                services.check_in(inv(meeting, people["duc"]), None, at=meeting.starts_at)  # the guest in charge
                services.close_meeting(meeting, None)
            else:
                held(meeting, present)
    thematic = services.create_meeting(
        tree.c1, None, kind=MeetingKind.THEMATIC, topic="Chuyên đề", starts_at=at(dt.date(2025, 4, 9), 8), place="P"
    )
    held(thematic, [people["an"], people["binh"]])
    url = reverse("meetings:regularity")
    c = as_user(client, cast.office)
    with django_assert_max_num_queries(25):
        response = c.get(url, {"organisation": tree.a.pk, "year": 2025})
    body = response.content.decode()
    assert response.status_code == 200
    row = re.search(rf'<tr data-organisation="{tree.c1.pk}".*?</tr>', body, re.S).group(0)
    assert 'data-regular="3" data-required="12" data-thematic="1" data-thematic-required="2"' in row
    assert "04/2025" in row and "01/2025" not in row  # the missing months are listed
    assert "75%" in row  # 6 present of 8 expected (4 meetings × 2 members)
    assert re.search(r'<td class="num hide-sm">1</td>', row)  # one meeting with the guest in charge
    assert re.search(rf'<tr data-organisation="{tree.c2.pk}"[^>]*data-regular="3"', body)
    compliance = re.search(rf'<tr data-assignment="{in_charge.assignments.get().pk}"[^>]*>', body).group(0)
    assert 'data-attended="1"' in compliance and 'data-compliant="0"' in compliance
    assert people["duc"].full_name in body
    # Scope: the secretary of C1 sees C1; the outsider and others are refused.
    assert as_user(client, cast.secretary).get(url, {"year": 2025}).status_code == 200
    assert as_user(client, cast.secretary).get(url, {"organisation": tree.c2.pk}).status_code == 404
    assert as_user(client, cast.outsider).get(url, {"organisation": tree.a.pk}).status_code == 404
    assert as_user(client, cast.member).get(url).status_code == 403
    assert as_user(client, cast.nobody).get(url).status_code == 403


def test_regularity_defaults_to_this_year_so_far(client, cast, tree):
    response = as_user(client, cast.office).get(reverse("meetings:regularity"))
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year
    assert response.context["end"] == timezone.localdate()
    assert response.context["org"] == tree.a


def test_the_secretary_notes_a_speakers_opinion_for_the_minutes(client, cast, people, world):
    meeting = world["meeting"]
    services.open_meeting(meeting, cast.secretary)
    services.check_in(inv(meeting, people["an"]), cast.member)
    request = services.request_to_speak(inv(meeting, people["an"]), cast.member)
    url = reverse("meetings:speech", args=[meeting.pk, request.pk])

    as_user(client, cast.member)  # the speaker does not write the minutes
    assert client.post(url, {"summary": "Tự ghi"}).status_code == 403
    as_user(client, cast.outsider)
    assert client.post(url, {"summary": "Ngoài phạm vi"}).status_code == 404
    request.refresh_from_db()
    assert request.summary == ""

    as_user(client, cast.secretary)
    response = client.post(url, {"summary": "Đề nghị tăng cường sinh hoạt chuyên đề."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.summary == "Đề nghị tăng cường sinh hoạt chuyên đề."
