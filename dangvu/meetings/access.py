"""Who sees and runs which meeting.

- Staff with `meetings.view` see the meetings of organisations in their subtrees; an invited person sees the
  meetings they are invited to (members and guests from a higher level alike).
- Documents and notes: only the invited and the staff who manage the organisation (`can_manage`).
- Running the meeting (open, attendance, votes, speakers, minutes): `meetings.manage` over the organisation,
  or being the meeting's chair or minutes secretary. Approving the minutes: the chair only (services).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from dangvu.accounts.scope import Scope
from dangvu.meetings.models import Invitation, Meeting, MeetingState


def meetings_for(user) -> QuerySet[Meeting]:
    scope = Scope.of(user, "meetings.view")
    member_id = getattr(user, "member_id", None)
    if scope.everything:
        return Meeting.objects.all()
    q = scope.q("organisation__path") if not scope.empty else Q(pk__in=[])
    if member_id:
        q |= Q(pk__in=Invitation.objects.filter(member_id=member_id).values("meeting_id"))
    return Meeting.objects.filter(q)


def get_meeting_or_404(user, pk: int) -> Meeting:
    meeting = meetings_for(user).select_related("organisation", "chair", "secretary").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def can_manage(user, meeting: Meeting) -> bool:
    return Scope.of(user, "meetings.manage").covers_path(meeting.organisation.path)


def can_run(user, meeting: Meeting) -> bool:
    member_id = getattr(user, "member_id", None)
    return can_manage(user, meeting) or (
        member_id is not None and member_id in {meeting.chair_id, meeting.secretary_id}
    )


def invitation_of(user, meeting: Meeting) -> Invitation | None:
    member_id = getattr(user, "member_id", None)
    if not member_id:
        return None
    return meeting.invitations.filter(member_id=member_id).first()


def can_read_documents(user, meeting: Meeting) -> bool:
    """Documents are for the invited and for those who run the meeting (issue 4 item 2)."""
    return can_run(user, meeting) or invitation_of(user, meeting) is not None


def may_enter_room(user, meetings) -> set[int]:
    """Ids of the meetings in progress among `meetings` whose room the user may enter (invited, or running
    it: `can_run`), for an "enter the room" button in a list. One query, for the invitations."""
    live = [m for m in meetings if m.state == MeetingState.IN_PROGRESS]
    member_id = getattr(user, "member_id", None)
    invited = (
        set(
            Invitation.objects.filter(member_id=member_id, meeting__in=[m.pk for m in live]).values_list(
                "meeting_id", flat=True
            )
        )
        if live and member_id
        else set()
    )
    return {m.pk for m in live if m.pk in invited or can_run(user, m)}
