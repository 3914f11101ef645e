"""Attendance and regularity statistics for a cell over a year (issue 4 item 6, acceptance "attendance and
regularity statistics for a cell over a year"): regular months against the months in force with the missing
months named, thematic meetings against the yearly requirement prorated to the months in force, the
attendance rate over the held member meetings, meetings a guest from the registry attended; lineage across a
merger; a cell established during the year.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from dangvu import testing
from dangvu.meetings import services, stats
from dangvu.meetings.models import Meeting, MeetingKind
from dangvu.meetings.tests.test_lifecycle import VN, hold, members, plan
from dangvu.orgs import services as org_services
from dangvu.orgs.models import OrgKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]  # a history of meetings

Y = 2025
START, END = dt.date(Y, 1, 1), dt.date(Y, 12, 31)
D = dt.date


def month(m: int, year: int = Y) -> dt.date:
    return dt.date(year, m, 1)


def held(cell, day: dt.date, present, *, kind: str = MeetingKind.REGULAR, **kw) -> Meeting:
    return hold(plan(cell, day=day, kind=kind, **kw), present)


@pytest.fixture
def year(tree):
    """Cell C2 in 2025: four members expected (and one exempt, not expected); a regular meeting every month
    but July, two thematic meetings; the committee member in charge (from C1) at three meetings."""
    from dangvu.members.models import EventKind
    from dangvu.members.services import record_event

    a, b, c, d = members(tree.c2, 4)
    exempt = testing.member(tree.c2, "Đỗ Miễn")
    record_event(exempt, kind=EventKind.EXEMPTION, date=D(2024, 6, 1))
    guest = testing.member(tree.c1, "Phụ Trách Cấp Trên")
    everyone = [a, b, c, d]
    # One absence in February, April, June, October and December, one in August (below), two at the second
    # thematic meeting: 4 × 13 = 52 expected, 44 present.
    for m in [1, 2, 3, 4, 5, 6, 9, 10, 11, 12]:
        absent = {everyone[m % 4]} if m % 2 == 0 else set()
        present = [p for p in everyone if p not in absent]
        meeting = plan(tree.c2, day=D(Y, m, 10), guests=[guest], external_guests=[("Khách ngoài", "")])
        if m in (3, 6, 9):
            present.append(guest)
        hold(meeting, present)
    # August: the meeting starts at 00:30 on 1 August, local time (31 July in UTC): it is August's.
    august = services.create_meeting(
        tree.c2, None, kind=MeetingKind.REGULAR, starts_at=dt.datetime(Y, 8, 1, 0, 30, tzinfo=VN), place="Hội trường"
    )
    hold(august, [a, b, c])  # one absence
    held(tree.c2, D(Y, 3, 20), everyone, kind=MeetingKind.THEMATIC)
    held(tree.c2, D(Y, 9, 20), [a, b], kind=MeetingKind.THEMATIC)
    # July has no regular meeting held: one planned and cancelled, one opened but never closed.
    services.cancel_meeting(plan(tree.c2, day=D(Y, 7, 10)), None, "Bão")
    services.open_meeting(plan(tree.c2, day=D(Y, 7, 25)), None)
    # Outside the year.
    held(tree.c2, D(Y - 1, 12, 31), everyone)
    services.create_meeting(
        tree.c2, None, kind=MeetingKind.REGULAR, starts_at=dt.datetime(Y + 1, 1, 1, 0, 30, tzinfo=VN), place="HT"
    )
    return tree


def test_a_cell_over_a_year(year, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        result = stats.regularity(year.c2, START, END)
    (cell,) = result.cells
    assert cell.organisation == year.c2
    assert (cell.months_in_force, cell.regular_months, cell.missing_months) == (12, 11, [month(7)])
    assert (cell.thematic_held, cell.thematic_required) == (2, 2)
    assert cell.meetings_held == 13  # 11 regular + 2 thematic
    # Expected: 4 members at 13 meetings = 52. Absent: Feb, Apr, Jun, Oct, Dec (one each), August (one),
    # the September thematic meeting (two) = 8. Present 44.
    assert (cell.expected, cell.present) == (52, 44)
    assert Fraction(cell.present, cell.expected) == Fraction(11, 13)
    assert cell.attendance_rate == 44 / 52
    assert cell.meetings_with_guests == 3  # the committee member in charge; external guests are not counted
    assert (result.months_in_force, result.regular_months, result.thematic_held) == (12, 11, 2)
    assert result.attendance_rate == 44 / 52 and result.meetings_with_guests == 3


def test_a_shorter_period_and_the_parent(year):
    first_half = stats.regularity(year.c2, START, D(Y, 6, 30)).cells[0]
    assert (first_half.months_in_force, first_half.regular_months, first_half.missing_months) == (6, 6, [])
    assert first_half.thematic_required == 1 and first_half.thematic_held == 1
    q3 = stats.regularity(year.c2, D(Y, 7, 1), D(Y, 9, 30)).cells[0]
    assert (q3.months_in_force, q3.regular_months, q3.missing_months) == (3, 2, [month(7)])
    parent = stats.regularity(year.a_base, START, END)
    assert [c.organisation for c in parent.cells] == [year.c1, year.c2]  # the committee itself holds no meeting
    c1 = parent.cells[0]
    assert (c1.regular_months, len(c1.missing_months), c1.attendance_rate) == (0, 12, None)
    assert (parent.months_in_force, parent.regular_months, parent.thematic_required) == (24, 11, 4)
    assert [c.organisation for c in stats.regularity(year.b, START, END).cells] == [year.c3]


def test_the_query_count_does_not_grow_with_cells(tree, django_assert_max_num_queries):
    for code in range(6):
        cell = testing.org(tree.a_base, f"A1-X{code}", f"Chi bộ Thử {code}", OrgKind.CELL)
        people = members(cell, 2)
        held(cell, D(Y, 2, 10), people)
    with django_assert_max_num_queries(12):
        result = stats.regularity(tree.a, START, END)
    assert len(result.cells) == 6 + 3 and result.regular_months == 6


def test_lineage_across_a_merger(tree):
    """C1 and C2 merge into a new cell on 1 July 2025. Before: C1 met every month, C2 missed May; after,
    the new cell missed October. With lineage the predecessors' months count for the successor."""
    c1_people, c2_people = members(tree.c1, 3), members(tree.c2, 3)
    for m in range(1, 7):
        held(tree.c1, D(Y, m, 5), c1_people)
        if m != 5:
            held(tree.c2, D(Y, m, 6), c2_people[:2])
    held(tree.c1, D(Y, 3, 15), c1_people, kind=MeetingKind.THEMATIC)
    effects = org_services.merge(
        [tree.c1, tree.c2],
        D(Y, 7, 1),
        org_services.Document("12-QĐ/ĐU", D(Y, 6, 20)),
        None,
        new=org_services.OrgSpec("A1-C12", "Chi bộ Phòng Một - Hai", OrgKind.CELL),
        parent=tree.a_base,
    )
    merged = effects.created[0]
    everyone = c1_people + c2_people
    for m in range(7, 13):
        if m != 10:
            held(merged, D(Y, m, 5), everyone)
    held(merged, D(Y, 11, 20), everyone[:3], kind=MeetingKind.THEMATIC)

    result = stats.regularity(merged, START, END)
    by_org = {c.organisation.pk: c for c in result.cells}
    assert set(by_org) == {merged.pk, tree.c1.pk, tree.c2.pk}
    got = {
        pk: (c.months_in_force, c.regular_months, c.missing_months, c.thematic_held, c.thematic_required)
        for pk, c in by_org.items()
    }
    assert got == {
        tree.c1.pk: (6, 6, [], 1, 1),
        tree.c2.pk: (6, 5, [month(5)], 0, 1),
        merged.pk: (6, 5, [month(10)], 1, 1),
    }
    assert (result.months_in_force, result.regular_months, result.thematic_held, result.thematic_required) == (
        18,
        16,
        2,
        3,
    )
    # Attendance: C1 3/3 at 7 meetings, C2 2/3 at 5, the new cell 6/6 at 5 and 3/6 at one.
    assert result.attendance_rate == (21 + 10 + 30 + 3) / (21 + 15 + 30 + 6)
    # Without lineage: the successor's own record only.
    own = stats.regularity(merged, START, END, lineage=False)
    assert [c.organisation.pk for c in own.cells] == [merged.pk]
    # The parent committee sees all three, with or without lineage (they were all under it).
    parent = stats.regularity(tree.a_base, START, END, lineage=False)
    assert {tree.c1.pk, tree.c2.pk, merged.pk} <= {c.organisation.pk for c in parent.cells}
    assert parent.regular_months == 16


def test_a_cell_established_during_the_year(tree):
    april = testing.org(tree.a_base, "A1-C4", "Chi bộ Phòng Tư", OrgKind.CELL, D(Y, 4, 15))
    july = testing.org(tree.a_base, "A1-C7", "Chi bộ Phòng Bảy", OrgKind.CELL, D(Y, 7, 1))
    people = members(july, 2)
    for m in (7, 8, 9, 11, 12):
        held(july, D(Y, m, 10), people)
    held(july, D(Y, 10, 10), people, kind=MeetingKind.THEMATIC)
    cells = {c.organisation.pk: c for c in stats.regularity(tree.a_base, START, END).cells}
    j, a = cells[july.pk], cells[april.pk]
    # Six months in force (July to December): one thematic meeting required (2 a year, prorated).
    assert (j.months_in_force, j.regular_months, j.missing_months) == (6, 5, [month(10)])
    assert (j.thematic_held, j.thematic_required) == (1, 1)
    assert j.attendance_rate == 1.0
    # Established on 15 April: April counts as a month in force (9 months); 2 × 9/12 rounds up to 2.
    assert (a.months_in_force, a.thematic_required, a.missing_months[0]) == (9, 2, month(4))
    assert len(a.missing_months) == 9
    # The first half of the year: July's cell did not exist yet.
    first_half = {c.organisation.pk for c in stats.regularity(tree.a_base, START, D(Y, 6, 30)).cells}
    assert july.pk not in first_half and april.pk in first_half


def test_meetings_of_other_kinds_do_not_count_as_regular(tree):
    people = members(tree.c2, 3)
    held(tree.c2, D(Y, 2, 10), people, kind=MeetingKind.EXTRAORDINARY)
    held(tree.c2, D(Y, 3, 10), people, kind=MeetingKind.THEMATIC)
    cell = stats.regularity(tree.c2, START, END).cells[0]
    assert (cell.regular_months, cell.thematic_held, cell.meetings_held) == (0, 1, 2)
    assert (cell.expected, cell.present) == (6, 6)


def test_two_regular_meetings_in_a_month_fill_one_month(tree):
    people = members(tree.c2, 2)
    held(tree.c2, D(Y, 5, 2), people)
    held(tree.c2, D(Y, 5, 28), people[:1])
    cell = stats.regularity(tree.c2, D(Y, 5, 1), D(Y, 6, 30)).cells[0]
    assert (cell.months_in_force, cell.regular_months, cell.missing_months) == (2, 1, [month(6)])
    assert (cell.expected, cell.present, cell.meetings_held) == (4, 3, 2)


def test_the_rule_in_force_sets_the_requirements(tree):
    from dangvu.rules.models import RuleSet

    RuleSet.objects.create(
        effective_from=D(Y, 1, 1), name="Thử", values={"meeting.regular_per_month": 2, "meeting.thematic_per_year": 4}
    )
    people = members(tree.c2, 2)
    held(tree.c2, D(Y, 5, 2), people)
    held(tree.c2, D(Y, 5, 28), people)
    held(tree.c2, D(Y, 6, 2), people)
    cell = stats.regularity(tree.c2, D(Y, 5, 1), D(Y, 7, 31)).cells[0]
    assert (cell.regular_months, cell.missing_months, cell.thematic_required) == (1, [month(6), month(7)], 1)
