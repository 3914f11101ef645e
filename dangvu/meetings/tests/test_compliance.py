"""Compliance of leadership assignments (issue 4 item 6, seed 002): a committee member in charge of an
organisation attends its meetings at least `meeting.assignee_visits` (2) times every
`meeting.assignee_months` (6), prorated to the months the assignment overlaps the period.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.meetings import services, stats
from dangvu.meetings.models import Attendance, InviteeRole, MeetingKind
from dangvu.meetings.tests.test_lifecycle import hold, inv, members, plan
from dangvu.orgs import committees
from dangvu.orgs.models import Position, Term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]  # a history of meetings

D = dt.date
H1 = (D(2025, 1, 1), D(2025, 6, 30))


@pytest.fixture
def committee(tree):
    term = Term.objects.create(code="2025-2030", start=D(2025, 1, 1), end=D(2030, 12, 31))
    return committees.elect_committee(tree.a_base, term, D(2025, 1, 5), None, "01-QĐ/ĐU")


def seat_for(committee, name: str, cell):
    member = testing.member(cell, name)
    return committees.add_seat(committee, member, Position.COMMITTEE_MEMBER, D(2025, 1, 5), None)


def result_for(org, assignment, period=H1) -> stats.AssignmentCompliance:
    (found,) = [c for c in stats.compliance(org, *period) if c.assignment.pk == assignment.pk]
    return found


def test_two_meetings_in_six_months(tree, committee):
    seat = seat_for(committee, "Phụ Trách Chi Bộ Hai", tree.c1)
    leader = seat.member
    assignment = committees.assign_leadership(seat, tree.c2, D(2025, 1, 5), None, document_number="15-QĐ/ĐU")
    cell = members(tree.c2, 3)
    meetings = {}
    for m in range(1, 8):
        meeting = plan(tree.c2, day=D(2025, m, 10))
        guest = inv(meeting, leader)  # invited automatically, as a guest
        assert (guest.role, guest.may_vote, guest.expected) == (InviteeRole.GUEST, False, False)
        meetings[m] = hold(meeting, cell + ([leader] if m in (2, 7) else []))  # July is outside the period
    # Not counted: his own cell's meeting, a meeting of C2 not closed, a cancelled one.
    hold(plan(tree.c1, day=D(2025, 3, 12)), [leader])
    running = plan(tree.c2, day=D(2025, 5, 20), kind=MeetingKind.EXTRAORDINARY)
    services.open_meeting(running, None)
    services.check_in(inv(running, leader), None, at=running.starts_at)
    services.cancel_meeting(plan(tree.c2, day=D(2025, 6, 20)), None, "Hoãn")

    first = result_for(tree.a_base, assignment)
    assert (first.attended, first.required, first.compliant) == (1, 2, False)
    assert first.assignment.seat.member == leader and first.assignment.organisation == tree.c2
    # The secretary records that he came to the April meeting too (the minutes are not approved yet).
    services.mark_attendance(inv(meetings[4], leader), None, attendance=Attendance.PRESENT)
    second = result_for(tree.a_base, assignment)
    assert (second.attended, second.required, second.compliant) == (2, 2, True)
    # The same through the higher levels; nothing from another branch.
    assert result_for(tree.a, assignment).attended == 2
    assert [c for c in stats.compliance(tree.b, *H1)] == []


def test_meetings_of_the_subtree_count(tree, committee):
    """In charge of the grassroots committee A1: the meetings of its cells count too."""
    secretary_committee = committees.elect_committee(tree.a, Term.objects.get(), D(2025, 1, 5), None, "02-QĐ/ĐU")
    seat = seat_for(secretary_committee, "Phụ Trách Đảng Bộ Sở", tree.a_cell_base)
    assignment = committees.assign_leadership(seat, tree.a_base, D(2025, 1, 5), None)
    hold(plan(tree.c1, day=D(2025, 2, 10), guests=[seat.member]), [seat.member])
    hold(plan(tree.c2, day=D(2025, 5, 10), guests=[seat.member]), [seat.member])
    found = result_for(tree.a, assignment)
    assert (found.attended, found.required, found.compliant) == (2, 2, True)


@pytest.mark.parametrize(
    ("start", "end", "months", "required"),
    [
        (D(2025, 5, 10), None, 2, 1),  # May and June: 2 × 2/6 rounds up to 1
        (D(2025, 3, 15), None, 4, 2),  # March to June: 2 × 4/6 = 1.33 → 2
        (D(2024, 6, 1), D(2025, 4, 1), 3, 1),  # ended on 1 April: January to March
        (D(2024, 1, 1), None, 6, 2),  # the whole period
    ],
)
def test_proration_for_an_assignment_starting_or_ending_in_the_period(tree, committee, start, end, months, required):
    seat = seat_for(committee, "Phụ Trách", tree.c1)
    assignment = committees.assign_leadership(seat, tree.c2, start, None, valid_to=end)
    people = members(tree.c2, 2)
    # He attends one meeting in February and one in June (the second only counts while he is in charge).
    for day in (D(2025, 2, 10), D(2025, 6, 10)):
        hold(plan(tree.c2, day=day, guests=[seat.member]), [*people, seat.member])
    found = result_for(tree.a_base, assignment)
    in_force = [d for d in (D(2025, 2, 10), D(2025, 6, 10)) if start <= d and (end is None or d < end)]
    assert (found.required, found.attended) == (required, len(in_force))
    assert found.compliant == (len(in_force) >= required)
    assert months == len(stats.months_between(max(start, H1[0]), min(H1[1], (end or H1[1]) - dt.timedelta(days=1))))


def test_an_assignment_outside_the_period_is_not_listed(tree, committee):
    seat = seat_for(committee, "Phụ Trách Cũ", tree.c1)
    committees.assign_leadership(seat, tree.c2, D(2024, 1, 1), None, valid_to=D(2025, 1, 1))
    later = committees.assign_leadership(seat, tree.c2, D(2025, 7, 1), None)
    assert stats.compliance(tree.a_base, *H1) == []
    assert [c.assignment for c in stats.compliance(tree.a_base, D(2025, 7, 1), D(2025, 12, 31))] == [later]
