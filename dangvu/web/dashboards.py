"""Each role's dashboard (issue 9 item 8): the committee office and the administrator keep the office's
dashboard (dangvu.web.views.home); the cell secretary, the leader and the inspection committee get their own
work, one section per organisation where they hold the role.

- Cell secretary: the cell's next meeting (or a link to plan one), its deadlines, the months of the last
  twelve without a regular meeting (meetings.stats.regularity), its party members (members.counts).
- Leader: the committee's figures — party members (members.counts.in_subtree), admissions and official
  recognitions this year (admission.counts.admission_counts), regular meetings held this year and attendance
  (meetings.stats.regularity), the committee members in charge who visit enough (meetings.stats.compliance)
  — its resolution targets (a link to the targets dashboard, dangvu.targets.dashboard, with the early
  warnings of the alerts already read) — and what lags: the cells with months without a regular meeting, the
  assignments below the rule, the organisations with overdue deadlines.
- Inspection committee: what exists for inspection today in the member records — suspended members, the
  disciplinary entries of the year (suspension, removal from the list, expulsion), the overdue deadlines of
  the scope. No inspection module is invented here.

Above the sections, the open issues of the review suggestions addressed to the user (a secretary or leader
of the collective addressed, or the member addressed; dangvu.inspection.access), one query.

Each section is a fixed number of queries; at most `MAX_SECTIONS` organisations per role.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from dangvu.accounts.models import Role, RoleAssignment
from dangvu.alerts.sources import Alert
from dangvu.lib.dates import add_months
from dangvu.meetings import stats
from dangvu.meetings.models import Meeting, MeetingState
from dangvu.members.models import EventKind, Member, MemberEvent, Status
from dangvu.orgs.labels import attach, org_labels
from dangvu.orgs.models import Organisation
from dangvu.targets.alerts import TARGET_WARNING

MAX_SECTIONS = 3
LAGGING_SHOWN = 10
DEADLINES_SHOWN = 5
DISCIPLINE = (EventKind.SUSPENSION, EventKind.REMOVAL, EventKind.EXPULSION)
# The office's dashboard is for those who keep the records (the office and the administrator: no extra
# query, the user's roles are read once per request by accounts.scope).
OFFICE_CAPABILITY = "members.edit"


def roles_of(user) -> dict[str, list[Organisation]]:
    """{role: organisations where the user holds it today} (one query)."""
    found: dict[str, list[Organisation]] = {}
    for a in RoleAssignment.objects.current().filter(user=user).select_related("organisation").order_by("id"):
        found.setdefault(a.role, [])
        if a.organisation is not None:
            found[a.role].append(a.organisation)
    return found


def _under(alerts: list[Alert], paths: dict[int, str], org: Organisation) -> list[Alert]:
    return [a for a in alerts if paths.get(a.organisation_id, "").startswith(org.path)]


def alert_paths(alerts: list[Alert]) -> dict[int, str]:
    ids = {a.organisation_id for a in alerts if a.organisation_id}
    return dict(Organisation.objects.filter(pk__in=ids).values_list("id", "path")) if ids else {}


# --- Cell secretary -------------------------------------------------------------------------------------


@dataclass
class CellSection:
    cell: Organisation
    next_meeting: Meeting | None
    room_url: str | None
    plan_url: str
    deadlines: list[Alert]
    overdue: int
    soon: int
    alerts_url: str
    missing_months: list[dt.date]
    months_in_force: int
    this_month_held: bool
    in_party: int


def secretary_section(cell: Organisation, alerts: list[Alert], paths: dict[int, str], today: dt.date) -> CellSection:
    from dangvu.members.counts import in_subtree

    upcoming = (
        Meeting.objects.filter(organisation=cell, state__in=[MeetingState.IN_PROGRESS, MeetingState.PLANNED])
        .filter(Q(state=MeetingState.IN_PROGRESS) | Q(starts_at__date__gte=today))
        .order_by("state", "starts_at", "id")  # "in_progress" < "planned": the meeting in progress first
        .first()
    )
    this_month = today.replace(day=1)
    report = stats.regularity(cell, add_months(this_month, -11), today, lineage=False)
    row = report.cells[0] if report.cells else None
    missing = [m for m in (row.missing_months if row else []) if m < this_month]
    mine = _under(alerts, paths, cell)
    overdue = sum(1 for a in mine if a.overdue)
    return CellSection(
        cell=cell,
        next_meeting=upcoming,
        room_url=reverse("meetings:room", args=[upcoming.pk])
        if upcoming and upcoming.state == MeetingState.IN_PROGRESS
        else None,
        plan_url=f"{reverse('meetings:create')}?organisation={cell.pk}",
        deadlines=mine[:DEADLINES_SHOWN],
        overdue=overdue,
        soon=len(mine) - overdue,
        alerts_url=f"{reverse('alerts:list')}?organisation={cell.pk}",
        missing_months=missing,
        months_in_force=row.months_in_force if row else 0,
        this_month_held=bool(row) and this_month not in row.missing_months,
        in_party=in_subtree(cell.path),
    )


# --- Leader ---------------------------------------------------------------------------------------------


@dataclass
class LeaderSection:
    organisation: Organisation
    year: int
    in_party: int
    admissions: int
    officials: int
    regular_months: int
    months_in_force: int
    attendance_rate: float | None
    assignments: int
    compliant: int
    lagging_cells: list[tuple[Organisation, list[dt.date]]] = field(default_factory=list)
    lagging_assignments: list = field(default_factory=list)
    overdue_by_org: list[tuple[int, str, int]] = field(default_factory=list)
    overdue: int = 0
    regularity_url: str = ""
    targets_url: str = ""  # the targets dashboard of the organisation (dangvu.targets.dashboard, issue 13 item 7)
    target_warnings: list[Alert] = field(default_factory=list)  # its early warnings, from the alerts read once

    @property
    def attendance_percent(self) -> int | None:
        return None if self.attendance_rate is None else round(self.attendance_rate * 100)


def leader_section(org: Organisation, alerts: list[Alert], paths: dict[int, str], today: dt.date) -> LeaderSection:
    from dangvu.admission.counts import admission_counts
    from dangvu.members.counts import in_subtree

    start = dt.date(today.year, 1, 1)
    this_month = today.replace(day=1)
    admissions = admission_counts(org, start, today).total
    report = stats.regularity(org, start, today)
    compliance = stats.compliance(org, start, today)
    lagging = sorted(
        ((c.organisation, [m for m in c.missing_months if m < this_month]) for c in report.cells),
        key=lambda pair: (-len(pair[1]), pair[0].path),
    )
    lagging = [(cell, months) for cell, months in lagging if months][:LAGGING_SHOWN]
    behind = [row for row in compliance if not row.compliant]
    attach([cell for cell, _months in lagging] + [row.assignment.organisation for row in behind[:LAGGING_SHOWN]])
    overdue = [a for a in _under(alerts, paths, org) if a.overdue]
    per_org = Counter(a.organisation_id for a in overdue)
    labels = org_labels(
        Organisation.objects.filter(pk__in=list(per_org)[:50]).only("id", "path", "name", "name_search")
    )
    return LeaderSection(
        organisation=org,
        year=today.year,
        in_party=in_subtree(org.path),
        admissions=admissions.admissions,
        officials=admissions.officials,
        regular_months=report.regular_months,
        months_in_force=report.months_in_force,
        attendance_rate=report.attendance_rate,
        assignments=len(compliance),
        compliant=len(compliance) - len(behind),
        lagging_cells=lagging,
        lagging_assignments=behind[:LAGGING_SHOWN],
        overdue_by_org=[(pk, labels.get(pk, ""), n) for pk, n in per_org.most_common(LAGGING_SHOWN) if pk in labels],
        overdue=len(overdue),
        regularity_url=f"{reverse('meetings:regularity')}?organisation={org.pk}",
        targets_url=f"{reverse('targets:dashboard')}?organisation={org.pk}",
        target_warnings=[a for a in _under(alerts, paths, org) if a.kind == TARGET_WARNING][:DEADLINES_SHOWN],
    )


# --- Inspection committee -------------------------------------------------------------------------------


@dataclass
class InspectorSection:
    organisation: Organisation
    year: int
    suspended: list[Member]
    suspended_count: int
    discipline: list[tuple[str, int]]
    recent: list[MemberEvent]
    overdue: int
    alerts_url: str


def inspector_section(
    org: Organisation, alerts: list[Alert], paths: dict[int, str], today: dt.date
) -> InspectorSection:
    members = Member.objects.filter(org_path__startswith=org.path)
    suspended = members.filter(is_suspended=True, status__in=Status.in_party()).select_related("organisation")
    events = MemberEvent.objects.filter(
        member__org_path__startswith=org.path,
        kind__in=DISCIPLINE,
        date__year=today.year,
        annulled_by__isnull=True,
    )
    by_kind = dict(events.values_list("kind").annotate(n=Count("id")).order_by())
    suspended_rows = list(suspended.order_by("name_sort", "id")[:LAGGING_SHOWN])
    attach([m.organisation for m in suspended_rows])
    return InspectorSection(
        organisation=org,
        year=today.year,
        suspended=suspended_rows,
        suspended_count=suspended.count(),
        discipline=[(str(EventKind(kind).label), by_kind.get(kind, 0)) for kind in DISCIPLINE],
        recent=list(events.select_related("member").order_by("-date", "-id")[:LAGGING_SHOWN]),
        overdue=sum(1 for a in _under(alerts, paths, org) if a.overdue),
        alerts_url=f"{reverse('alerts:list')}?organisation={org.pk}&when=overdue",
    )


# --- Assembly -------------------------------------------------------------------------------------------


def role_context(user, roles: dict[str, list[Organisation]]) -> dict:
    """The sections of the roles other than the office's (the user has no OFFICE_CAPABILITY), after the
    user's own meetings in progress (check in, enter the room) when they have a member record."""
    from dangvu.alerts.sources import due_items
    from dangvu.inspection.access import open_issues_addressed_to
    from dangvu.web.member_home import live_invitations

    today = timezone.localdate()
    alerts = due_items(user, today)
    paths = alert_paths(alerts)
    cells = roles.get(Role.CELL_SECRETARY, [])[:MAX_SECTIONS]
    led = roles.get(Role.LEADER, [])[:MAX_SECTIONS]
    inspected = roles.get(Role.INSPECTION, [])[:MAX_SECTIONS]
    live = live_invitations(user.member_id) if getattr(user, "member_id", None) else []
    attach([*cells, *led, *inspected, *(i.meeting.organisation for i in live)])
    return {
        "live": live,  # the user's own meetings in progress (a member of staff is a party member too)
        "secretary": [secretary_section(cell, alerts, paths, today) for cell in cells],
        "leader": [leader_section(org, alerts, paths, today) for org in led],
        "inspector": [inspector_section(org, alerts, paths, today) for org in inspected],
        "addressed_issues": open_issues_addressed_to(user),
        "today": today,
    }
