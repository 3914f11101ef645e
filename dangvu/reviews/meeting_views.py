"""The cell's review meeting (issue 11 item 3): from a meeting of the meetings module held by the cell, the
secretary records each member's proposed grade with the vote of that meeting adopting it (one vote per
member, or one for all), the cell's comments and whether the member was disciplined in the year. The
rules (vote threshold, excellent quota, discipline cap) are checked by dangvu.reviews.services and each
refusal is shown on the page, naming its rule; nothing is written then."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dangvu.lib.errors import DomainError
from dangvu.meetings.access import get_meeting_or_404
from dangvu.meetings.models import VoteState
from dangvu.reviews import services
from dangvu.reviews.access import can, get_campaign_or_404
from dangvu.reviews.forms import MeetingProposalsForm
from dangvu.reviews.models import Review, ReviewState


def _rows(campaign, meeting) -> list[Review]:
    return list(
        Review.objects.filter(
            campaign=campaign,
            organisation=meeting.organisation,
            exclusion="",
            state__in=[ReviewState.SUBMITTED, ReviewState.PROPOSED],
        )
        .select_related("member")
        .order_by("member__name_sort")
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_meeting(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    campaign = get_campaign_or_404(request.user, pk)
    m = get_meeting_or_404(request.user, meeting)
    if not can(request.user, "reviews.propose", m.organisation.path):
        raise PermissionDenied
    rows = _rows(campaign, m)
    votes = {v.pk: v for v in m.votes.filter(state=VoteState.CLOSED).order_by("id")}
    form = MeetingProposalsForm(
        request.POST if request.method == "POST" else None, rows=rows, votes=list(votes.values())
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        proposals = [
            (
                services.Proposal(r.pk, d[f"grade_{r.pk}"], d[f"disciplined_{r.pk}"], d[f"comments_{r.pk}"]),
                votes.get(d[f"vote_{r.pk}"]),
            )
            for r in rows
            if d[f"grade_{r.pk}"]
        ]
        if not proposals:
            form.add_error(None, _("Choose a grade for at least one member."))
        else:
            try:
                services.propose_at_meeting(campaign, m, proposals, request.user)
            except DomainError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The cell's proposals were recorded."))
                return redirect("reviews:campaign", pk=campaign.pk)
    return render(
        request,
        "reviews/meeting.html",
        {
            "campaign": campaign,
            "meeting": m,
            "form": form,
            "votes": list(votes.values()),
        },
    )


@login_required
def minutes(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    """The minutes of the cell's review meeting with its proposals (DOCX): for those who see the campaign,
    the meeting and the cell's reviews."""
    from dangvu.documents.views import docx_response
    from dangvu.reviews.documents import review_minutes

    campaign = get_campaign_or_404(request.user, pk)
    m = get_meeting_or_404(request.user, meeting)
    if not can(request.user, "reviews.view", m.organisation.path):
        raise PermissionDenied
    document = review_minutes(campaign, m)
    return docx_response(document.filename, document.content)
