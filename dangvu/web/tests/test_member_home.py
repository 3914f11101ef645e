"""A plain member's home (issue 9 item 6): the meeting in progress with "check in" and "enter the room"
first, the next meeting with its answer buttons, the other unanswered invitations, their own deadlines,
their record — and never a link they cannot follow (every link of the home and of the record opens for
them; their cell is named, not linked). The meetings list offers "enter the room" on a meeting in progress.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu.meetings import services
from dangvu.meetings.models import Attendance, MeetingKind, Rsvp
from dangvu.transfers import services as transfer_services
from dangvu.transfers.models import TransferKind

pytestmark = pytest.mark.django_db
HOME = reverse("web:home")


def local(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def plan(org, actor, day: dt.date, hour: int = 9, **fields):
    return services.create_meeting(
        org,
        actor,
        kind=fields.pop("kind", MeetingKind.REGULAR),
        starts_at=local(day, hour),
        place="Hội trường",
        **fields,
    )


@pytest.fixture
def day(cast, tree, people):
    """For An (the cast's member, cell C1): a meeting of C1 in progress, the next one planned tomorrow, a
    thematic one later (unanswered), one already answered; a meeting of C2 An is not invited to; an
    overdue transfer letter of An's and one of Bình's."""
    today = timezone.localdate()
    live = plan(tree.c1, cast.secretary, today, 0)
    services.open_meeting(live, cast.secretary)
    tomorrow = plan(tree.c1, cast.secretary, today + dt.timedelta(days=1), 14)
    later = plan(
        tree.c1, cast.secretary, today + dt.timedelta(days=9), kind=MeetingKind.THEMATIC, topic="Chuyển đổi số"
    )
    answered = plan(tree.c1, cast.secretary, today + dt.timedelta(days=12), kind=MeetingKind.EXTRAORDINARY)
    services.answer(answered.invitations.get(member=people["an"]), cast.member, rsvp=Rsvp.ATTENDING)
    elsewhere = plan(tree.c2, cast.office, today + dt.timedelta(days=1))
    long_ago = today - dt.timedelta(days=150)
    own = transfer_services.issue(
        people["an"],
        cast.office,
        kind=TransferKind.OFFICIAL,
        letter_number="1-GT/ĐU",
        letter_date=long_ago,
        to_organisation=tree.c3,
    )
    transfer_services.issue(
        people["binh"],
        cast.office,
        kind=TransferKind.OFFICIAL,
        letter_number="2-GT/ĐU",
        letter_date=long_ago,
        to_organisation=tree.c3,
    )
    return {
        "live": live,
        "tomorrow": tomorrow,
        "later": later,
        "answered": answered,
        "elsewhere": elsewhere,
        "transfer": own,
    }


def test_member_lands_on_what_they_need_today(client, cast, day):
    client.force_login(cast.member)
    page = client.get(HOME)
    assert page.status_code == 200
    assert [t.name for t in page.templates][0] == "web/member_home.html"
    html = page.content.decode()
    context = page.context
    # The meeting in progress comes first, with the check-in (a POST to the room) and the room.
    assert [i.meeting_id for i in context["live"]] == [day["live"].pk]
    live = day["live"].pk
    assert f'action="{reverse("meetings:room_check_in", args=[live])}"' in html
    assert f'id="room-{live}" href="{reverse("meetings:room", args=[live])}"' in html
    assert html.index(f'id="check-in-{live}"') < html.index('id="home-next"')
    # The next meeting with its answer buttons; the later unanswered invitation; not the answered one.
    assert context["next_meeting"].meeting_id == day["tomorrow"].pk
    assert f'action="{reverse("meetings:rsvp", args=[day["tomorrow"].pk])}"' in html
    assert [i.meeting_id for i in context["pending"]] == [day["later"].pk]
    assert "Chuyển đổi số" in html
    assert f'data-meeting="{day["answered"].pk}"' not in html
    # Denied: a meeting of another cell, another member's deadline.
    assert f'data-meeting="{day["elsewhere"].pk}"' not in html
    assert [(a.object_id, a.overdue) for a in context["alerts"]] == [(day["transfer"].pk, True)]
    assert "Trần Thị Bình" not in html
    assert context["overdue"] == 1
    # Their record and their cell, named with the shared label, not linked (its page is not theirs).
    assert reverse("members:detail", args=[cast.member.member_id]) in html
    assert 'id="home-cell"' in html and "Chi bộ Phòng Một" in html
    assert context["cell_url"] is None and reverse("orgs:detail", args=[cast.member.member.organisation_id]) not in html


def test_checking_in_from_the_home_enters_the_room(client, cast, day, people):
    client.force_login(cast.member)
    live = day["live"]
    response = client.post(reverse("meetings:room_check_in", args=[live.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("meetings:room", args=[live.pk])
    assert live.invitations.get(member=people["an"]).attendance == Attendance.PRESENT
    html = client.get(HOME).content.decode()
    assert f'id="check-in-{live.pk}"' not in html and 'data-present="1"' in html
    assert f'id="room-{live.pk}"' in html


def test_without_meetings_or_deadlines_the_home_says_so(client, cast):
    client.force_login(cast.member)
    page = client.get(HOME)
    assert page.context["live"] == [] and page.context["next_meeting"] is None
    assert b'id="no-next-meeting"' in page.content and b'id="home-nothing-due"' in page.content
    assert b'id="home-invitations"' not in page.content


LINK = re.compile(r'href="([^"#][^"]*)"')


def links(html: str) -> set[str]:
    return {href.replace("&amp;", "&") for href in LINK.findall(html) if not href.startswith("/static/")}


def test_every_link_on_the_members_home_and_record_opens_for_them(client, cast, day):
    client.force_login(cast.member)
    home = client.get(HOME).content.decode()
    record = client.get(reverse("members:detail", args=[cast.member.member_id])).content.decode()
    found = links(home) | links(record)
    assert reverse("transfers:detail", args=[day["transfer"].pk]) in found
    assert reverse("meetings:room", args=[day["live"].pk]) in found
    assert len(found) >= 8
    for href in sorted(found):
        assert client.get(href).status_code == 200, href


def test_the_record_links_the_cell_only_for_those_who_may_open_it(client, cast, tree):
    record = reverse("members:detail", args=[cast.member.member_id])
    cell = reverse("orgs:detail", args=[tree.c1.pk])
    client.force_login(cast.member)
    assert f'href="{cell}"'.encode() not in client.get(record).content
    assert client.get(cell).status_code == 404
    for role in ("office", "secretary"):
        client.force_login(getattr(cast, role))
        assert f'href="{cell}"'.encode() in client.get(record).content, role
        assert client.get(cell).status_code == 200, role


def test_staff_keep_the_dashboard_and_nobody_has_no_home(client, cast):
    client.force_login(cast.secretary)
    assert "web/member_home.html" not in [t.name for t in client.get(HOME).templates]
    client.force_login(cast.nobody)
    assert client.get(HOME).status_code == 403


def test_meetings_list_offers_the_room_for_a_meeting_in_progress(client, cast, day):
    live = day["live"].pk
    room = reverse("meetings:room", args=[live])
    client.force_login(cast.member)
    html = client.get(reverse("meetings:list") + "?tab=mine").content.decode()
    assert f'id="room-{live}" href="{room}"' in html and f'id="check-in-{live}"' in html
    assert f'id="room-{day["tomorrow"].pk}"' not in html  # planned: no room yet
    # Staff: those who run the meeting or are invited get the button; the leader (sees, not invited) not.
    for role, shown in (("secretary", True), ("office", True), ("leader", False)):
        client.force_login(getattr(cast, role))
        html = client.get(reverse("meetings:list") + "?tab=all").content.decode()
        assert (f'href="{room}"' in html) is shown, role
        assert client.get(room).status_code == (200 if shown else 403), role


def test_member_home_queries_do_not_grow_with_invitations(client, cast, tree, django_assert_max_num_queries):
    client.force_login(cast.member)
    today = timezone.localdate()
    plan(tree.c1, cast.secretary, today + dt.timedelta(days=2))
    client.get(HOME)
    with django_assert_max_num_queries(30) as first:
        client.get(HOME)
    for n in range(6):
        plan(tree.c1, cast.secretary, today + dt.timedelta(days=3 + n))
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(HOME)
    assert len(page.context["pending"]) == 6
