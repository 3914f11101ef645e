"""Inspection statistics page: for an organisation of the user's scope and a year or a term, the coverage of
grassroots organisations (inspected or supervised) and the remediation done on time, each for the
organisation and each predecessor and combined (the parts add up; dangvu.inspection.stats).

Access: `inspection.view` (403 without it); an organisation outside the scope is not offered, and one
posted anyway falls back to the user's own. The same figures as XLSX (`coverage.xlsx`, dangvu.inspection.exports),
linked from the page with its query."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangvu.accounts.scope import Scope, home_organisations, organisations_for
from dangvu.discipline.forms import StatsForm
from dangvu.discipline.stats import period
from dangvu.inspection import stats
from dangvu.inspection.views import VIEW, require
from dangvu.lib.uploads import XLSX
from dangvu.orgs.models import Term


def _statistics(request: HttpRequest):
    """The form, the organisation asked for (the user's own when none or one outside the scope is asked) and
    the period: shared by the page and the XLSX."""
    today = timezone.localdate()
    homes = [o for o in home_organisations(request.user) if Scope.of(request.user, VIEW).covers_path(o.path)]
    data = request.GET if request.GET.get("organisation") else None
    form = StatsForm(
        data,
        initial={"organisation": homes[0].pk if homes else None, "year": today.year},
        organisations=organisations_for(request.user, VIEW).order_by("path"),
        terms=Term.objects.all(),
    )
    org, (start, end) = (homes[0] if homes else None), period(year=today.year)
    if form.is_bound and form.is_valid():
        org = form.cleaned_data["organisation"]
        term, year = form.cleaned_data.get("term"), form.cleaned_data.get("year")
        start, end = period(term=term) if term else period(year=year or today.year)
    return form, org, start, end


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW)
    form, org, start, end = _statistics(request)
    context = {"form": form, "start": start, "end": end}
    if org is not None:
        context["coverage"] = stats.coverage(org, start, end)
        context["remediation"] = stats.remediation_on_time(org, start, end, today=timezone.localdate())
    return render(request, "inspection/coverage.html", context)


@login_required
@require_GET
def coverage_xlsx(request: HttpRequest) -> HttpResponse:
    """The statistics shown by the page for the same query, as XLSX (counts and shares only; 404 without an
    organisation of the scope)."""
    from dangvu.inspection.exports import statistics_xlsx as build

    require(request.user, VIEW)
    _form, org, start, end = _statistics(request)
    if org is None:
        raise Http404
    report = stats.coverage(org, start, end)
    remediation = stats.remediation_on_time(org, start, end, today=timezone.localdate())
    response = HttpResponse(build(report, remediation), content_type=XLSX)
    name = f"thong-ke-kiem-tra-giam-sat-{org.pk}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
