"""The live meeting room (a tablet-friendly page for the invited and for those who run the meeting) and the
projector view (issue 4 item 4).

Access: the meeting comes through dangvu.meetings.access (out of scope: 404); the room and the projector
are for the invited and for those who run the meeting (`can_run`), anyone else who may see the meeting
gets 403. Running actions (open, close, attendance, speakers, votes) need `can_run`; a member acts on
their own invitation only (check in, ask to speak, vote). Writes go through dangvu.meetings.services.

Live updates: one hidden element per page polls every 2 seconds (one request per client, one session
write) with the version (a hash of the content) of each panel the page shows: status (attendance counts,
quorum, current item), speakers, votes (state and number of ballots) and, for those who run the meeting,
attendance. The answer holds only the panels that changed, as out-of-band swaps; when none changed it is
an empty 204, which HTMX does not swap, so a form being typed in a panel survives. The projector polls its
one panel the same way. Actions post with HTMX and get back every panel plus a notice; without
JavaScript they post and redirect back to the room.

Results while a vote is open: everyone sees only how many ballots were cast (of the voters present), for
open votes by name as for secret ones; the counts per choice and the verdict appear once the vote is
closed (as OpenSlides does). Live counts per choice would let the people who watch the list of those who
have voted deduce each choice of a secret ballot, and would sway the late voters. A secret vote never
shows who chose what anywhere; a voter is told that their ballot is recorded, never which choice it was.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dangvu.lib.errors import DomainError
from dangvu.meetings import services, thresholds
from dangvu.meetings.access import can_run, get_meeting_or_404, invitation_of
from dangvu.meetings.models import (
    AgendaItem,
    Attendance,
    Ballot,
    Choice,
    Invitation,
    InviteeRole,
    Meeting,
    MeetingState,
    SecretReceipt,
    SpeakerRequest,
    SpeakerState,
    Vote,
    VoteMethod,
    VoteRule,
    VoteState,
)
from dangvu.rules.registry import rules_on
from dangvu.web import confirm

PANELS = ("status", "speakers", "votes", "attendance")
RUNNER_PANELS = {"attendance"}
LIVE_STATES = {MeetingState.PLANNED, MeetingState.IN_PROGRESS}
POLL = "every 2s"  # those who run the meeting, and the projector
# Members' devices poll less often: 200 tablets every 2 s is ~100 requests/s, more than a 2-vCPU server
# answers in time (docs/performance.md, "Meeting room under load"); every 5 s keeps p95 under budget.
MEMBER_POLL = "every 5s"
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


# --- Forms ------------------------------------------------------------------------------------------


class VoteForm(forms.Form):
    question = forms.CharField(label=gettext_lazy("Question put to the vote"), max_length=500)
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=VoteMethod.choices)
    rule = forms.ChoiceField(label=gettext_lazy("Threshold"), choices=VoteRule.choices)  # labelled in __init__
    agenda_item = forms.ModelChoiceField(
        label=gettext_lazy("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )

    def __init__(self, *args, meeting: Meeting, **kwargs) -> None:
        kwargs.setdefault("prefix", "vote")
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda.filter(withdrawn=False).order_by("position", "id")
        self.fields["rule"].choices = thresholds.choices_for(meeting)


class AbsenceForm(forms.Form):
    invitation = forms.ModelChoiceField(label=gettext_lazy("Person"), queryset=Invitation.objects.none())
    reason = forms.CharField(label=gettext_lazy("Reason for absence"), max_length=255)

    def __init__(self, *args, meeting: Meeting, **kwargs) -> None:
        kwargs.setdefault("prefix", "absence")
        super().__init__(*args, **kwargs)
        field = self.fields["invitation"]
        field.queryset = meeting.invitations.select_related("member").order_by("role", "member__name_sort", "id")
        field.label_from_instance = lambda inv: inv.name


class CountForm(forms.Form):
    """The numbers of a vote by show of hands, entered when it closes."""

    yes = forms.IntegerField(label=gettext_lazy("In favour"), min_value=0)
    no = forms.IntegerField(label=gettext_lazy("Against"), min_value=0)
    abstain = forms.IntegerField(label=gettext_lazy("Abstain"), min_value=0, required=False)


# --- Who is in the room -------------------------------------------------------------------------------


@dataclass
class Room:
    meeting: Meeting
    invitation: Invitation | None
    runner: bool

    @property
    def live(self) -> bool:
        return self.meeting.state in LIVE_STATES

    @cached_property
    def votes(self) -> list[Vote]:
        return list(self.meeting.votes.select_related("agenda_item").order_by("created_at", "id"))

    @cached_property
    def rules(self) -> dict[str, Any]:
        """The rule values of the meeting's day (quorum, thresholds' shares), read once per request."""
        return rules_on(services.meeting_day(self.meeting))

    @cached_property
    def counts(self) -> Counts:
        """Attendance figures, once per request for every panel."""
        return counts(self.meeting, self.rules)

    @cached_property
    def speakers(self) -> list[SpeakerRequest]:
        """The speaker and those waiting, in order."""
        return list(
            self.meeting.speakers.filter(state__in=[SpeakerState.SPEAKING, SpeakerState.WAITING])
            .select_related("invitation__member", "agenda_item")
            .order_by("requested_at", "id")
        )


def _room(request: HttpRequest, pk: int) -> Room:
    meeting = get_meeting_or_404(request.user, pk)
    invitation = invitation_of(request.user, meeting)
    runner = can_run(request.user, meeting)
    if invitation is None and not runner:
        raise PermissionDenied
    return Room(meeting, invitation, runner)


def _runner(request: HttpRequest, pk: int) -> Room:
    room = _room(request, pk)
    if not room.runner:
        raise PermissionDenied
    return room


def _is_partial(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request


def _reverse_or_none(name: str, *candidates: list) -> str | None:
    """A URL of the meeting pages (another module): None while that page does not exist."""
    for args in candidates:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


# --- Panel data -----------------------------------------------------------------------------------------


@dataclass
class Counts:
    expected: int
    present: int
    late: int
    excused: int
    unexcused: int
    guests_present: int
    eligible: int
    voters_present: int
    quorum_needed: int

    @property
    def quorate(self) -> bool:
        return self.eligible > 0 and self.voters_present >= self.quorum_needed


def counts(meeting: Meeting, values: dict[str, Any] | None = None) -> Counts:
    """Attendance figures in one aggregate query (plus the rule set, read once per process and day)."""
    present = Q(attendance=Attendance.PRESENT)
    row = meeting.invitations.aggregate(
        expected=Count("id", filter=Q(expected=True)),
        present=Count("id", filter=present & Q(role=InviteeRole.MEMBER)),
        late=Count("id", filter=present & Q(late=True)),
        excused=Count("id", filter=Q(attendance=Attendance.EXCUSED)),
        unexcused=Count("id", filter=Q(attendance=Attendance.UNEXCUSED)),
        guests_present=Count("id", filter=present & Q(role=InviteeRole.GUEST)),
        eligible=Count("id", filter=Q(may_vote=True)),
        voters_present=Count("id", filter=present & Q(may_vote=True)),
    )
    day = services.meeting_day(meeting)
    return Counts(**row, quorum_needed=services.quorum_needed(row["eligible"], day, values))


def current_item(room: Room) -> AgendaItem | None:
    """The item under discussion: that of the open vote, else of the current speaker, else of the latest
    vote (the meeting record has no explicit pointer)."""
    votes = [v for v in room.votes if v.agenda_item_id]
    speaking = [s for s in room.speakers if s.state == SpeakerState.SPEAKING and s.agenda_item_id]
    candidates = [v for v in votes if v.state == VoteState.OPEN] + speaking + votes[::-1]
    return candidates[0].agenda_item if candidates else None


def verdict(vote: Vote) -> str:
    """passed, failed or no_quorum for a closed vote; empty before."""
    if vote.state != VoteState.CLOSED:
        return ""
    if not vote.quorate:
        return "no_quorum"
    return "passed" if vote.passed else "failed"


@dataclass
class VoteView:
    vote: Vote
    verdict: str = ""
    cast: int = 0  # ballots cast so far (open votes): never the choices
    present: int = 0  # voters present: now while the vote is open (check-ins go on), as counted once closed
    base: int = 0  # denominator of the result bars: entitled to vote, or voters present
    named: list[tuple[str, str]] = field(default_factory=list)  # (name, choice label), open votes by name only
    count_form: CountForm | None = None
    rule_label: str = ""  # the threshold with the shares of the rule set of the meeting's day


def _vote_views(room: Room, *, drafts: bool, viewer: bool = True) -> tuple[list[VoteView], dict]:
    """The votes as shown; `viewer` False for the projector (nobody's own ballot, no forms)."""
    votes = room.votes
    if not drafts:
        votes = [v for v in votes if v.state != VoteState.DRAFT]
    views = []
    mine: dict = {"voted": False, "choice": ""}
    present_now = room.counts.voters_present if any(v.state == VoteState.OPEN for v in votes) else 0
    labels = thresholds.labels(room.rules) if votes else {}
    for vote in votes:
        view = VoteView(vote, verdict(vote), rule_label=labels[vote.rule])
        view.base = vote.present if vote.rule == VoteRule.MAJORITY_OF_PRESENT else vote.eligible
        view.present = present_now if vote.state == VoteState.OPEN else vote.present
        if vote.state == VoteState.OPEN and vote.method != VoteMethod.COUNT:
            source = SecretReceipt if vote.method == VoteMethod.SECRET else Ballot
            view.cast = source.objects.filter(vote=vote).count()
            inv = room.invitation if viewer else None
            if inv is not None and inv.may_vote:
                if vote.method == VoteMethod.SECRET:
                    mine["voted"] = SecretReceipt.objects.filter(vote=vote, invitation=inv).exists()
                else:
                    own = Ballot.objects.filter(vote=vote, invitation=inv).values_list("choice", flat=True).first()
                    mine = {"voted": own is not None, "choice": Choice(own).label if own else ""}
        if vote.state == VoteState.OPEN and vote.method == VoteMethod.COUNT and viewer and room.runner:
            view.count_form = CountForm(prefix=f"count{vote.pk}")
        views.append(view)
    closed_named = [v for v in views if v.vote.state == VoteState.CLOSED and v.vote.method == VoteMethod.NAMED]
    if closed_named:
        by_vote = {v.vote.pk: v for v in closed_named}
        ballots = (
            Ballot.objects.filter(vote_id__in=by_vote)
            .select_related("invitation__member")
            .order_by("choice", "invitation__member__name_sort", "id")
        )
        for ballot in ballots:
            by_vote[ballot.vote_id].named.append((ballot.invitation.name, Choice(ballot.choice).label))
    return views, mine


def _panel_context(room: Room, name: str) -> dict:
    meeting = room.meeting
    context: dict = {"meeting": meeting, "room": room, "inv": room.invitation, "runner": room.runner}
    if name == "status":
        context["counts"] = room.counts
        context["current_item"] = current_item(room)
        context["detail_url"] = _reverse_or_none("meetings:detail", [meeting.pk])
    elif name == "speakers":
        rows = room.speakers
        context["speaking"] = next((s for s in rows if s.state == SpeakerState.SPEAKING), None)
        context["waiting"] = [s for s in rows if s.state == SpeakerState.WAITING]
        own = room.invitation
        context["own_request"] = next((s for s in rows if own and s.invitation_id == own.pk), None)
    elif name == "votes":
        views, mine = _vote_views(room, drafts=room.runner)
        context["votes"] = views
        context["open_vote"] = next((v for v in views if v.vote.state == VoteState.OPEN), None)
        context["mine"] = mine
        context["choices"] = Choice.choices
        drafts = any(v.vote.state == VoteState.DRAFT for v in views)
        if room.runner and meeting.state == MeetingState.IN_PROGRESS and drafts:
            context["counts"] = room.counts  # a vote opened without a quorum is asked for
    elif name == "attendance":
        invitations = list(
            meeting.invitations.select_related("member").order_by("role", "member__name_sort", "guest_name", "id")
        )
        context["invitations"] = invitations
        context["attendance"] = Attendance
        context["marking"] = meeting.state in {MeetingState.IN_PROGRESS, MeetingState.HELD} and not meeting.locked
        context["roll_call"] = sum(1 for i in invitations if services.in_roll_call(i)) if context["marking"] else 0
    return context


def _version(html: str) -> str:
    return hashlib.sha256(_CSRF_INPUT.sub("", html).encode()).hexdigest()[:16]


def _render_panels(request: HttpRequest, room: Room, *, oob: bool) -> tuple[dict[str, str], dict[str, str]]:
    """The user's panels ({name: html}) and the version of each (a hash of what it shows)."""
    html, versions = {}, {}
    for name in _panels_for(room):
        inner = render_to_string(f"meetings/_room_{name}.html", _panel_context(room, name), request=request)
        versions[name] = _version(inner)
        html[name] = render_to_string("meetings/_room_panel.html", {"panel": name, "inner": inner, "oob": oob})
    return html, versions


def _poller(room: Room, versions: dict[str, str], *, oob: bool) -> str:
    """The one element that polls for the whole page, carrying the versions the page shows."""
    url = f"{reverse('meetings:room_live', args=[room.meeting.pk])}?{urlencode(versions)}"
    poll = (POLL if room.runner else MEMBER_POLL) if room.live else ""
    return render_to_string("meetings/_room_poll.html", {"url": url, "poll": poll, "oob": oob})


def _panels_for(room: Room) -> list[str]:
    return [p for p in PANELS if room.runner or p not in RUNNER_PANELS]


def _documents(meeting: Meeting) -> list[tuple[str, str | None, str]]:
    rows = meeting.documents.filter(withdrawn=False).select_related("agenda_item").order_by("agenda_item", "id")
    return [
        (
            doc.title,
            _reverse_or_none("meetings:document_preview", [doc.pk], [meeting.pk, doc.pk]),
            str(doc.agenda_item) if doc.agenda_item_id else "",
        )
        for doc in rows
    ]


# --- Pages --------------------------------------------------------------------------------------------


@login_required
@require_GET
def room(request: HttpRequest, pk: int) -> HttpResponse:
    found = _room(request, pk)
    meeting = found.meeting
    panels, versions = _render_panels(request, found, oob=False)
    context = {
        "meeting": meeting,
        "room": found,
        "runner": found.runner,
        "inv": found.invitation,
        "panels": panels,
        "poller": _poller(found, versions, oob=False),
        "agenda": list(meeting.agenda.filter(withdrawn=False).select_related("presenter").order_by("position")),
        "documents": _documents(meeting),
        "detail_url": _reverse_or_none("meetings:detail", [meeting.pk]),
    }
    if found.runner:
        context["vote_form"] = VoteForm(meeting=meeting)
        context["absence_form"] = AbsenceForm(meeting=meeting)
    return render(request, "meetings/room.html", context)


@login_required
@require_GET
def room_live(request: HttpRequest, pk: int) -> HttpResponse:
    """The page's poll: the panels whose content differs from the versions the page shows (out of band,
    with a fresh poller), or 204 (HTMX swaps nothing) when none changed."""
    found = _room(request, pk)
    html, versions = _render_panels(request, found, oob=True)
    changed = [html[name] for name in html if request.GET.get(name) != versions[name]]
    if not changed:
        return HttpResponse(status=204)
    return HttpResponse("\n".join([*changed, _poller(found, versions, oob=True)]))


def _done(request: HttpRequest, room: Room, notice: str, *, level: str = "success", extra: str = "") -> HttpResponse:
    """After an action: every panel (out of band) and the notice for HTMX, else a redirect to the room."""
    if not _is_partial(request):
        (messages.success if level == "success" else messages.error)(request, notice)
        return redirect("meetings:room", pk=room.meeting.pk)
    meeting = get_meeting_or_404(request.user, room.meeting.pk)
    fresh = Room(meeting, invitation_of(request.user, meeting), room.runner)
    html, versions = _render_panels(request, fresh, oob=True)
    parts = [*html.values(), _poller(fresh, versions, oob=True)]
    parts.append(render_to_string("meetings/_room_notice.html", {"notice": notice, "level": level, "oob": True}))
    return HttpResponse("\n".join([*parts, extra]))


def _refused(request: HttpRequest, room: Room, error: DomainError, extra: str = "") -> HttpResponse:
    return _done(request, room, " ".join(str(m) for m in error.messages), level="error", extra=extra)


def _act(request: HttpRequest, room: Room, action: Callable[[], Any], success: str, **extra: str) -> HttpResponse:
    """Run a service call; its refusal (DomainError) becomes the notice and nothing was written."""
    try:
        action()
    except DomainError as error:
        return _refused(request, room, error, extra.get("refused", ""))
    return _done(request, room, success, extra=extra.get("done", ""))


def _confirmation(request: HttpRequest, room: Room, action: str) -> HttpResponse | None:
    """None when the POST confirms `action`; else the refusal (409): the question as the room's notice for
    HTMX, a page asking it otherwise (dangvu.web.confirm)."""
    if confirm.is_confirmed(request, action):
        return None
    question = confirm.ACTIONS[action]
    notice = {"notice": f"{question.question} {question.undone}", "level": "error", "oob": True}
    extra = render_to_string("meetings/_room_notice.html", notice, request=request)
    return confirm.refusal(request, action, back=reverse("meetings:room", args=[room.meeting.pk]), extra=extra)


def _own_invitation(room: Room) -> Invitation:
    if room.invitation is None:
        raise PermissionDenied
    return room.invitation


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """A member checks in on their own invitation (never someone else's)."""
    found = _room(request, pk)
    own = _own_invitation(found)
    return _act(request, found, partial(services.check_in, own, request.user), _("You are checked in."))


@login_required
@require_POST
def speak(request: HttpRequest, pk: int) -> HttpResponse:
    found = _room(request, pk)
    own = _own_invitation(found)
    action = partial(services.request_to_speak, own, request.user, current_item(found))
    return _act(request, found, action, _("You are on the speakers' list."))


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    found = _room(request, pk)
    own = SpeakerRequest.objects.filter(
        meeting=found.meeting, invitation=_own_invitation(found), state=SpeakerState.WAITING
    ).first()
    if own is None:
        return _done(request, found, _("You have no waiting request to speak."), level="error")
    return _act(request, found, partial(services.withdraw_request, own, request.user), _("Your request is withdrawn."))


def _vote_of(room: Room, vote_pk: int) -> Vote:
    vote = room.meeting.votes.filter(pk=vote_pk).first()
    if vote is None:
        raise Http404
    return vote


@login_required
@require_POST
def cast(request: HttpRequest, pk: int, vote_pk: int) -> HttpResponse:
    """A ballot on the member's own invitation. The answer never repeats the choice."""
    found = _room(request, pk)
    vote, own, choice = _vote_of(found, vote_pk), _own_invitation(found), str(request.POST.get("choice", ""))
    return _act(request, found, partial(services.cast, vote, own, choice), _("Your vote is recorded."))


# --- Running the meeting ---------------------------------------------------------------------------


@login_required
@require_POST
def open_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = _runner(request, pk)
    return _act(request, found, partial(services.open_meeting, found.meeting, request.user), _("The meeting is open."))


@login_required
@require_POST
def close_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = _runner(request, pk)
    if asked := _confirmation(request, found, "close_meeting"):
        return asked
    action = partial(services.close_meeting, found.meeting, request.user)
    return _act(request, found, action, _("The meeting is closed; the minutes can be written."))


def _form_errors(form: forms.Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _vote_form(request: HttpRequest, room: Room, form: VoteForm) -> str:
    context = {"meeting": room.meeting, "vote_form": form, "oob": True}
    return render_to_string("meetings/_room_vote_form.html", context, request=request)


@login_required
@require_POST
def next_speaker(request: HttpRequest, pk: int) -> HttpResponse:
    found = _runner(request, pk)
    try:
        following = services.next_speaker(found.meeting, request.user)
    except DomainError as error:
        return _refused(request, found, error)
    if following is None:
        return _done(request, found, _("Nobody is waiting to speak."))
    return _done(request, found, _("The floor is given to %(name)s.") % {"name": following.invitation.name})


@login_required
@require_POST
def create_vote(request: HttpRequest, pk: int) -> HttpResponse:
    found = _runner(request, pk)
    form = VoteForm(request.POST, meeting=found.meeting)
    if not form.is_valid():
        return _done(request, found, _form_errors(form), level="error", extra=_vote_form(request, found, form))
    action = partial(services.create_vote, found.meeting, request.user, **form.cleaned_data)
    fresh = VoteForm(meeting=found.meeting)
    return _act(
        request,
        found,
        action,
        _("The vote is prepared: open it when ready."),
        done=_vote_form(request, found, fresh),
        refused=_vote_form(request, found, form),
    )


@login_required
@require_POST
def open_vote(request: HttpRequest, pk: int, vote_pk: int) -> HttpResponse:
    found = _runner(request, pk)
    vote = _vote_of(found, vote_pk)
    if not found.counts.quorate and (asked := _confirmation(request, found, "open_vote_without_quorum")):
        return asked
    return _act(request, found, partial(services.open_vote, vote, request.user), _("The vote is open."))


@login_required
@require_POST
def close_vote(request: HttpRequest, pk: int, vote_pk: int) -> HttpResponse:
    """Close a vote; for a vote by show of hands the numbers come with the request."""
    found = _runner(request, pk)
    vote = _vote_of(found, vote_pk)
    if asked := _confirmation(request, found, "close_vote"):
        return asked
    counts_given = None
    if vote.method == VoteMethod.COUNT:
        form = CountForm(request.POST, prefix=f"count{vote.pk}")
        if not form.is_valid():
            return _done(request, found, _form_errors(form), level="error")
        counts_given = {k: form.cleaned_data[k] or 0 for k in Choice.values}
    try:
        closed = services.close_vote(vote, request.user, counts=counts_given)
    except DomainError as error:
        return _refused(request, found, error)
    outcome = {"passed": _("Passed"), "failed": _("Not passed"), "no_quorum": _("No quorum: not passed")}
    return _done(request, found, _("The vote is closed: %(verdict)s.") % {"verdict": outcome[verdict(closed)]})
