"""Inspection and supervision pages, in the inspection committee's section: the programmes and activities of
the subtree, one programme, one activity with its subjects, team, conclusion and remediation — and, for
those who record them, the forms acting on it (dangvu.inspection.views_write).

Access: `inspection.view` (403 without it, 404 outside scope); the forms only for `inspection.manage` over
the conducting organisation."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangvu.accounts.scope import has_capability, members_for, organisations_for
from dangvu.documents.views import docx_response
from dangvu.inspection import documents
from dangvu.inspection.access import activities_for, can_manage, get_activity_or_404, programmes_for
from dangvu.inspection.forms import (
    CloseForm,
    ConclusionForm,
    FileForm,
    RemediationForm,
    SubjectsForm,
    TeamForm,
    WithdrawForm,
)
from dangvu.inspection.models import Activity
from dangvu.members.models import Status

VIEW, MANAGE = "inspection.view", "inspection.manage"


def require(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW)
    activities = list(activities_for(request.user).select_related("organisation", "programme")[:300])
    programmes = list(programmes_for(request.user).select_related("organisation")[:100])
    return render(
        request,
        "inspection/index.html",
        {"activities": activities, "programmes": programmes, "may_manage": has_capability(request.user, MANAGE)},
    )


@login_required
@require_GET
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, VIEW)
    item = programmes_for(request.user).select_related("organisation").filter(pk=pk).first()
    if item is None:
        raise Http404
    activities = list(item.activities.select_related("organisation").order_by("start", "id"))
    return render(
        request,
        "inspection/programme.html",
        {"programme": item, "activities": activities, "may_manage": can_manage(request.user, item.organisation)},
    )


def subject_choices(user, activity: Activity) -> dict:
    """What the subjects form offers: organisations and members of the manager's scope under the conducting
    organisation today (the service checks the dates)."""
    org = activity.organisation
    return {
        "organisations": organisations_for(user, MANAGE)
        .filter(path__startswith=org.path, valid_to__isnull=True)
        .exclude(pk=org.pk)
        .order_by("path"),
        "members": members_for(user, MANAGE).filter(status__in=Status.in_party()).order_by("name_sort"),
    }


def activity_context(request: HttpRequest, item: Activity, **bound) -> dict:
    """The activity page; `bound` replaces a blank form by the one posted (shown with its errors)."""
    remediations = list(item.remediations.all())
    files = list(item.files.select_related("uploaded_by", "withdrawn_by"))
    context = {
        "activity": item,
        "files": [f for f in files if not f.withdrawn],
        "withdrawn_files": [f for f in files if f.withdrawn],
        "subjects": list(item.subjects.select_related("organisation", "member")),
        "remediations": remediations,
        "may_manage": can_manage(request.user, item.organisation),
    }
    if context["may_manage"] and not item.concluded_on:
        today = timezone.localdate()
        context["team_form"] = bound.get("team_form") or TeamForm(initial={"team": item.team})
        context["subjects_form"] = bound.get("subjects_form") or SubjectsForm(**subject_choices(request.user, item))
        context["conclusion_form"] = bound.get("conclusion_form") or ConclusionForm(
            initial={"concluded_on": max(today, item.end)}
        )
    if context["may_manage"]:
        today = timezone.localdate()
        context["remediation_form"] = bound.get("remediation_form") or RemediationForm()
        context["file_form"] = bound.get("file_form") or FileForm()
        withdraw = bound.get("withdraw_form")
        for f in context["files"]:
            f.withdraw_form = (
                withdraw
                if withdraw is not None and withdraw.prefix == f"withdraw{f.pk}"
                else WithdrawForm(prefix=f"withdraw{f.pk}")
            )
        close = bound.get("close_form")
        for r in remediations:
            if not r.closed:
                r.close_form = (
                    close
                    if close is not None and close.prefix == f"close{r.pk}"
                    else CloseForm(prefix=f"close{r.pk}", initial={"closed_on": today})
                )
    return context


@login_required
@require_GET
def activity(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, VIEW)
    item = get_activity_or_404(request.user, pk)
    return render(request, "inspection/activity.html", activity_context(request, item))


@login_required
@require_GET
def decision_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision to inspect or supervise in the Party format, for those who see the activity."""
    require(request.user, VIEW)
    item = get_activity_or_404(request.user, pk)
    generated = documents.decision(item)
    return docx_response(generated.filename, generated.content)


@login_required
@require_GET
def conclusion_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice of the conclusion with the remediation required (404 before the conclusion)."""
    require(request.user, VIEW)
    item = get_activity_or_404(request.user, pk)
    if not item.concluded_on:
        raise Http404
    generated = documents.conclusion(item)
    return docx_response(generated.filename, generated.content)
