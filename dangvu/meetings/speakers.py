"""The speakers' list of a running meeting: a present member asks for the floor, the chair gives it in turn,
the minutes secretary notes the gist of each opinion (reached as `dangvu.meetings.services.<name>`)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.lib.errors import DomainError
from dangvu.meetings.models import AgendaItem, Attendance, Invitation, Meeting, SpeakerRequest, SpeakerState
from dangvu.meetings.services import _editable, _lock_meeting, _running


@transaction.atomic
def request_to_speak(invitation: Invitation, actor, agenda_item: AgendaItem | None = None) -> SpeakerRequest:
    invitation = Invitation.objects.select_related("meeting").get(pk=invitation.pk)
    _running(invitation.meeting)
    if invitation.attendance != Attendance.PRESENT:
        raise DomainError(_("Check in before asking to speak."))
    try:
        with transaction.atomic():
            return SpeakerRequest.objects.create(
                meeting=invitation.meeting, invitation=invitation, agenda_item=agenda_item
            )
    except IntegrityError:
        raise DomainError(_("You are already on the speakers' list.")) from None


@transaction.atomic
def next_speaker(meeting: Meeting, actor) -> SpeakerRequest | None:
    """The chair gives the floor to the next in line (the current speaker is done)."""
    meeting = _lock_meeting(meeting)
    _running(meeting)
    now = timezone.now()
    meeting.speakers.filter(state=SpeakerState.SPEAKING).update(state=SpeakerState.DONE, ended_at=now)
    following = meeting.speakers.filter(state=SpeakerState.WAITING).order_by("requested_at", "id").first()
    if following:
        following.state, following.started_at = SpeakerState.SPEAKING, now
        following.save()
    return following


@transaction.atomic
def record_speech(request: SpeakerRequest, actor, summary: str) -> SpeakerRequest:
    """The minutes secretary notes the gist of an opinion (printed in the minutes)."""
    request = SpeakerRequest.objects.select_for_update().select_related("meeting").get(pk=request.pk)
    _editable(request.meeting)
    if request.state == SpeakerState.WITHDRAWN:
        raise DomainError(_("This request was withdrawn."))
    request.summary = summary.strip()
    request.save()
    return request


@transaction.atomic
def withdraw_request(request: SpeakerRequest, actor) -> SpeakerRequest:
    request = SpeakerRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != SpeakerState.WAITING:
        raise DomainError(_("Only a waiting request can be withdrawn."))
    request.state = SpeakerState.WITHDRAWN
    request.save()
    return request
