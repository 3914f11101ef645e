"""Remittance and reports of an organisation (`fees.view` over it, else 404): the month's flows page, the monthly
and yearly reports as XLSX and DOCX; the cell's proposal of removal of a member (`fees.record`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from dangvu.accounts.scope import Scope
from dangvu.documents.views import docx_response
from dangvu.fees import access, calc, documents, exports, months, remittance, stats
from dangvu.fees.views import _month, _year
from dangvu.orgs.queries import cell_on

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def remittance_page(request, pk: int):
    org = access.get_organisation_or_404(request.user, pk)
    month = _month(request)
    rem = remittance.remittance(org, month)
    return render(
        request,
        "fees/remittance.html",
        {"org": org, "month": month, "rem": rem, "previous": months.shift(month, -1), "next": months.shift(month, 1)},
    )


@login_required
@require_GET
def month_xlsx(request, pk: int):
    org = access.get_organisation_or_404(request.user, pk)
    rem = remittance.remittance(org, _month(request))
    return _xlsx(f"dang-phi-{rem.month:%Y-%m}-{org.pk}.xlsx", exports.month_xlsx(rem))


@login_required
@require_GET
def month_docx(request, pk: int):
    org = access.get_organisation_or_404(request.user, pk)
    doc = documents.month_report(remittance.remittance(org, _month(request)))
    return docx_response(doc.filename, doc.content)


@login_required
@require_GET
def year_xlsx(request, pk: int):
    org = access.get_organisation_or_404(request.user, pk)
    year = _year(request)
    return _xlsx(f"dang-phi-nam-{year}-{org.pk}.xlsx", exports.year_xlsx(org, year, remittance.year(org, year)))


@login_required
@require_GET
def year_docx(request, pk: int):
    org = access.get_organisation_or_404(request.user, pk)
    year = _year(request)
    doc = documents.year_report(org, year, remittance.year(org, year))
    return docx_response(doc.filename, doc.content)


@login_required
@require_GET
def removal_docx(request, pk: int):
    person = access.get_member_or_404(request.user, pk)
    if not Scope.of(request.user, access.RECORD).covers_path(person.org_path):
        raise PermissionDenied
    status = stats.member_status(person, _year(request))
    if status.unpaid_months < calc.rules_for(months.current()).removal_unpaid_months:
        raise Http404
    cell = cell_on(person, months.last_day(max(m.month for m in status.months))) or person.organisation
    doc = documents.removal_proposal(status, cell)
    return docx_response(doc.filename, doc.content)


urlpatterns = [
    path("orgs/<int:pk>/remittance/", remittance_page, name="remittance"),
    path("orgs/<int:pk>/month.xlsx", month_xlsx, name="month_xlsx"),
    path("orgs/<int:pk>/month.docx", month_docx, name="month_docx"),
    path("orgs/<int:pk>/year.xlsx", year_xlsx, name="year_xlsx"),
    path("orgs/<int:pk>/year.docx", year_docx, name="year_docx"),
    path("members/<int:pk>/removal.docx", removal_docx, name="removal_docx"),
]
