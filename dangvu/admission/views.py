"""Admission pages: the pipeline board of a cell or committee, opening a file, the candidate's page with
its timeline and the form for the next step, and the download of a step's scanned document.

Access: candidates come through dangvu.admission.access (an out-of-scope file is a 404); recording a step
needs `admission.propose` (the cell's steps) or `admission.decide` (the committee's steps) over the
candidate's cell, else 403. Writes go through dangvu.admission.services only; a DomainError is shown on
the form and nothing is written. Step forms post with HTMX (the file fragment is swapped) and without
JavaScript (post, then redirect).
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, Max, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts import privacy
from dangvu.accounts.scope import (
    Scope,
    get_organisation_or_404,
    has_capability,
    home_organisations,
    scope_options,
)
from dangvu.admission import services
from dangvu.admission.access import can_record, candidates_for, get_candidate_or_404
from dangvu.admission.forms import AnnulStepForm, CandidateCreateForm, StepForm, WithdrawForm, proposing_cells
from dangvu.admission.models import Candidate, CandidateStep, Introducer, Outcome, Stage
from dangvu.lib.errors import DomainError
from dangvu.members.vote_base import vote_base
from dangvu.orgs.models import Organisation, OrgKind
from dangvu.rules import presentation
from dangvu.rules.registry import rules_on
from dangvu.web import once

VIEW = "admission.view"
PROPOSE = "admission.propose"
DECIDE = "admission.decide"
CARDS_PER_COLUMN = 200  # a board wider than this is better narrowed to a smaller organisation
SHOW_CHOICES = ("open", "closed", "all")
# Steps for which dangvu.documents prints a DOCX form.
DOCX_STAGES = {
    Stage.CELL_RESOLUTION,
    Stage.COMMITTEE_RESOLUTION,
    Stage.DECISION,
    Stage.OFFICIAL_RESOLUTION,
    Stage.OFFICIAL_DECISION,
}


def _require(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


def _is_partial(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request


# --- Board ------------------------------------------------------------------------------------------


@dataclass
class Column:
    stage: str
    label: str
    cards: list[Candidate] = field(default_factory=list)
    count: int = 0

    @property
    def hidden(self) -> int:
        return self.count - len(self.cards)


def _board_organisation(request: HttpRequest) -> Organisation:
    value = str(request.GET.get("organisation", ""))
    if value.isdigit():
        return get_organisation_or_404(request.user, int(value), VIEW)
    scope = Scope.of(request.user, VIEW)
    for org in home_organisations(request.user):
        if scope.covers_path(org.path):
            return org
    raise PermissionDenied


def _columns(candidates: list[Candidate], board_org: Organisation) -> list[Column]:
    stages = Stage.order()
    grassroots_only = board_org.kind == OrgKind.GRASSROOTS_CELL or (
        candidates and all(c.organisation.kind == OrgKind.GRASSROOTS_CELL for c in candidates)
    )
    if grassroots_only:
        stages.remove(Stage.COMMITTEE_RESOLUTION)  # a grassroots cell proposes directly to the committee above
    columns = {s: Column(s, str(Stage(s).label)) for s in stages}
    for candidate in candidates:
        column = columns.get(candidate.stage)
        if column is None:
            continue
        column.count += 1
        if len(column.cards) < CARDS_PER_COLUMN:
            column.cards.append(candidate)
    return list(columns.values())


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """Columns by step for the candidates under one organisation (open files unless asked otherwise)."""
    _require(request.user, VIEW)
    org = _board_organisation(request)
    show = request.GET.get("show", "open")
    if show not in SHOW_CHOICES:
        show = "open"
    candidates = candidates_for(request.user).filter(organisation__path__startswith=org.path)
    if show == "open":
        candidates = candidates.filter(outcome=Outcome.OPEN)
    elif show == "closed":
        candidates = candidates.exclude(outcome=Outcome.OPEN)
    rows = list(
        candidates.select_related("organisation")
        .annotate(last_step=Max("steps__date", filter=Q(steps__annulled_at__isnull=True)))
        .order_by(F("due_on").asc(nulls_last=True), "name_sort", "id")
    )
    today = timezone.localdate()
    soon = today + dt.timedelta(days=rules_on(today)["alerts.soon_days"])
    for c in rows:
        c.overdue = c.is_open and c.due_on is not None and c.due_on < today
        c.due_soon = c.is_open and c.due_on is not None and today <= c.due_on <= soon
    context = {
        "org": org,
        "show": show,
        "columns": _columns(rows, org),
        "total": len(rows),
        "show_cell": org.kind not in OrgKind.member_holding(),
        "can_create": has_capability(request.user, PROPOSE),
    }
    if _is_partial(request):
        response = render(request, "admission/_board.html", context)
    else:
        context["org_options"] = scope_options(request.user, VIEW, org)
        context["show_options"] = [
            ("open", _("Open files")),
            ("closed", _("Closed files (official, removed, withdrawn)")),
            ("all", _("All files")),
        ]
        response = render(request, "admission/board.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- Opening a file ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def create(request: HttpRequest) -> HttpResponse:
    _require(request.user, PROPOSE)
    initial: dict = {"date": timezone.localdate()}
    value = str(request.GET.get("organisation", ""))
    if value.isdigit():
        cell = proposing_cells(request.user).filter(pk=int(value)).first()
        if cell is not None:
            initial["cell"] = cell.pk
    form = CandidateCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            candidate = services.create_candidate(
                form.identity(),
                d["cell"],
                request.user,
                date=d["date"],
                document_number=d["document_number"],
                note=d["note"],
                waive_reason=d["waive_reason"],
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The admission file was opened."))
            return redirect("admission:candidate", pk=candidate.pk)
    return render(request, "admission/create.html", {"form": form})


# --- Candidate page ---------------------------------------------------------------------------------


def _steps(candidate: Candidate) -> list[CandidateStep]:
    return list(
        candidate.steps.select_related("recorded_by", "annulled_by")
        .prefetch_related(Prefetch("introducers", queryset=Introducer.objects.select_related("member")))
        .order_by("date", "id")
    )


def _stage_options(candidate: Candidate, upcoming: str | None, today: dt.date) -> list[str]:
    """The next step, and the later steps that may be recorded by waiving only steps the rule set in
    force allows waiving (an audited exception)."""
    if upcoming is None:
        return []
    stages = services.applicable_stages(candidate)
    allowed = set(rules_on(today)["admission.exception_steps"])
    options = [upcoming]
    for stage in stages[stages.index(upcoming) + 1 :]:
        if options[-1] not in allowed:
            break
        options.append(stage)
    return options


def _documents_ready() -> bool:
    """The DOCX forms are built by dangvu.documents; link to them only once that view exists."""
    try:
        reverse("documents:admission_step", args=[1])
    except NoReverseMatch:
        return False
    return True


@dataclass
class FileState:
    """What the candidate page needs to know about the file and the user's rights on it."""

    candidate: Candidate
    steps: list[CandidateStep]
    live: dict[str, CandidateStep]
    upcoming: str | None
    options: list[str]


def _state(candidate: Candidate) -> FileState:
    steps = _steps(candidate)
    live = {s.stage: s for s in steps if s.live}
    upcoming = services.next_stage(candidate, live) if candidate.is_open else None
    return FileState(candidate, steps, live, upcoming, _stage_options(candidate, upcoming, timezone.localdate()))


def _missing(state: FileState, stage: str) -> list[str]:
    stages = services.applicable_stages(state.candidate)
    return [s for s in stages[: stages.index(stage)] if s not in state.live]


def _may_record(user, state: FileState, stage: str) -> bool:
    return all(can_record(user, state.candidate, s) for s in [stage, *_missing(state, stage)])


def _step_form(request: HttpRequest, state: FileState, stage: str, data=None, files=None) -> StepForm:
    return StepForm(
        data, files, stage=stage, candidate=state.candidate, user=request.user, missing=_missing(state, stage)
    )


def _vote_hint(candidate: Candidate, stage: str, today: dt.date) -> dict | None:
    values = rules_on(today)
    if stage in services.CELL_VOTES:
        base = vote_base(services.step_cell(candidate, today), today)
        share = services.threshold(values["admission.cell_vote_threshold"])
        return {
            "eligible": base.size,
            "needed": services.votes_needed(share, base.size),
            "share": presentation.shown(values, "admission.cell_vote_threshold"),
            "base": base,
        }
    if stage == Stage.COMMITTEE_RESOLUTION:
        return {
            "eligible": None,
            "needed": None,
            "share": presentation.shown(values, "admission.committee_vote_threshold"),
        }
    return None


def _latest_live(state: FileState) -> CandidateStep | None:
    if not state.live:
        return None
    return max(state.live.values(), key=lambda s: (Stage.index(s.stage), s.id))


def _file_context(
    request: HttpRequest,
    state: FileState,
    *,
    form: StepForm | None = None,
    annul_form: AnnulStepForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    notice: str = "",
    notice_level: str = "success",
) -> dict:
    user = request.user
    candidate = state.candidate
    today = timezone.localdate()
    stage = form.stage if form is not None else None
    if stage is None and state.upcoming:
        requested = request.GET.get("stage", "")
        stage = requested if requested in state.options else state.upcoming
    can_step = bool(stage) and _may_record(user, state, stage)
    if can_step and form is None:
        form = _step_form(request, state, stage)
    latest = _latest_live(state)
    can_annul = (
        latest is not None
        and candidate.is_open
        and latest.stage not in {Stage.CEREMONY, Stage.OFFICIAL_DECISION}
        and can_record(user, candidate, latest.stage)
    )
    can_withdraw = (
        candidate.is_open
        and not candidate.member_id
        and Scope.of(user, DECIDE).covers_path(candidate.organisation.path)
    )
    waivable = [(s, str(Stage(s).label)) for s in state.options[1:] if _may_record(user, state, s)] if can_step else []
    # Personal data the user may not see (dangvu.accounts.privacy) is left out of the page and blanked on the
    # copy the template renders (the record itself stays as it is).
    hidden = privacy.hidden_for_candidate(user, candidate)
    shown = copy.copy(candidate)
    privacy.blank(shown, hidden)
    return {
        "candidate": shown,
        "hidden": dict.fromkeys(hidden, True),
        "steps": state.steps,
        "upcoming": state.upcoming,
        "upcoming_label": str(Stage(state.upcoming).label) if state.upcoming else "",
        "stage": stage,
        "stage_label": str(Stage(stage).label) if stage else "",
        "form": form if can_step else None,
        "missing_labels": [str(Stage(s).label) for s in _missing(state, stage)] if can_step else [],
        "waivable": waivable,
        "hint": _vote_hint(candidate, stage, today) if can_step else None,
        "latest": latest if can_annul else None,
        "annul_form": (annul_form or AnnulStepForm()) if can_annul else None,
        "withdraw_form": (withdraw_form or WithdrawForm()) if can_withdraw else None,
        "documents_ready": _documents_ready(),
        "docx_stages": DOCX_STAGES,
        "voted_stages": Stage.voted(),
        "overdue": candidate.is_open and candidate.due_on is not None and candidate.due_on < today,
        "notice": notice,
        "notice_level": notice_level,
        "age_note": services.over_age(candidate, state.live),
    }


def _render_file(request: HttpRequest, state: FileState, **kwargs) -> HttpResponse:
    context = _file_context(request, state, **kwargs)
    template = "admission/_file.html" if _is_partial(request) else "admission/candidate.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_GET
def candidate(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_candidate_or_404(request.user, pk)
    return _render_file(request, _state(found))


def _done(request: HttpRequest, found: Candidate, message: str) -> HttpResponse:
    """After a successful action: the fresh fragment for HTMX, else a redirect to the page."""
    if _is_partial(request):
        fresh = get_candidate_or_404(request.user, found.pk)
        return _render_file(request, _state(fresh), notice=message)
    messages.success(request, message)
    return redirect("admission:candidate", pk=found.pk)


@login_required
@require_POST
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the next step (or a later one, waiving the missing steps the rule set allows waiving)."""
    found = get_candidate_or_404(request.user, pk)
    state = _state(found)
    stage = request.POST.get("stage", "")
    if stage not in state.options:
        # Closed meanwhile, or another step was recorded since the form was shown (e.g. a double submit).
        message = _("The file changed meanwhile: check the timeline and try again.")
        if _is_partial(request):
            return _render_file(request, state, notice=message, notice_level="error")
        messages.error(request, message)
        return redirect("admission:candidate", pk=found.pk)
    if not _may_record(request.user, state, stage):
        raise PermissionDenied
    form = _step_form(request, state, stage, request.POST, request.FILES)
    if form.is_valid():
        try:
            services.record_step(found, stage, request.user, **form.service_kwargs())
        except DomainError as error:
            form.add_error(None, error)
        else:
            return _done(request, found, _("Recorded: %(step)s.") % {"step": Stage(stage).label})
    return _render_file(request, state, form=form)


@login_required
@require_POST
def annul(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    found = get_candidate_or_404(request.user, pk)
    step = CandidateStep.objects.filter(candidate=found, pk=step_pk, annulled_at__isnull=True).first()
    if step is None:
        raise Http404
    if not can_record(request.user, found, step.stage):
        raise PermissionDenied
    form = AnnulStepForm(request.POST)
    if form.is_valid():
        try:
            services.annul_step(step, request.user, form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error)
        else:
            return _done(request, found, _("Annulled: %(step)s.") % {"step": step.get_stage_display()})
    return _render_file(request, _state(found), annul_form=form)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_candidate_or_404(request.user, pk)
    if not Scope.of(request.user, DECIDE).covers_path(found.organisation.path):
        raise PermissionDenied
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw(found, request.user, form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error)
        else:
            return _done(request, found, _("The file was closed."))
    return _render_file(request, _state(found), withdraw_form=form)


@login_required
@require_GET
def step_file(request: HttpRequest, step_pk: int) -> FileResponse:
    """A step's scanned document, for those who may see the candidate (404 otherwise)."""
    step = CandidateStep.objects.filter(pk=step_pk, candidate__in=candidates_for(request.user)).exclude(file="").first()
    if step is None:
        raise Http404
    try:
        handle = step.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(step.file.name))
