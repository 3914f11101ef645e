"""Recording attendance in the meeting room (issue 4 item 4; issue 9 item 15): one person at a time (one
control per row: present, late, absent with or without leave), absent with leave with the reason typed,
and "mark all present" for the roll call. Only those who run the meeting (`room_views._runner`); writes go
through dangvu.meetings.services; answers are the room's (every panel plus a notice for HTMX).
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.lib.errors import DomainError
from dangvu.meetings import services
from dangvu.meetings.models import Attendance
from dangvu.meetings.room_views import AbsenceForm, Room, _act, _confirmation, _done, _form_errors, _refused, _runner


@login_required
@require_POST
def mark(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """Attendance of one invitee: present, late, absent with leave (reason) or without leave."""
    found = _runner(request, pk)
    invitation = found.meeting.invitations.filter(pk=invitation_pk).first()
    if invitation is None:
        raise Http404
    value = str(request.POST.get("attendance", ""))
    late = value == "late"
    reason = str(request.POST.get("reason", "")) or (invitation.rsvp_reason if value == Attendance.EXCUSED else "")
    attendance = Attendance.PRESENT if late else value
    action = partial(
        services.mark_attendance, invitation, request.user, attendance=attendance, reason=reason, late=late
    )
    return _act(request, found, action, _("Attendance recorded: %(name)s.") % {"name": invitation.name})


@login_required
@require_POST
def mark_all_present(request: HttpRequest, pk: int) -> HttpResponse:
    """The roll call: every member not yet recorded (and not excused in advance) is present. Asked first."""
    found = _runner(request, pk)
    if asked := _confirmation(request, found, "mark_all_present"):
        return asked
    try:
        marked = services.mark_all_present(found.meeting, request.user)
    except DomainError as error:
        return _refused(request, found, error)
    notice = _("Marked present: %(n)s.") % {"n": marked}
    return _done(request, found, notice)


@login_required
@require_POST
def absence(request: HttpRequest, pk: int) -> HttpResponse:
    """Absent with leave, with the reason typed by the secretary."""
    found = _runner(request, pk)
    form = AbsenceForm(request.POST, meeting=found.meeting)
    if not form.is_valid():
        return _done(request, found, _form_errors(form), level="error", extra=_absence_form(request, found, form))
    invitation, reason = form.cleaned_data["invitation"], form.cleaned_data["reason"]
    action = partial(services.mark_attendance, invitation, request.user, attendance=Attendance.EXCUSED, reason=reason)
    message = _("Attendance recorded: %(name)s.") % {"name": invitation.name}
    return _act(request, found, action, message, done=_absence_form(request, found, AbsenceForm(meeting=found.meeting)))


def _absence_form(request: HttpRequest, room: Room, form: AbsenceForm) -> str:
    context = {"meeting": room.meeting, "absence_form": form, "oob": True}
    return render_to_string("meetings/_room_absence.html", context, request=request)
