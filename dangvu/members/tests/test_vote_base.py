"""One vote base for every resolution of a cell (issue 8 items 1 and 2; Quy định 24-QĐ/TW 9.3).

A cell whose members include an exempt, a temporarily attached-elsewhere, a suspended and a probationary
member: the base of a meeting vote, of an admission resolution and of an official-membership resolution on
the same day is the same five official members; an exempt member who attends and votes counts in all three;
a base of zero decides nothing; the pages show who is in the base and why the others are not.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from dangvu import testing
from dangvu.admission import services as admission
from dangvu.admission.models import Stage
from dangvu.admission.tests.test_pipeline import open_candidate, spaced, step, walk
from dangvu.lib.errors import DomainError
from dangvu.meetings import services as meetings
from dangvu.meetings.models import Attendance, VoteMethod, VoteRule
from dangvu.meetings.tests.test_lifecycle import at, inv, plan
from dangvu.members.models import EventKind, Member, MemberEvent
from dangvu.members.services import record_event
from dangvu.members.vote_base import Outside, vote_base
from dangvu.orgs.models import OrgKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]  # meetings on 10/06/2024

DAY = dt.date(2024, 6, 10)  # a Monday; probation of the first candidate (ceremony 2023) is over


@pytest.fixture
def cell(tree):
    """A cell of its own under A1 (C9): five official members in the base, one exempt, one away, one
    suspended (events before DAY). `cell["org"]` is the cell."""
    c9 = testing.org(tree.a_base, "A1-C9", "Chi bộ Phòng Chín", OrgKind.CELL)
    tree.c9 = c9
    people = {f"in{i}": testing.member(c9, f"Thành Viên Số {i}") for i in range(5)}
    people["exempt"] = testing.member(c9, "Đỗ Miễn Sinh Hoạt")
    people["away"] = testing.member(c9, "Lý Tạm Chuyển")
    people["suspended"] = testing.member(c9, "Hồ Đình Chỉ")
    record_event(people["exempt"], kind=EventKind.EXEMPTION, date=dt.date(2024, 1, 2))
    record_event(
        people["away"], kind=EventKind.TEMP_TRANSFER_OUT, date=dt.date(2024, 1, 2), external_organisation="Đảng bộ X"
    )
    record_event(people["suspended"], kind=EventKind.SUSPENSION, date=dt.date(2024, 1, 2))
    people["org"] = c9
    return people


def probationer(tree, actor=None):
    """A candidate of C2 admitted in 2023 (a probationary member of C2 on DAY), waiting for the cell's
    resolution on official membership."""
    dates = spaced(dt.date(2023, 2, 1), Stage.TRAINING)
    return walk(open_candidate(tree.c9, actor, date=dt.date(2023, 2, 1)), actor, dates)


def cell_candidate(tree, actor=None):
    dates = spaced(dt.date(2024, 2, 1), Stage.INTRODUCTION)
    return walk(open_candidate(tree.c9, actor, date=dt.date(2024, 2, 1), full_name="Mai Ứng Viên"), actor, dates)


def meeting_vote(tree, present: list[Member], yes: int):
    meeting = plan(tree.c9, day=DAY)
    meetings.open_meeting(meeting, None)
    for m in present:
        meetings.check_in(inv(meeting, m), None, at=meeting.starts_at)
    vote = meetings.create_vote(
        meeting, None, question="Thông qua", method=VoteMethod.COUNT, rule=VoteRule.TWO_THIRDS_OF_MEMBERS
    )
    meetings.open_vote(vote, None)
    return meeting, meetings.close_vote(vote, None, counts={"yes": yes})


def test_the_base_leaves_out_exempt_away_suspended_and_probationary(tree, cell):
    new = probationer(tree)
    base = vote_base(tree.c9, DAY)
    assert base.size == 5
    assert {s.member.pk for s in base.included} == {cell[f"in{i}"].pk for i in range(5)}
    reasons = {s.member.pk: s.outside for s in base.excluded}
    assert reasons == {
        cell["exempt"].pk: Outside.EXEMPT,
        cell["away"].pk: Outside.AWAY,
        cell["suspended"].pk: Outside.SUSPENDED,
        new.member_id: Outside.PROBATIONARY,
    }
    # The day before the events the three were in the base.
    assert vote_base(tree.c9, dt.date(2024, 1, 1)).size == 8
    # An exempt member who attends counts; another id is ignored.
    attending = vote_base(tree.c9, DAY, exempt_attending=[cell["exempt"].pk, cell["away"].pk])
    assert attending.size == 6 and [s.member for s in attending.exempt] == [cell["exempt"]]


def test_meeting_admission_and_official_membership_take_the_same_base(tree, cell):
    new = probationer(tree)
    fresh = cell_candidate(tree)
    five = [cell[f"in{i}"] for i in range(5)]
    _meeting, vote = meeting_vote(tree, five, yes=4)
    admitted = step(fresh, Stage.CELL_RESOLUTION, None, DAY, votes_for=4)
    official = step(new, Stage.OFFICIAL_RESOLUTION, None, DAY, votes_for=4)
    assert vote.eligible == admitted.votes_eligible == official.votes_eligible == 5
    # 4 of 5 is at least two thirds (4 needed) in all three.
    assert vote.passed and official.recognised and admitted.pk


def test_an_exempt_member_who_attends_counts_everywhere(tree, cell):
    new = probationer(tree)
    fresh = cell_candidate(tree)
    six = [cell[f"in{i}"] for i in range(5)] + [cell["exempt"]]
    meeting, vote = meeting_vote(tree, six, yes=4)
    assert (vote.eligible, vote.present, vote.passed) == (6, 6, True)
    admitted = step(fresh, Stage.CELL_RESOLUTION, None, DAY, votes_for=4, exempt_attending=[cell["exempt"]])
    official = step(new, Stage.OFFICIAL_RESOLUTION, None, DAY, votes_for=4, exempt_attending=[cell["exempt"]])
    assert vote.eligible == admitted.votes_eligible == official.votes_eligible == 6
    assert list(admitted.exempt_voters.all()) == [cell["exempt"]]
    # In the meeting room the exempt member, checked in, may cast a ballot (it was refused before).
    named = meetings.create_vote(
        meeting, None, question="Biểu quyết", method=VoteMethod.NAMED, rule=VoteRule.TWO_THIRDS_OF_MEMBERS
    )
    meetings.open_vote(named, None)
    meetings.cast(named, inv(meeting, cell["exempt"]), "yes")
    assert meetings.has_voted(named, inv(meeting, cell["exempt"]))
    # Marked absent afterwards, the exempt member leaves the base again.
    meetings.mark_attendance(inv(meeting, cell["exempt"]), None, attendance=Attendance.UNEXCUSED)
    assert inv(meeting, cell["exempt"]).may_vote is False


def test_an_exempt_member_who_does_not_attend_cannot_vote(tree, cell):
    meeting = plan(tree.c9, day=DAY)
    meetings.open_meeting(meeting, None)
    for i in range(5):
        meetings.check_in(inv(meeting, cell[f"in{i}"]), None, at=meeting.starts_at)
    named = meetings.create_vote(
        meeting, None, question="Biểu quyết", method=VoteMethod.NAMED, rule=VoteRule.TWO_THIRDS_OF_MEMBERS
    )
    meetings.open_vote(named, None)
    with translation.override("en"), pytest.raises(DomainError, match="not entitled"):
        meetings.cast(named, inv(meeting, cell["exempt"]), "yes")
    for who in ("away", "suspended"):  # attending does not bring these into the base
        meetings.check_in(inv(meeting, cell[who]), None, at=meeting.starts_at)
        with translation.override("en"), pytest.raises(DomainError, match="not entitled"):
            meetings.cast(named, inv(meeting, cell[who]), "yes")


# --- Item 2: a base of zero decides nothing ---------------------------------------------------------------


@pytest.fixture
def empty_cell(tree):
    """C9 with one member, exempt: nobody in the base."""
    tree.c9 = testing.org(tree.a_base, "A1-C9", "Chi bộ Phòng Chín", OrgKind.CELL)
    lone = testing.member(tree.c9, "Đỗ Miễn Sinh Hoạt")
    record_event(lone, kind=EventKind.EXEMPTION, date=dt.date(2024, 1, 2))
    return lone


def test_a_meeting_vote_on_an_empty_base_is_refused(tree, empty_cell):
    meeting = plan(tree.c9, day=DAY)
    assert meetings.forecast(meeting).likely_quorate is False
    meetings.open_meeting(meeting, None)
    vote = meetings.create_vote(
        meeting, None, question="Thông qua", method=VoteMethod.COUNT, rule=VoteRule.TWO_THIRDS_OF_MEMBERS
    )
    with translation.override("en"), pytest.raises(DomainError, match="base of zero decides nothing"):
        meetings.open_vote(vote, None)
    vote.refresh_from_db()
    assert vote.state == "draft" and vote.eligible is None
    assert meetings.is_quorate(0, 0, DAY) is False and meetings.is_quorate(1, 1, DAY) is True


def test_an_admission_resolution_on_an_empty_base_is_refused(tree, empty_cell):
    dates = spaced(dt.date(2024, 2, 1), Stage.INTRODUCTION)
    day = dates.pop(Stage.INTRODUCTION)
    fresh = walk(open_candidate(tree.c9, None, date=dt.date(2024, 2, 1)), None, dates)
    elsewhere = [testing.member(tree.c1, f"Người Giới Thiệu {i}") for i in (1, 2)]  # none in C9 may introduce
    step(fresh, Stage.INTRODUCTION, None, day, introducers=[(m, dt.date(2020, 1, 1)) for m in elsewhere])
    steps_before = fresh.steps.count()
    with translation.override("en"), pytest.raises(DomainError, match="base of zero decides nothing"):
        admission.record_step(fresh, Stage.CELL_RESOLUTION, None, date=DAY, votes_for=0)
    assert fresh.steps.count() == steps_before and MemberEvent.objects.filter(member=empty_cell).count() == 3
    # The attending exempt member makes a base of one: 1 of 1 passes (boundary on the other side).
    ok = admission.record_step(
        fresh,
        Stage.CELL_RESOLUTION,
        None,
        date=DAY,
        votes_for=1,
        exempt_attending=[empty_cell],
    )
    assert ok.votes_eligible == 1


# --- Pages: who is in the base and why the others are not --------------------------------------------------


def test_the_admission_page_shows_the_base(client, cast, tree, cell):
    fresh = cell_candidate(tree)
    client.force_login(cast.office)
    response = client.get(reverse("admission:candidate", args=[fresh.pk]))
    html = response.content.decode()
    assert response.context["hint"]["eligible"] == 5
    assert 'id="vote-base" data-size="5" data-excluded="3"' in html
    for who, reason in (("exempt", "exempt"), ("away", "away"), ("suspended", "suspended")):
        assert f'data-member="{cell[who].pk}" data-in="0" data-reason="{reason}"' in html
    assert "tạm thời sinh hoạt ở tổ chức đảng khác" in html  # the reason, in Vietnamese
    # The exempt member may be ticked as attending and voting.
    assert list(response.context["form"].fields["exempt_attending"].queryset) == [cell["exempt"]]
    response = client.post(
        reverse("admission:record", args=[fresh.pk]),
        {
            "stage": Stage.CELL_RESOLUTION,
            "date": "10/06/2024",
            "votes_for": "5",
            "document_number": "5-NQ/CB",
            "exempt_attending": [str(cell["exempt"].pk)],
        },
    )
    assert response.status_code == 302
    recorded = fresh.steps.get(stage=Stage.CELL_RESOLUTION, annulled_at__isnull=True)
    assert recorded.votes_eligible == 6
    # Denied: the cell secretary of C1 does not see a C2 file.
    client.force_login(cast.secretary)
    assert client.get(reverse("admission:candidate", args=[fresh.pk])).status_code == 404


def test_the_meeting_page_shows_the_base(client, cast, tree, cell):
    meeting = plan(tree.c9, day=DAY)
    client.force_login(cast.office)
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'id="vote-base" data-size="5" data-excluded="3"' in html
    assert f'data-member="{cell["exempt"].pk}" data-in="0" data-reason="exempt"' in html
    meetings.open_meeting(meeting, None)
    meetings.check_in(inv(meeting, cell["exempt"]), None, at=at(DAY))
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'id="vote-base" data-size="6" data-excluded="2"' in html
    assert f'data-member="{cell["exempt"].pk}" data-in="1"' in html
    client.force_login(cast.outsider)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
