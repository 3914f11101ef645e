"""Downloads of generated Party documents.

Access: the candidate comes through dangvu.admission.access (admission.view, the user's subtree); a step
of a candidate outside the scope, an annulled or waived step and a stage without a form are all 404. The
person's data in the form follows the personal-data table (dangvu.accounts.privacy).

Meetings: the meeting comes through dangvu.meetings.access (visible to the user) and its documents are for
the invited and those who run it (`can_read_documents`); anyone else gets 404. The minutes are generated
from the record while the meeting is in progress or held (a draft), and are the stored approved file once
approved; the resolution is generated when the minutes record one.

Members: the record (1-HSĐV) is for whoever may open the member's page (members.view over the member's cell,
or the member themself); the introduction letter of a transfer issued in this system for the sending side
(members.view over the sending cell): the receiving side sees the transfer's page but gets 403 for the
letter, anyone else 404 as for the page. The person's data in both follows the personal-data table.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from dangvu.accounts.scope import get_member_or_404
from dangvu.admission.access import get_candidate_or_404
from dangvu.admission.models import CandidateStep
from dangvu.documents import admission, meetings, records
from dangvu.meetings.access import can_read_documents, get_meeting_or_404
from dangvu.meetings.models import Meeting, MeetingState
from dangvu.transfers.access import get_transfer_or_404

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(filename: str, content: bytes) -> HttpResponse:
    """A DOCX download; `filename` must be ASCII (callers build it from slugs and ids)."""
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # party records: never kept by shared caches
    return response


@login_required
@require_GET
def admission_step(request, pk: int):
    candidate_id = CandidateStep.objects.filter(pk=pk).values_list("candidate_id", flat=True).first()
    if candidate_id is None:
        raise Http404
    candidate = get_candidate_or_404(request.user, candidate_id)
    step = candidate.steps.filter(pk=pk).first()
    if step is None or not admission.has_form(step):
        raise Http404
    step.candidate = candidate  # already loaded with its organisation and member record
    generated = admission.document_for(step, request.user)  # the person's data as this user may see it
    return docx_response(generated.filename, generated.content)


def _readable_meeting(user, pk: int) -> Meeting:
    meeting = get_meeting_or_404(user, pk)
    if not can_read_documents(user, meeting):
        raise Http404
    return meeting


@login_required
@require_GET
def meeting_minutes(request, pk: int):
    meeting = _readable_meeting(request.user, pk)
    if meeting.state == MeetingState.APPROVED:
        if not meeting.minutes_file:
            raise Http404
        with meeting.minutes_file.open("rb") as stored:  # as approved: never regenerated
            content = stored.read()
    elif meeting.state in {MeetingState.IN_PROGRESS, MeetingState.HELD}:
        content = meetings.minutes_docx(meeting)
    else:  # planned or cancelled: no minutes
        raise Http404
    return docx_response(meetings.minutes_filename(meeting), content)


@login_required
@require_GET
def meeting_resolution(request, pk: int):
    meeting = _readable_meeting(request.user, pk)
    if meeting.state not in {MeetingState.IN_PROGRESS, MeetingState.HELD, MeetingState.APPROVED}:
        raise Http404
    if not meetings.has_resolution(meeting):
        raise Http404
    return docx_response(meetings.resolution_filename(meeting), meetings.resolution_docx(meeting))


@login_required
@require_GET
def member_record(request, pk: int):
    member = get_member_or_404(request.user, pk)
    generated = records.member_record(member, request.user)
    return docx_response(generated.filename, generated.content)


@login_required
@require_GET
def transfer_letter(request, pk: int):
    transfer = get_transfer_or_404(request.user, pk)
    if not records.has_letter(transfer):
        raise Http404
    if not records.may_print_letter(request.user, transfer):
        raise PermissionDenied  # the receiving side sees the transfer; the letter is the sending side's paper
    generated = records.transfer_letter(transfer, request.user)
    return docx_response(generated.filename, generated.content)
