"""Meeting deadlines in the one alerts list (dangvu.alerts.sources): a cell's regular monthly meeting not
held, and an invitation the member has not answered. Registered when the app is ready."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.scope import Scope
from dangvu.alerts.sources import KIND_LABELS, Alert, source
from dangvu.lib.dates import add_months
from dangvu.meetings.models import Invitation, Meeting, MeetingKind, MeetingState, Rsvp
from dangvu.orgs.models import Organisation, OrgKind

REGULAR_MISSING = "meeting_regular_missing"
INVITATION_PENDING = "meeting_invitation"
KIND_LABELS[REGULAR_MISSING] = _("Regular meeting not held")
KIND_LABELS[INVITATION_PENDING] = _("Meeting invitation to answer")
# The current month's meeting is listed as due only in its last days (every cell has none on the 1st).
CURRENT_MONTH_NOTICE_DAYS = 7
HELD_OR_RUNNING = [MeetingState.IN_PROGRESS, MeetingState.HELD, MeetingState.APPROVED]


@source
def regular_meetings(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    """Cells in scope without their regular meeting last month (overdue) or, in the last days of the
    month, this month (due soon). Two queries whatever the number of cells."""
    scope = Scope.of(user, "meetings.view")
    if scope.empty:
        return []
    this_month = today.replace(day=1)
    last_month = add_months(this_month, -1)
    month_end = add_months(this_month, 1) - dt.timedelta(days=1)
    months = [last_month] + ([this_month] if (month_end - today).days < CURRENT_MONTH_NOTICE_DAYS else [])
    in_scope = Organisation.objects.filter(
        scope.q("path"), kind__in=OrgKind.member_holding(), valid_from__lte=last_month
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
    cells = list(in_scope.values_list("id", "name"))  # plain tuples: a city office has thousands of cells
    held = set(
        Meeting.objects.filter(
            organisation_id__in=in_scope.values("id"),  # a subquery, not thousands of parameters
            kind=MeetingKind.REGULAR,
            state__in=HELD_OR_RUNNING,
            starts_at__date__gte=last_month,
            starts_at__date__lte=month_end,
        )
        .values_list("organisation_id", "starts_at__month")
        .distinct()
    )
    alerts = []
    list_url = reverse("meetings:list")  # once: a city office has thousands of cells
    for month in months:
        due = add_months(month, 1) - dt.timedelta(days=1)
        title = str(_("Regular meeting of %(month)s")) % {"month": f"{month:%m/%Y}"}
        overdue = due < today
        for cell_id, cell_name in cells:
            if (cell_id, month.month) in held:
                continue
            alerts.append(
                Alert(
                    REGULAR_MISSING,
                    cell_name,
                    title,
                    cell_id,
                    cell_name,
                    due,
                    overdue,
                    f"{list_url}?organisation={cell_id}",
                    cell_id,
                )
            )
    return alerts


@source
def invitations(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    """The user's own unanswered invitations to planned meetings up to the horizon."""
    member_id = getattr(user, "member_id", None)
    if not member_id:
        return []
    rows = Invitation.objects.filter(
        member_id=member_id,
        rsvp=Rsvp.PENDING,
        meeting__state=MeetingState.PLANNED,
        meeting__starts_at__date__gte=today,
        meeting__starts_at__date__lte=horizon,
    ).select_related("meeting__organisation", "member")
    return [
        Alert(
            INVITATION_PENDING,
            i.member.full_name,
            str(i.meeting),
            i.meeting.organisation_id,
            i.meeting.organisation.name,
            timezone.localtime(i.meeting.starts_at).date(),
            False,
            reverse("meetings:detail", args=[i.meeting_id]),
            i.meeting_id,
        )
        for i in rows
    ]
