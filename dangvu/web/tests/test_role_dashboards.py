"""Each role's dashboard shows that role's work (issue 9 item 8), within the role's organisations: the cell
secretary their cell's next meeting, deadlines, months without a regular meeting and members (never an
empty table); the leader the committee's figures and what lags; the inspection committee the suspended
members, the year's disciplinary entries and the overdue deadlines; the office and the administrator keep
the office's dashboard. Every link of each dashboard opens for its reader."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu import testing
from dangvu.accounts.models import Role, RoleAssignment
from dangvu.admission.counts import admission_counts
from dangvu.alerts.sources import Kind
from dangvu.lib.dates import add_months
from dangvu.meetings import services, stats
from dangvu.meetings.alerts import REGULAR_MISSING
from dangvu.meetings.models import MeetingKind
from dangvu.meetings.tests.test_lifecycle import hold
from dangvu.members.models import EventKind
from dangvu.members.services import record_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]
HOME = reverse("web:home")


def today() -> dt.date:
    return timezone.localdate()


def local(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def regular(org, actor, day: dt.date):
    return services.create_meeting(org, actor, kind=MeetingKind.REGULAR, starts_at=local(day), place="Hội trường")


def template(response) -> str:
    return response.templates[0].name


@pytest.fixture
def work(cast, tree, people):
    """C1 held its regular meeting two months ago (when that month is in the last twelve); a probationary
    member of C1 whose probation ends soon; one in C2 whose official membership is overdue; a suspended
    member in C2 and one in C3 (committee B)."""
    two_months_ago = add_months(today().replace(day=1), -2) + dt.timedelta(days=9)
    hold(regular(tree.c1, cast.secretary, two_months_ago), [people["an"], people["binh"]], cast.secretary)
    ending = testing.member(tree.c1, "Đỗ Thị Mới", admitted=today() - dt.timedelta(days=355), official=False)
    late = testing.member(tree.c2, "Vũ Văn Muộn", admitted=today() - dt.timedelta(days=500), official=False)
    record_event(people["duc"], kind=EventKind.SUSPENSION, date=today(), actor=cast.office)
    record_event(people["em"], kind=EventKind.SUSPENSION, date=today(), actor=cast.outsider)
    return {"held": two_months_ago.replace(day=1), "ending": ending, "late": late}


def test_cell_secretary_sees_the_cells_work(client, cast, tree, work):
    client.force_login(cast.secretary)
    page = client.get(HOME)
    assert template(page) == "web/dashboard_roles.html"
    [section] = page.context["secretary"]
    assert section.cell == tree.c1 and page.context["leader"] == [] and page.context["inspector"] == []
    # No meeting planned: said, with the way to plan one (which opens for the secretary).
    html = page.content.decode()
    assert section.next_meeting is None and 'id="cell-no-meeting"' in html
    assert client.get(section.plan_url).status_code == 200
    # Months without a regular meeting: the last twelve before this one, but the month C1 met.
    this_month = today().replace(day=1)
    expected = [add_months(this_month, -n) for n in range(11, 0, -1) if add_months(this_month, -n) != work["held"]]
    assert section.missing_months == expected
    assert f'data-missing="{len(expected)}"' in html
    assert section.this_month_held is False and 'data-held="0"' in html
    # The cell's deadlines, not C2's; its members.
    found = {(a.kind, a.object_id, a.overdue) for a in section.deadlines}
    assert (Kind.PROBATION_ENDING, work["ending"].pk, False) in found
    assert (REGULAR_MISSING, tree.c1.pk, True) in found  # last month's regular meeting was not held
    assert {a.organisation_id for a in section.deadlines} == {tree.c1.pk}
    assert "Vũ Văn Muộn" not in html
    assert section.in_party == 3  # An, Bình and the probationary Đỗ Thị Mới
    # Not the office's dashboard: no table of subordinates (a cell has none), no transfers card.
    assert "<table" not in html and 'id="card-transfers"' not in html


def test_cell_secretary_sees_the_next_meeting_and_the_room(client, cast, tree, people, work):
    upcoming = regular(tree.c1, cast.secretary, today() + dt.timedelta(days=3))
    regular(tree.c2, cast.office, today() + dt.timedelta(days=1))  # another cell's: not theirs
    client.force_login(cast.secretary)
    [section] = client.get(HOME).context["secretary"]
    assert section.next_meeting == upcoming and section.room_url is None
    running = regular(tree.c1, cast.secretary, today())
    services.open_meeting(running, cast.secretary)
    page = client.get(HOME)
    [section] = page.context["secretary"]
    assert section.next_meeting == running  # the meeting in progress comes first
    assert f'href="{reverse("meetings:room", args=[running.pk])}"' in page.content.decode()


def test_leader_sees_the_committees_figures_and_what_lags(client, cast, tree, work):
    client.force_login(cast.leader)
    page = client.get(HOME)
    assert template(page) == "web/dashboard_roles.html"
    [section] = page.context["leader"]
    assert section.organisation == tree.a and page.context["secretary"] == []
    start = dt.date(today().year, 1, 1)
    # One existing statistics function per figure.
    assert section.in_party == 5  # An, Bình, Đức, Mới, Muộn — not Em of committee B
    counted = admission_counts(tree.a, start, today()).total
    assert (section.admissions, section.officials) == (counted.admissions, counted.officials)
    report = stats.regularity(tree.a, start, today())
    assert (section.regular_months, section.months_in_force) == (report.regular_months, report.months_in_force)
    assert (section.assignments, section.compliant) == (0, 0)
    # What lags: every cell of A with a month of this year (before this one) without a regular meeting.
    this_month = today().replace(day=1)
    months_before = [m for m in stats.months_between(start, today()) if m < this_month]
    lagging = {cell.pk for cell, _months in section.lagging_cells}
    expected = {tree.c1.pk, tree.c2.pk, tree.a_cell_base.pk} if months_before else set()
    if months_before == [work["held"]]:
        expected.discard(tree.c1.pk)
    assert lagging == expected
    assert tree.c3.pk not in lagging
    # Overdue deadlines by organisation, most first: C2's official membership and every cell's regular
    # meeting of last month.
    overdue = {pk: n for pk, _label, n in section.overdue_by_org}
    assert overdue == {tree.c2.pk: 2, tree.c1.pk: 1, tree.a_cell_base.pk: 1}
    assert section.overdue_by_org[0][0] == tree.c2.pk and section.overdue == 4
    html = page.content.decode()
    assert 'id="leader-in-party" data-count="5"' in html and 'id="card-transfers"' not in html


def test_inspector_sees_suspensions_discipline_and_overdue(client, cast, tree, people, work):
    client.force_login(cast.inspector)
    page = client.get(HOME)
    [section] = page.context["inspector"]
    assert section.organisation == tree.a
    assert [m.full_name for m in section.suspended] == ["Lê Minh Đức"] and section.suspended_count == 1
    assert dict(section.discipline)[str(EventKind.SUSPENSION.label)] == 1
    assert [e.member_id for e in section.recent] == [people["duc"].pk]
    assert section.overdue >= 1
    html = page.content.decode()
    assert "Phạm Thị Em" not in html  # suspended in committee B: not theirs
    assert 'id="card-transfers"' not in html and page.context["leader"] == []


@pytest.mark.parametrize("role", ["office", "admin"])
def test_office_and_administrator_keep_the_office_dashboard(client, cast, role, work):
    client.force_login(getattr(cast, role))
    page = client.get(HOME)
    assert template(page) == "web/home.html" and "org_rows" in page.context


def test_a_user_with_two_roles_sees_both(client, cast, tree, work):
    RoleAssignment.objects.create(
        user=cast.secretary, role=Role.INSPECTION, organisation=tree.a_base, valid_from=testing.D0
    )
    client.force_login(cast.secretary)
    context = client.get(HOME).context
    assert [s.cell for s in context["secretary"]] == [tree.c1]
    assert [s.organisation for s in context["inspector"]] == [tree.a_base]


LINK = re.compile(r'href="([^"#][^"]*)"')


@pytest.mark.parametrize("role", ["secretary", "leader", "inspector"])
def test_every_link_of_the_dashboard_opens_for_its_reader(client, cast, tree, work, role):
    client.force_login(getattr(cast, role))
    html = client.get(HOME).content.decode()
    links = {h.replace("&amp;", "&") for h in LINK.findall(html) if not h.startswith("/static/")}
    assert len(links) >= 5
    for href in sorted(links):
        assert client.get(href).status_code == 200, href


def test_leader_dashboard_queries_do_not_grow(client, cast, tree, django_assert_max_num_queries):
    client.force_login(cast.leader)
    client.get(HOME)
    with django_assert_max_num_queries(60) as first:
        client.get(HOME)
    for n in range(4):
        testing.org(tree.a_base, f"A1-X{n}", f"Chi bộ Phòng Mới {n}", "cell")
    for _ in range(6):
        testing.member(tree.c2, admitted=today() - dt.timedelta(days=500), official=False)
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(HOME)
    assert page.context["leader"][0].in_party == 3 + 6


def test_a_member_of_staff_checks_in_from_their_dashboard(client, cast, tree, people):
    """A cell secretary is a party member too: their own meeting in progress comes first, with the check-in."""
    cast.secretary.member = people["binh"]
    cast.secretary.save()
    running = regular(tree.c1, cast.secretary, today())
    services.open_meeting(running, cast.secretary)
    client.force_login(cast.secretary)
    page = client.get(HOME)
    assert [i.meeting_id for i in page.context["live"]] == [running.pk]
    html = page.content.decode()
    assert f'action="{reverse("meetings:room_check_in", args=[running.pk])}"' in html
    assert html.index(f'id="check-in-{running.pk}"') < html.index(f'id="secretary-{tree.c1.pk}"')
    # The leader (no member record) has no such card.
    client.force_login(cast.leader)
    assert client.get(HOME).context["live"] == []
