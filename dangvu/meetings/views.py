"""Meeting pages: the list (with "my meetings" and RSVP), planning a meeting, the meeting's record (agenda,
documents, invitations, quorum forecast, votes, speakers, minutes, approval, addenda) and the regularity
page. Documents (upload, versions, files, reading view, personal notes) are in document_views.py.

Access: meetings come through dangvu.meetings.access (`meetings_for`: staff with `meetings.view` over the
organisation, or invited); an out-of-scope meeting is a 404. Planning and cancelling need `meetings.manage`
over the organisation (`can_manage`); running the meeting (open, close, minutes, addenda, documents) needs
`can_run` (manage, or the chair or minutes secretary); approving the minutes is the chair's alone. A
missing right is a 403. Writes go through dangvu.meetings.services only; a DomainError is shown as a
message and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.scope import (
    Scope,
    get_organisation_or_404,
    has_capability,
    home_organisations,
    organisations_for,
    scope_options,
)
from dangvu.lib import versions
from dangvu.lib.errors import DomainError
from dangvu.lib.urls import safe_next
from dangvu.meetings import services, stats, thresholds
from dangvu.meetings.access import can_manage, can_run, get_meeting_or_404, may_enter_room, meetings_for
from dangvu.meetings.forms import (
    AddendumForm,
    CancelForm,
    DocumentForm,
    MeetingCreateForm,
    MinutesForm,
    RsvpForm,
    VersionForm,
    agenda_formset,
    agenda_specs,
)
from dangvu.meetings.models import (
    Attendance,
    Ballot,
    Choice,
    DocumentVersion,
    Invitation,
    InviteeRole,
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingState,
    SecretReceipt,
    VoteMethod,
    VoteState,
)
from dangvu.orgs.labels import attach, attach_to
from dangvu.orgs.models import Organisation
from dangvu.web import once
from dangvu.web.confirm import confirmation_needed

VIEW = "meetings.view"
MANAGE = "meetings.manage"
UPCOMING_LIMIT = 50
ACTIVE_STATES = (MeetingState.PLANNED, MeetingState.IN_PROGRESS)


def _require(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


def _is_partial(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request


def _optional_url(name: str, *args) -> str | None:
    """A link to a page another module provides, only once that page exists."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _int(value, low: int, high: int) -> int | None:
    value = str(value or "")
    if value.isdigit() and low <= int(value) <= high:
        return int(value)
    return None


# --- List ---------------------------------------------------------------------------------------------


@dataclass
class MeetingFilter:
    organisation: Organisation | None = None
    kind: str = ""
    state: str = ""
    year: int | None = None
    month: int | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> MeetingFilter:
        params = request.GET
        found = cls(
            kind=params.get("kind", "") if params.get("kind") in MeetingKind.values else "",
            state=params.get("state", "") if params.get("state") in MeetingState.values else "",
            year=_int(params.get("year"), 1990, 2100),
            month=_int(params.get("month"), 1, 12),
        )
        org_id = _int(params.get("organisation"), 1, 2**31)
        if org_id and has_capability(request.user, VIEW):
            found.organisation = get_organisation_or_404(request.user, org_id, VIEW)
        return found

    def apply(self, meetings):
        if self.organisation is not None:
            meetings = meetings.filter(organisation__path__startswith=self.organisation.path)
        if self.kind:
            meetings = meetings.filter(kind=self.kind)
        if self.state:
            meetings = meetings.filter(state=self.state)
        if self.year:
            meetings = meetings.filter(starts_at__year=self.year)
        if self.month:
            meetings = meetings.filter(starts_at__month=self.month)
        return meetings


def _invitations_counted(**filters) -> Coalesce:
    rows = (
        Invitation.objects.filter(meeting=OuterRef("pk"), role=InviteeRole.MEMBER, expected=True, **filters)
        .order_by()
        .values("meeting")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _with_attendance(meetings):
    """Members expected and present, per meeting: subqueries evaluated for the rows of the page only (the
    page count does not join the invitations)."""
    return meetings.annotate(
        n_expected=_invitations_counted(), n_present=_invitations_counted(attendance=Attendance.PRESENT)
    )


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Meetings in the user's scope (filters, pages) and, for a user linked to a member record, their own
    invitations with the RSVP buttons."""
    user = request.user
    staff = has_capability(user, VIEW)
    member_id = getattr(user, "member_id", None)
    if not staff and not member_id:
        raise PermissionDenied
    tab = request.GET.get("tab", "")
    if tab not in {"all", "mine"} or (tab == "all" and not staff) or (tab == "mine" and not member_id):
        tab = "all" if staff else "mine"
    context: dict = {"tab": tab, "staff": staff, "member_id": member_id, "can_create": has_capability(user, MANAGE)}
    if tab == "mine":
        mine = Invitation.objects.filter(member_id=member_id).select_related("meeting__organisation")
        context["upcoming"] = list(
            mine.filter(meeting__state__in=ACTIVE_STATES).order_by("meeting__starts_at", "id")[:UPCOMING_LIMIT]
        )
        past = mine.exclude(meeting__state__in=ACTIVE_STATES).order_by("-meeting__starts_at", "-id")
        context["page"] = Paginator(past, settings.PAGE_SIZE).get_page(request.GET.get("page"))
        attach_to([*context["upcoming"], *context["page"].object_list], "meeting.organisation")
        context["rsvp_next"] = request.get_full_path()
        return render(request, "meetings/list.html", context)
    meeting_filter = MeetingFilter.from_request(request)
    meetings = _with_attendance(meeting_filter.apply(meetings_for(user)).select_related("organisation"))
    context["page"] = Paginator(meetings.order_by("-starts_at", "-id"), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    room_ids = may_enter_room(user, context["page"].object_list)
    context["page"].object_list = attach_to(context["page"].object_list)
    for m in context["page"].object_list:  # "enter the room" on the meetings in progress the user may enter
        m.room_url = _optional_url("meetings:room", m.pk) if m.pk in room_ids else None
    context["filter"] = meeting_filter
    if _is_partial(request):
        response = render(request, "meetings/_results.html", context)
    else:
        context.update(
            org_options=scope_options(user, VIEW, meeting_filter.organisation) if staff else [],
            kind_options=MeetingKind.choices,
            state_options=MeetingState.choices,
            month_options=list(range(1, 13)),
            year_options=list(range(timezone.localdate().year + 1, timezone.localdate().year - 10, -1)),
        )
        response = render(request, "meetings/list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_POST
def rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    """The user's own answer to their invitation (never someone else's)."""
    meeting = get_meeting_or_404(request.user, pk)
    member_id = getattr(request.user, "member_id", None)
    invitation = (
        Invitation.objects.filter(meeting=meeting, member_id=member_id).select_related("meeting").first()
        if member_id
        else None
    )
    if invitation is None:
        raise Http404
    form = RsvpForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            invitation = services.answer(
                invitation, request.user, rsvp=form.cleaned_data["rsvp"], reason=form.cleaned_data["reason"]
            )
        except DomainError as e:
            error = " ".join(e.messages)
    else:
        error = _("Choose an answer.")
    if _is_partial(request):
        invitation.meeting = meeting
        context = {"invitation": invitation, "error": error, "saved": not error}
        return render(request, "meetings/_rsvp.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your answer was recorded."))
    return redirect(safe_next(request, request.POST.get("next"), reverse("meetings:detail", kwargs={"pk": meeting.pk})))


# --- Planning -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def create(request: HttpRequest) -> HttpResponse:
    _require(request.user, MANAGE)
    org_id = _int(request.GET.get("organisation"), 1, 2**31)
    if org_id is None:
        managed = organisations_for(request.user, MANAGE).filter(valid_to__isnull=True)
        if managed.count() == 1:
            return redirect(f"{reverse('meetings:create')}?organisation={managed.get().pk}")
        return render(request, "meetings/create_choose.html", {"org_options": scope_options(request.user, MANAGE)})
    org = get_organisation_or_404(request.user, org_id, MANAGE)
    form = MeetingCreateForm(request.POST or None, organisation=org)
    agenda = agenda_formset(org, request.POST or None)
    if request.method == "POST" and form.is_valid() and agenda.is_valid():
        d = form.cleaned_data
        try:
            meeting = services.create_meeting(
                org,
                request.user,
                kind=d["kind"],
                starts_at=form.starts_at(),
                topic=d["topic"],
                place=d["place"],
                online_link=d["online_link"],
                chair=d["chair"],
                secretary=d["secretary"],
                agenda=agenda_specs(agenda),
                guests=list(d["guests"]),
                external_guests=form.external_guests(),
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting was planned and the invitations sent."))
            return redirect("meetings:detail", pk=meeting.pk)
    context = {
        "org": org,
        "form": form,
        "agenda": agenda,
        "in_charge": services.guests_in_charge(org, timezone.localdate()),
    }
    return render(request, "meetings/create.html", context)


# --- The meeting --------------------------------------------------------------------------------------


@dataclass
class VoteView:
    vote: object
    names: dict[str, list[str]] = field(default_factory=dict)  # named votes, once closed
    ballots: int = 0  # secret votes: how many voted (never who)
    rule_label: str = ""  # the threshold with the shares of the rule set of the meeting's day


def _votes(meeting: Meeting) -> list[VoteView]:
    votes = list(meeting.votes.select_related("agenda_item").order_by("created_at", "id"))
    if not votes:
        return []
    labels = thresholds.labels_for(meeting)
    views = {v.pk: VoteView(v, rule_label=labels[v.rule]) for v in votes}
    named = [v.pk for v in votes if v.method == VoteMethod.NAMED and v.state == VoteState.CLOSED]
    if named:
        for view in views.values():
            if view.vote.pk in named:
                view.names = {c: [] for c in Choice.values}
        for ballot in (
            Ballot.objects.filter(vote_id__in=named)
            .select_related("invitation__member")
            .order_by("invitation__member__name_sort", "id")
        ):
            views[ballot.vote_id].names[ballot.choice].append(ballot.invitation.name)
    secret = [v.pk for v in votes if v.method == VoteMethod.SECRET]
    if secret:
        counts = SecretReceipt.objects.filter(vote_id__in=secret).values_list("vote_id").annotate(n=Count("id"))
        for vote_id, n in counts.order_by():
            views[vote_id].ballots = n
    return list(views.values())


def _documents(meeting: Meeting) -> list[MeetingDocument]:
    return list(
        meeting.documents.filter(withdrawn=False)
        .prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number"))
        )
        .order_by("agenda_item__position", "id")
    )


def detail_context(request: HttpRequest, meeting: Meeting, **forms) -> dict:
    user = request.user
    runs = can_run(user, meeting)
    manages = can_manage(user, meeting)
    member_id = getattr(user, "member_id", None)
    invitations = list(
        meeting.invitations.select_related("member").order_by("-role", "member__name_sort", "guest_name", "id")
    )
    own = next((i for i in invitations if member_id and i.member_id == member_id), None)
    readable = runs or own is not None
    agenda = list(meeting.agenda.select_related("presenter").order_by("position", "id"))
    documents = _documents(meeting) if readable else []
    for item in agenda:
        item.docs = [d for d in documents if d.agenda_item_id == item.pk]
    members = [i for i in invitations if i.role == InviteeRole.MEMBER and i.expected]
    state = meeting.state
    editable = not meeting.locked
    context = {
        "meeting": meeting,
        "can_run": runs,
        "can_manage": manages,
        "is_chair": bool(member_id) and member_id == meeting.chair_id,
        "own": own,
        "rsvp_next": request.get_full_path(),
        "invitations": invitations,
        "base": services.meeting_base(meeting, invitations),
        "expected": len(members),
        "present": sum(1 for i in members if i.attendance == Attendance.PRESENT),
        "agenda": agenda,
        "can_read_documents": readable,
        "has_documents": bool(documents),
        "general_documents": [d for d in documents if d.agenda_item_id is None],
        "forecast": services.forecast(meeting) if state == MeetingState.PLANNED else None,
        "votes": _votes(meeting),
        "speakers": list(
            meeting.speakers.select_related("invitation__member", "agenda_item").order_by("requested_at", "id")
        ),
        "addenda": list(meeting.addenda.select_related("created_by").order_by("created_at", "id"))
        if state == MeetingState.APPROVED
        else [],
        "room_url": _optional_url("meetings:room", meeting.pk)
        if (runs or own is not None) and state in ACTIVE_STATES
        else None,
        "projector_url": _optional_url("meetings:projector", meeting.pk)
        if (runs or own is not None) and state in ACTIVE_STATES
        else None,
        "resolution_url": _optional_url("documents:meeting_resolution", meeting.pk)
        if meeting.resolution_text.strip() and (runs or own is not None) and state != MeetingState.PLANNED
        else None,
        "preview_url": _optional_url("documents:meeting_minutes", meeting.pk)
        if runs and state in {MeetingState.IN_PROGRESS, MeetingState.HELD}
        else None,
    }
    if runs and editable and state in {MeetingState.IN_PROGRESS, MeetingState.HELD}:
        context["minutes_form"] = forms.get("minutes_form") or MinutesForm(
            initial={**{f: getattr(meeting, f) for f in services.MINUTES_FIELDS}, "version": versions.current(meeting)}
        )
    if manages and state == MeetingState.PLANNED:
        context["cancel_form"] = forms.get("cancel_form") or CancelForm()
    if runs and state == MeetingState.APPROVED:
        context["addendum_form"] = forms.get("addendum_form") or AddendumForm()
    if runs and editable:
        context["document_form"] = forms.get("document_form") or DocumentForm(meeting=meeting)
        context["version_form"] = VersionForm()
    return context


def render_detail(request: HttpRequest, meeting: Meeting, status: int = 200, **forms) -> HttpResponse:
    return render(request, "meetings/detail.html", detail_context(request, meeting, **forms), status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, get_meeting_or_404(request.user, pk))


def _act(request: HttpRequest, meeting: Meeting, action, success: str, *args, **kwargs) -> HttpResponse:
    """Run a service; the outcome (or the refusal) as a message on the meeting page."""
    try:
        action(meeting, request.user, *args, **kwargs)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("meetings:detail", pk=meeting.pk)


def _runnable(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_meeting_or_404(request.user, pk)
    if not can_run(request.user, meeting):
        raise PermissionDenied
    return meeting


@login_required
@require_POST
def open_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the meeting and go to its room, where it is run (the record page when refused)."""
    meeting = _runnable(request, pk)
    try:
        services.open_meeting(meeting, request.user)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:detail", pk=meeting.pk)
    messages.success(request, _("The meeting is open."))
    return redirect("meetings:room", pk=meeting.pk)


@login_required
@require_POST
def close_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _runnable(request, pk)
    if asked := confirmation_needed(request, "close_meeting", back=reverse("meetings:detail", args=[pk])):
        return asked
    return _act(request, meeting, services.close_meeting, _("The meeting is closed."))


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_or_404(request.user, pk)
    if not can_manage(request.user, meeting):
        raise PermissionDenied
    if asked := confirmation_needed(request, "cancel_meeting", back=reverse("meetings:detail", args=[pk])):
        return asked
    form = CancelForm(request.POST)
    if not form.is_valid():
        return render_detail(request, meeting, status=400, cancel_form=form)
    return _act(request, meeting, services.cancel_meeting, _("The meeting was cancelled."), form.cleaned_data["reason"])


@login_required
@require_POST
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _runnable(request, pk)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        return render_detail(request, meeting, status=400, minutes_form=form)
    texts = {name: value for name, value in form.cleaned_data.items() if name != "version"}
    try:
        services.write_minutes(meeting, request.user, version=form.cleaned_data["version"], **texts)
    except versions.StaleEdit as error:
        # Nothing was written: the form shows what changed meanwhile, on the current version.
        versions.refresh_form(form, error)
        form.add_error(None, error)
        form.add_error(None, versions.AGAIN)
        return render_detail(request, meeting, status=409, minutes_form=form)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The minutes were saved."))
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def speech(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    """The minutes secretary notes the gist of an opinion (printed in the minutes)."""
    meeting = _runnable(request, pk)
    found = get_object_or_404(meeting.speakers, pk=request_pk)

    def record(_meeting, actor, summary):
        services.record_speech(found, actor, summary)

    return _act(request, meeting, record, _("The opinion was noted."), request.POST.get("summary", "")[:4000])


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_or_404(request.user, pk)
    member_id = getattr(request.user, "member_id", None)
    if not member_id or member_id != meeting.chair_id:
        raise PermissionDenied
    if asked := confirmation_needed(request, "approve_minutes", back=reverse("meetings:detail", args=[pk])):
        return asked
    return _act(request, meeting, services.approve_minutes, _("The minutes are approved; the record is locked."))


@login_required
@require_POST
@once.creating
def addendum(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _runnable(request, pk)
    form = AddendumForm(request.POST)
    if not form.is_valid():
        return render_detail(request, meeting, status=400, addendum_form=form)
    return _act(request, meeting, services.add_addendum, _("The addendum was added."), form.cleaned_data["text"])


@login_required
@require_GET
def minutes_file(request: HttpRequest, pk: int) -> FileResponse:
    """The minutes as approved (DOCX), for whoever may see the meeting."""
    meeting = get_meeting_or_404(request.user, pk)
    if meeting.state != MeetingState.APPROVED or not meeting.minutes_file:
        raise Http404
    try:
        handle = meeting.minutes_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(meeting.minutes_file.name))


# --- Regularity ---------------------------------------------------------------------------------------


def _home_organisation(user, capability: str) -> Organisation:
    scope = Scope.of(user, capability)
    for org in home_organisations(user):
        if scope.covers_path(org.path):
            return org
    raise PermissionDenied


@login_required
@require_GET
def regularity(request: HttpRequest) -> HttpResponse:
    """Meetings held against required per cell for a year (so far, for the current year), and the
    compliance of the committee members in charge."""
    _require(request.user, VIEW)
    org_id = _int(request.GET.get("organisation"), 1, 2**31)
    org = get_organisation_or_404(request.user, org_id, VIEW) if org_id else _home_organisation(request.user, VIEW)
    today = timezone.localdate()
    year = _int(request.GET.get("year"), 1990, today.year) or today.year
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    report = stats.regularity(org, start, end)
    compliance = stats.compliance(org, start, end)
    attach(  # one labelling for every organisation on the page (dangvu.orgs.labels)
        [c.organisation for c in report.cells]
        + [row.assignment.organisation for row in compliance]
        + [row.assignment.seat.committee.organisation for row in compliance]
    )
    context = {
        "org": org,
        "year": year,
        "start": start,
        "end": end,
        "report": report,
        "total_present": sum(c.present for c in report.cells),
        "total_expected": sum(c.expected for c in report.cells),
        "compliance": compliance,
        "org_options": scope_options(request.user, VIEW, org),
        "year_options": list(range(today.year, today.year - 10, -1)),
    }
    return render(request, "meetings/regularity.html", context)
