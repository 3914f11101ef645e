"""Import pages: upload, dry-run preview with the error report, apply, progress, template download."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangvu.accounts.scope import Scope, organisations_for
from dangvu.imports import notices as notice_kinds
from dangvu.imports import sample, services
from dangvu.imports.forms import UploadForm, import_roots
from dangvu.imports.models import ImportJob, JobStatus
from dangvu.imports.notices import RowNotice
from dangvu.lib import legacy
from dangvu.lib.errors import DomainError
from dangvu.orgs.models import OrgKind
from dangvu.web import once

ERRORS_PER_PAGE = 100


def _jobs_for(user) -> QuerySet[ImportJob]:
    """Jobs whose organisation lies in the user's import scope (jobs for the whole tree: administrators)."""
    scope = Scope.of(user, services.CAPABILITY)
    if scope.empty:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(scope.q("organisation__path"))


def _get_job_or_404(user, pk: int) -> ImportJob:
    job = _jobs_for(user).select_related("organisation", "user").filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def _require_capability(user) -> None:
    if Scope.of(user, services.CAPABILITY).empty:
        raise PermissionDenied


@login_required
@once.creating
def index(request):
    _require_capability(request.user)
    roots = import_roots(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, roots=roots)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.create_job(
                request.user, form.cleaned_data["organisation"], upload.name, b"".join(upload.chunks())
            )
        except DomainError as exc:
            form.add_error(None, exc)
        else:
            return redirect("imports:detail", pk=job.pk)
    jobs = (
        _jobs_for(request.user)
        .select_related("organisation", "user")
        .defer("data", "errors", "preview", "notices", "notice_counts")[:20]
    )
    return render(request, "imports/index.html", {"form": form, "jobs": jobs})


@login_required
@require_GET
def template(request, fmt: str):
    _require_capability(request.user)
    # The example row names a real cell of the user's scope, so that the example reads naturally.
    cell = (
        organisations_for(request.user, services.CAPABILITY)
        .filter(kind__in=OrgKind.member_holding(), valid_to__isnull=True)
        .order_by("path")
        .values_list("code", flat=True)
        .first()
    ) or ""
    if fmt == "xlsx":
        response = HttpResponse(
            sample.xlsx_template(cell),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="mau-nhap-dang-vien.xlsx"'
        return response
    if fmt == "csv":
        response = HttpResponse(sample.csv_template(cell), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="mau-nhap-dang-vien.csv"'
        return response
    raise Http404


def _progress_context(job: ImportJob) -> dict:
    # While checking, the row count is the estimate from the file; afterwards the exact count of the check.
    total = job.total_rows if job.status != JobStatus.UPLOADED and job.total_rows else job.estimated_rows
    done = min(services.get_progress(job), total) if job.running else total
    percent = int(done * 100 / total) if total else 0
    return {"job": job, "done": done, "total": total, "percent": percent}


@login_required
@require_GET
def detail(request, pk: int):
    job = _get_job_or_404(request.user, pk)
    page = Paginator(job.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    notices = Paginator(job.notices, ERRORS_PER_PAGE).get_page(request.GET.get("notices"))
    notices.object_list = [RowNotice.from_list(item) for item in notices.object_list]
    counts = notice_kinds.counts(job)
    context = {
        "job": job,
        "errors_page": page,
        "hidden_errors": max(job.error_count - len(job.errors), 0),
        "notices_page": notices,
        "hidden_notices": max(job.notice_count - len(job.notices), 0),
        "date_notices": counts.get(notice_kinds.DATE, 0),
        "converted_notices": sum(counts.get(kind, 0) for kind in notice_kinds.ENCODINGS),
        "converted_encodings": ", ".join(legacy.NAMES[kind] for kind in notice_kinds.ENCODINGS if counts.get(kind)),
        **_progress_context(job),
    }
    return render(request, "imports/detail.html", context)


@login_required
@require_GET
def progress(request, pk: int):
    job = _get_job_or_404(request.user, pk)
    response = render(request, "imports/_progress.html", _progress_context(job))
    if not job.running and request.htmx:
        response["HX-Refresh"] = "true"  # show the result
    return response


@login_required
@require_POST
def apply(request, pk: int):
    job = _get_job_or_404(request.user, pk)
    if not services.claim_for_apply(job, request.user):
        messages.error(request, _("This import cannot be applied: it has errors, or it was already applied."))
        return redirect("imports:detail", pk=job.pk)
    return redirect("imports:detail", pk=job.pk)


@login_required
@require_GET
def errors_csv(request, pk: int):
    """The error report as CSV (UTF-8 with BOM for Excel)."""
    job = _get_job_or_404(request.user, pk)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("Row"), _("Column"), _("Value"), _("Error")])
    for row in job.errors:
        # Neutralise spreadsheet formulas in echoed values (CSV injection).
        writer.writerow([f"'{v}" if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row])
    response = HttpResponse(("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="loi-nhap-{job.pk}.csv"'
    return response
