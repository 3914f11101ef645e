"""Pages of resolution targets: the resolutions with targets, and one resolution's targets with each
period's result (computed with the predecessors' parts, or entered by hand with its evidence and author),
the percentage achieved and the verdict; the office adds targets and enters results.

Access (dangvu.targets.access): `targets.view` over the resolution's organisation (else 404, the list 403);
acting `targets.manage` (else 403). Writes go through dangvu.targets.services only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangvu.accounts.scope import has_capability
from dangvu.lib.errors import DomainError
from dangvu.orgs.queries import subtree
from dangvu.targets import services
from dangvu.targets.access import VIEW, can_manage, get_resolution_or_404, resolutions_for
from dangvu.targets.evaluation import evaluate_all
from dangvu.targets.forms import TargetForm, ValueForm
from dangvu.targets.models import Period, Source, Target
from dangvu.targets.projection import project


def today():
    """The day the results run to (a function, so that tests can set it)."""
    return timezone.localdate()


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, VIEW):
        raise PermissionDenied
    resolutions = (
        resolutions_for(request.user)
        .select_related("organisation", "term")
        .annotate(n_targets=Count("targets"))
        .order_by("-date", "-id")[:300]
    )
    return render(request, "targets/index.html", {"resolutions": resolutions})


def _page(request: HttpRequest, resolution, *, target_form=None, value_forms=None) -> HttpResponse:
    may_manage = can_manage(request.user, resolution)
    rows, day = [], today()
    for target in resolution.targets.select_related("scope"):
        form = (value_forms or {}).get(target.pk)
        if form is None and may_manage and target.source == Source.MANUAL:
            form = ValueForm(prefix=f"t{target.pk}")
        target.resolution = resolution
        evaluations = evaluate_all(target, day)
        projection = None
        if target.period == Period.TERM and evaluations:  # the term to date, projected to the end of the term
            projection = project(target, evaluations[-1].value, day)
        rows.append({"target": target, "evaluations": evaluations, "projection": projection, "value_form": form})
    if may_manage and target_form is None:
        target_form = TargetForm(organisations=subtree(resolution.organisation).order_by("path"))
    return render(
        request,
        "targets/resolution.html",
        {"resolution": resolution, "rows": rows, "may_manage": may_manage, "target_form": target_form},
    )


@login_required
@require_GET
def resolution(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, get_resolution_or_404(request.user, pk))


@login_required
@require_POST
def add_target(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_resolution_or_404(request.user, pk)
    if not can_manage(request.user, found):
        raise PermissionDenied
    form = TargetForm(request.POST, organisations=subtree(found.organisation).order_by("path"))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.add_target(found, services.TargetSpec(**d), request.user)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The target was added."))
            return redirect("targets:resolution", pk=found.pk)
    return _page(request, found, target_form=form)


@login_required
@require_POST
def record_value(request: HttpRequest, pk: int) -> HttpResponse:
    target = Target.objects.select_related("resolution").filter(pk=pk).first()
    if target is None:
        raise Http404
    found = get_resolution_or_404(request.user, target.resolution_id)
    if not can_manage(request.user, found):
        raise PermissionDenied
    form = ValueForm(request.POST, prefix=f"t{target.pk}")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.record_value(target, d["year"], d["value"], d["evidence"], request.user)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The result was recorded."))
            return redirect("targets:resolution", pk=found.pk)
    return _page(request, found, value_forms={target.pk: form})
