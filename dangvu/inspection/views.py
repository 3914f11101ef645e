"""Inspection and supervision pages, in the inspection committee's section: the programmes and activities of
the subtree, one activity with its subjects, conclusion and remediation. Read only for now (writes go
through dangvu.inspection.services). Access: `inspection.view` (403 without it, 404 outside scope)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangvu.accounts.scope import has_capability
from dangvu.inspection.access import activities_for, get_activity_or_404, programmes_for

VIEW = "inspection.view"


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, VIEW):
        raise PermissionDenied
    activities = list(activities_for(request.user).select_related("organisation", "programme")[:300])
    programmes = list(programmes_for(request.user).select_related("organisation")[:100])
    return render(request, "inspection/index.html", {"activities": activities, "programmes": programmes})


@login_required
@require_GET
def activity(request: HttpRequest, pk: int) -> HttpResponse:
    if not has_capability(request.user, VIEW):
        raise PermissionDenied
    item = get_activity_or_404(request.user, pk)
    subjects = list(item.subjects.select_related("organisation", "member"))
    return render(
        request,
        "inspection/activity.html",
        {"activity": item, "subjects": subjects, "remediations": list(item.remediations.all())},
    )
