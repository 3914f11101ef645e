"""The home page of a plain member (issue 9 item 6): what they need today, first things first.

1. A meeting in progress they are invited to: "check in" (until they are present) and "enter the room" —
   the first thing on the page, so that it is inside the first screen of a phone.
2. Their next planned meeting, with its answer buttons.
3. Their other unanswered invitations.
4. Their deadlines (dangvu.alerts.sources, limited to their own items), without the invitations listed above;
   the open issues of the review suggestions addressed to them (dangvu.inspection.access, one query).
5. A link to their record; their cell is named (with the shared organisation label) and linked only when
   the user may open the cell's page.

Every link on the page opens for the member (dangvu/web/tests/test_member_home.py follows them all). A fixed
number of queries whatever the number of invitations.
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from dangvu.accounts.scope import organisation_url
from dangvu.alerts.sources import due_items
from dangvu.inspection.access import open_issues_addressed_to
from dangvu.meetings.alerts import INVITATION_PENDING
from dangvu.meetings.models import Attendance, Invitation, MeetingState, Rsvp
from dangvu.members.models import Member
from dangvu.orgs.labels import attach_to, label

ALERTS_SHOWN = 10


def _start_of_today() -> dt.datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def live_invitations(member_id: int) -> list[Invitation]:
    """The member's invitations to meetings in progress, each with `present` and `room_url` (one query;
    the organisations are labelled by the caller)."""
    live = list(
        Invitation.objects.filter(member_id=member_id, meeting__state=MeetingState.IN_PROGRESS)
        .select_related("meeting__organisation")
        .order_by("meeting__starts_at", "id")
    )
    for invitation in live:
        invitation.present = invitation.attendance == Attendance.PRESENT
        invitation.room_url = reverse("meetings:room", args=[invitation.meeting_id])
    return live


def context_for(user) -> dict:
    member = Member.objects.select_related("organisation").get(pk=user.member_id)
    invitations = Invitation.objects.filter(member_id=member.pk).select_related("meeting__organisation")
    live = live_invitations(member.pk)
    planned = list(
        invitations.filter(meeting__state=MeetingState.PLANNED, meeting__starts_at__gte=_start_of_today()).order_by(
            "meeting__starts_at", "id"
        )
    )
    next_meeting = planned[0] if planned else None
    pending = [i for i in planned[1:] if i.rsvp == Rsvp.PENDING]
    attach_to([*live, *planned], "meeting.organisation")
    alerts = [a for a in due_items(user) if a.kind != INVITATION_PENDING]
    return {
        "member": member,
        "cell_label": label(member.organisation),
        "cell_url": organisation_url(user, member.organisation),
        "live": live,
        "next_meeting": next_meeting,
        "pending": pending,
        "alerts": alerts[:ALERTS_SHOWN],
        "more_alerts": max(len(alerts) - ALERTS_SHOWN, 0),
        "overdue": sum(1 for a in alerts if a.overdue),
        "rsvp_next": reverse("web:home"),
        "addressed_issues": open_issues_addressed_to(user),
        "today": timezone.localdate(),
    }


def member_home(request):
    return render(request, "web/member_home.html", context_for(request.user))
