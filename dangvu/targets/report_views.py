"""Pages of the official reports on a resolution (dangvu.targets.reports): the resolution's reports with the
form that asks for one ("Lập báo cáo": the kind and the period, a one-time form token), each report's page
with its progress while it is built (HTMX polls the progress; without JavaScript the page refreshes itself),
its files to download, and "rebuild" to build it again with the figures as they are now.

Access (dangvu.targets.access): seeing and downloading need `targets.view` over the resolution's
organisation (else 404); asking for and rebuilding need `targets.manage` (else 403), and the documents
register refuses whoever may not register a document for the organisation."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dangvu.lib.errors import DomainError
from dangvu.targets import reports
from dangvu.targets.access import can_manage, get_resolution_or_404
from dangvu.targets.models import Report, ReportKind
from dangvu.web import once

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Report"), choices=ReportKind.choices)
    label = forms.ChoiceField(label=gettext_lazy("Period"))

    def __init__(self, *args, resolution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].choices = reports.period_choices(resolution)


def _report_or_404(request: HttpRequest, pk: int) -> Report:
    report = Report.objects.select_related("document", "resolution", "created_by").filter(pk=pk).first()
    if report is None:
        raise Http404
    get_resolution_or_404(request.user, report.resolution_id)  # scope: 404 outside it
    return report


def _list(request: HttpRequest, resolution, form=None) -> HttpResponse:
    may_manage = can_manage(request.user, resolution)
    if may_manage and form is None:
        form = ReportForm(resolution=resolution)
    found = resolution.target_reports.select_related("document", "created_by")[:200]
    return render(
        request,
        "targets/reports.html",
        {"resolution": resolution, "reports": found, "form": form, "may_manage": may_manage},
    )


@login_required
@require_GET
def index(request: HttpRequest, pk: int) -> HttpResponse:
    return _list(request, get_resolution_or_404(request.user, pk))


@login_required
@require_POST
@once.creating
def create(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = get_resolution_or_404(request.user, pk)
    if not can_manage(request.user, resolution):
        raise PermissionDenied
    form = ReportForm(request.POST, resolution=resolution)
    if form.is_valid():
        try:
            report = reports.request_report(
                resolution, form.cleaned_data["kind"], form.cleaned_data["label"], request.user
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The report was given the number %(number)s and is being built.")
                % {"number": report.document.number},
            )
            return redirect("targets:report", pk=report.pk)
    return _list(request, resolution, form)


def _context(request: HttpRequest, report: Report) -> dict:
    return {
        "report": report,
        "done": reports.get_progress(report),
        "may_manage": can_manage(request.user, report.resolution),
    }


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    return render(request, "targets/report.html", _context(request, report))


@login_required
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    response = render(request, "targets/_report_progress.html", _context(request, report))
    if not report.running and getattr(request, "htmx", False):
        response["HX-Refresh"] = "true"  # show the files
    return response


@login_required
@require_POST
def rebuild(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    if not can_manage(request.user, report.resolution):
        raise PermissionDenied
    if reports.rebuild(report, request.user):
        messages.success(request, _("The report is being built again with the figures as they are now."))
    else:
        messages.info(request, _("The report is already being built."))
    return redirect("targets:report", pk=report.pk)


@login_required
@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    report = _report_or_404(request, pk)
    stored = getattr(report, fmt, None) if fmt in CONTENT_TYPES else None
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = f"{report.document.number.replace('/', '-')}-{report.label}.{fmt}"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])
    response["Cache-Control"] = "private, no-store"
    return response
