"""The documents of an inspection or supervision (issue 12 item 1: "its subjects, team, dates, documents,
conclusion"): the signed decision, the plan, the subject's report, the team's report, the signed
conclusion, evidence — uploaded on the activity's page, served to those who see the activity, withdrawn
(never deleted) with the reason.

Access: uploading and withdrawing need `inspection.manage` over the conducting organisation (as every
other change to the activity); downloading `inspection.view` over it (403 without it anywhere, 404 out of
scope or for a withdrawn file). Only a file that is a PDF by its content opens in the browser; anything
else downloads. Every write goes through dangvu.inspection.services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dangvu.inspection import services
from dangvu.inspection.access import activities_for
from dangvu.inspection.forms import FileForm, WithdrawForm
from dangvu.inspection.models import ActivityFile
from dangvu.inspection.views import VIEW, require
from dangvu.inspection.views_write import _again, _done, _managed
from dangvu.lib.errors import DomainError
from dangvu.lib.uploads import PDF, is_pdf
from dangvu.web import once
from dangvu.web.confirm import confirmation_needed, declare

declare(
    "withdraw_inspection_file",
    gettext_lazy("Withdraw this document?"),
    gettext_lazy(
        "A withdrawn document is no longer listed nor served; it stays in the record with who withdrew it, "
        "when and why. Upload the right file again if needed."
    ),
    gettext_lazy("Withdraw the document"),
)


@login_required
@require_POST
@once.creating
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = _managed(request, pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.add_file(item, kind=d["kind"], title=d["title"], upload=d["file"], actor=request.user)
        except DomainError as error:
            form.add_error(None, error)
        else:
            return _done(request, item, _("The document was attached."))
    return _again(request, item, file_form=form)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    item = _managed(request, pk)
    stored = ActivityFile.objects.filter(pk=file_pk, activity=item, withdrawn_at__isnull=True).first()
    if stored is None:
        raise Http404
    if asked := confirmation_needed(
        request, "withdraw_inspection_file", back=reverse("inspection:activity", args=[pk])
    ):
        return asked
    form = WithdrawForm(request.POST, prefix=f"withdraw{stored.pk}")
    if form.is_valid():
        try:
            services.withdraw_file(stored, reason=form.cleaned_data["reason"], actor=request.user)
        except DomainError as error:
            form.add_error(None, error)
        else:
            return _done(request, item, _("The document was withdrawn."))
    return _again(request, item, withdraw_form=form)


def serve(stored: ActivityFile) -> FileResponse:
    """The stored file: inline only when it is a PDF by its content, a download otherwise."""
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = stored.content_type == PDF and is_pdf(handle)
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=stored.filename,
        content_type=PDF if inline else "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def download(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    require(request.user, VIEW)
    stored = ActivityFile.objects.filter(
        pk=file_pk, activity_id=pk, activity__in=activities_for(request.user), withdrawn_at__isnull=True
    ).first()
    if stored is None:
        raise Http404
    return serve(stored)
