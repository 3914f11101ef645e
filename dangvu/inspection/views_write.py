"""The inspection committee's forms: a programme, an inspection or supervision with its subjects and team,
its conclusion, remediation items and their closure with evidence. Every write goes through
dangvu.inspection.services; a refusal is shown beside its field and nothing is written (422).

Access: `inspection.manage` (403 without it anywhere); an activity outside its scope is a 404. The
conclusion and the closure of a remediation item cannot be undone: they ask for confirmation first
(dangvu.web.confirm)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dangvu.accounts.scope import members_for, organisations_for
from dangvu.inspection import services
from dangvu.inspection.access import get_activity_or_404, programmes_for
from dangvu.inspection.forms import (
    ActivityForm,
    CloseForm,
    ConclusionForm,
    ProgrammeForm,
    RemediationForm,
    SubjectsForm,
    TeamForm,
)
from dangvu.inspection.models import Remediation
from dangvu.inspection.views import MANAGE, activity_context, require, subject_choices
from dangvu.lib.errors import DomainError
from dangvu.members.models import Status
from dangvu.web import once
from dangvu.web.confirm import confirmation_needed, declare

declare(
    "conclude_inspection",
    gettext_lazy("Record the conclusion?"),
    gettext_lazy(
        "A recorded conclusion cannot be changed: the subjects and the team are then final; only remediation "
        "items can still be added and closed."
    ),
    gettext_lazy("Record the conclusion"),
)
declare(
    "close_remediation",
    gettext_lazy("Close this remediation item?"),
    gettext_lazy("A closed item cannot be reopened: its date and evidence are final."),
    gettext_lazy("Close the item"),
)


def _managers_orgs(user):
    return organisations_for(user, MANAGE).filter(valid_to__isnull=True).order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def new_programme(request: HttpRequest) -> HttpResponse:
    require(request.user, MANAGE)
    today = timezone.localdate()
    form = ProgrammeForm(
        request.POST or None,
        initial={"year": today.year, "approved_on": today},
        organisations=_managers_orgs(request.user),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.create_programme(
                organisation=d["organisation"],
                organ=d["organ"],
                year=d["year"],
                title=d["title"],
                approved_on=d["approved_on"],
                document_number=d["document_number"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The programme was recorded."))
            return redirect("inspection:programme", pk=item.pk)
    return render(request, "inspection/programme_form.html", {"form": form}, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def new_activity(request: HttpRequest) -> HttpResponse:
    require(request.user, MANAGE)
    today = timezone.localdate()
    initial = {"kind": "inspection", "mode": "regular", "start": today}
    if str(request.GET.get("programme", "")).isdigit():
        programme = programmes_for(request.user, MANAGE).filter(pk=int(request.GET["programme"])).first()
        if programme is not None:
            initial.update(programme=programme.pk, organisation=programme.organisation_id, organ=programme.organ)
    organisations = _managers_orgs(request.user)
    form = ActivityForm(
        request.POST or None,
        initial=initial,
        conducting=organisations,
        programmes=programmes_for(request.user, MANAGE).select_related("organisation").order_by("-year"),
        organisations=organisations,
        members=members_for(request.user, MANAGE).filter(status__in=Status.in_party()).order_by("name_sort"),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        plan = services.Plan(
            organisation=d["organisation"],
            organ=d["organ"],
            kind=d["kind"],
            mode=d["mode"],
            title=d["title"],
            start=d["start"],
            end=d["end"],
            team=d["team"],
            programme=d["programme"],
            organisations=list(d["organisations"]),
            members=list(d["members"]),
            decision_number=d["decision_number"],
            decided_on=d["decided_on"],
        )
        try:
            item = services.create_activity(plan, request.user)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect("inspection:activity", pk=item.pk)
    return render(request, "inspection/activity_form.html", {"form": form}, status=422 if form.errors else 200)


def _managed(request: HttpRequest, pk: int):
    require(request.user, MANAGE)
    return get_activity_or_404(request.user, pk, MANAGE)


def _done(request: HttpRequest, item, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("inspection:activity", pk=item.pk)


def _again(request: HttpRequest, item, **bound) -> HttpResponse:
    return render(request, "inspection/activity.html", activity_context(request, item, **bound), status=422)


@login_required
@require_POST
def team(request: HttpRequest, pk: int) -> HttpResponse:
    item = _managed(request, pk)
    form = TeamForm(request.POST)
    if form.is_valid():
        try:
            services.set_team(item, form.cleaned_data["team"], actor=request.user)
        except DomainError as error:
            form.add_error(None, error)
        else:
            return _done(request, item, _("The team was recorded."))
    return _again(request, item, team_form=form)


@login_required
@require_POST
def subjects(request: HttpRequest, pk: int) -> HttpResponse:
    item = _managed(request, pk)
    form = SubjectsForm(request.POST, **subject_choices(request.user, item))
    if form.is_valid():
        try:
            services.add_subjects(
                item,
                organisations=list(form.cleaned_data["organisations"]),
                members=list(form.cleaned_data["members"]),
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            return _done(request, item, _("The subjects were added."))
    return _again(request, item, subjects_form=form)


@login_required
@require_POST
def conclude(request: HttpRequest, pk: int) -> HttpResponse:
    item = _managed(request, pk)
    if asked := confirmation_needed(request, "conclude_inspection", back=reverse("inspection:activity", args=[pk])):
        return asked
    form = ConclusionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.conclude(
                item,
                concluded_on=d["concluded_on"],
                conclusion=d["conclusion"],
                number=d["conclusion_number"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            return _done(request, item, _("The conclusion was recorded."))
    return _again(request, item, conclusion_form=form)


@login_required
@require_POST
@once.creating
def add_remediation(request: HttpRequest, pk: int) -> HttpResponse:
    item = _managed(request, pk)
    form = RemediationForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.add_remediation(
                item, description=d["description"], owner=d["owner"], deadline=d["deadline"], actor=request.user
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            return _done(request, item, _("The remediation item was added."))
    return _again(request, item, remediation_form=form)


@login_required
@require_POST
def close_remediation(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _managed(request, pk)
    remediation = get_object_or_404(Remediation, pk=item_pk, activity=item)
    if asked := confirmation_needed(request, "close_remediation", back=reverse("inspection:activity", args=[pk])):
        return asked
    form = CloseForm(request.POST, prefix=f"close{remediation.pk}")
    if form.is_valid():
        try:
            services.close_remediation(
                remediation,
                closed_on=form.cleaned_data["closed_on"],
                evidence=form.cleaned_data["evidence"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            return _done(request, item, _("The remediation item was closed."))
    return _again(request, item, close_form=form)
