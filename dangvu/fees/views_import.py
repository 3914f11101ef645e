"""Import of a payment-portal statement (`fees.import`: the committee office): the file is checked whole and
recorded whole, or refused with each row's error (dangvu.fees.statement)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dangvu.accounts.scope import has_capability
from dangvu.fees import access, statement
from dangvu.fees.forms import StatementForm
from dangvu.fees.models import Statement
from dangvu.lib.errors import DomainError
from dangvu.orgs.models import OrgKind
from dangvu.web import once

MAX_BYTES = 5 * 1024 * 1024


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def import_statement(request):
    if not has_capability(request.user, access.IMPORT):
        raise PermissionDenied
    orgs = (
        access.organisations(request.user, access.IMPORT)
        .filter(valid_to__isnull=True)
        .exclude(kind=OrgKind.CELL)
        .order_by("path")[:300]
    )
    form = StatementForm(
        request.POST or None, request.FILES or None, organisations=access.organisations(request.user, access.IMPORT)
    )
    form.fields["organisation"].queryset = form.fields["organisation"].queryset.filter(pk__in=[o.pk for o in orgs])
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_BYTES:
                form.add_error("file", _("The file is too large."))
            else:
                try:
                    done = statement.import_statement(
                        request.user, form.cleaned_data["organisation"], upload.read(), upload.name
                    )
                except DomainError as error:
                    errors = error.messages
                else:
                    messages.success(
                        request,
                        _("%(n)s payments were recorded from the statement.") % {"n": done.rows},
                    )
                    return redirect("fees:import")
    recent = Statement.objects.filter(organisation__in=list(orgs)).select_related("organisation")[:20]
    return render(request, "fees/import.html", {"form": form, "errors": errors, "statements": recent}, status=status)


urlpatterns = [path("import/", import_statement, name="import")]
