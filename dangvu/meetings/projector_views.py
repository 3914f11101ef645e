"""The projector view of a meeting (issue 4 item 4; issue 9 item 14): the agenda item, attendance, speakers
and the vote, on one landscape screen, for the invited and those who run the meeting (`room_views._room`).
It polls its one panel like the room does (a 204 when nothing changed).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from dangvu.meetings.models import Choice, SpeakerState, VoteState
from dangvu.meetings.room_views import POLL, Room, _room, _version, _vote_views, current_item

PROJECTOR_WAITING = 3  # names of those waiting to speak shown on the projector (all of them are counted)


def _projector_context(room: Room) -> dict:
    meeting = room.meeting
    views, _mine = _vote_views(room, drafts=False, viewer=False)
    shown = next((v for v in views if v.vote.state == VoteState.OPEN), None)
    if shown is None:
        closed = [v for v in views if v.vote.state == VoteState.CLOSED]
        shown = max(closed, key=lambda v: (v.vote.closed_at, v.vote.pk)) if closed else None
    rows = room.speakers
    waiting = [s for s in rows if s.state == SpeakerState.WAITING]
    return {
        "meeting": meeting,
        "counts": room.counts,
        "current_item": current_item(room),
        "speaking": next((s for s in rows if s.state == SpeakerState.SPEAKING), None),
        "waiting": waiting[:PROJECTOR_WAITING],
        "waiting_total": len(waiting),
        "shown": shown,
        "choices": Choice.choices,
    }


def _projector_html(request: HttpRequest, room: Room) -> tuple[str, str]:
    inner = render_to_string("meetings/_projector_live.html", _projector_context(room), request=request)
    version = _version(inner)
    url = reverse("meetings:projector_live", args=[room.meeting.pk])
    wrapper = {"inner": inner, "url": f"{url}?v={version}", "poll": POLL if room.live else ""}
    return render_to_string("meetings/_projector_panel.html", wrapper, request=request), version


@login_required
@require_GET
def projector(request: HttpRequest, pk: int) -> HttpResponse:
    found = _room(request, pk)
    return render(
        request, "meetings/projector.html", {"meeting": found.meeting, "panel": _projector_html(request, found)[0]}
    )


@login_required
@require_GET
def projector_live(request: HttpRequest, pk: int) -> HttpResponse:
    found = _room(request, pk)
    html, version = _projector_html(request, found)
    if request.GET.get("v") == version:
        return HttpResponse(status=204)
    return HttpResponse(html)
