"""Review suggestions (gợi ý kiểm điểm, seed 001; issue 12 item 5): the list of those sent in the subtree,
sending one with its issues, one with its issues and the closure of each issue with its evidence.

Access: `inspection.view` reads those sent by organisations of the subtree, and the addressee (the cell
secretary or a leader of the collective addressed, the member addressed) those addressed to them (403 for a
user who is neither, 404 outside); `inspection.manage` over the sender sends and closes, the addressee
reports what was done on each issue (dangvu.inspection.suggestions). Closing an issue is final and asks for
confirmation; a report may be replaced while the issue is open."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.scope import has_capability, members_for
from dangvu.inspection import suggestions
from dangvu.inspection.access import (
    can_manage,
    get_suggestion_or_404,
    is_addressee,
    may_read_suggestions,
    suggestions_for,
)
from dangvu.inspection.forms import CloseForm, ReportForm, SuggestionForm
from dangvu.inspection.models import SuggestionIssue
from dangvu.inspection.views import MANAGE, require
from dangvu.inspection.views_write import _managers_orgs
from dangvu.lib.errors import DomainError
from dangvu.members.models import Status
from dangvu.web import once
from dangvu.web.confirm import confirmation_needed, declare

declare(
    "close_suggestion_issue",
    gettext_lazy("Close this issue?"),
    gettext_lazy("A closed issue cannot be reopened: its date and evidence are final."),
    gettext_lazy("Close the issue"),
)


def _require_reader(user) -> None:
    if not may_read_suggestions(user):
        raise PermissionDenied


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require_reader(request.user)
    rows = list(
        suggestions_for(request.user)
        .select_related("sender", "organisation", "member")
        .prefetch_related("issues")[:300]
    )
    for row in rows:
        issues = list(row.issues.all())
        row.open_count = sum(1 for i in issues if not i.closed_on)
        row.issue_count = len(issues)
    return render(
        request,
        "inspection/suggestions.html",
        {"suggestions": rows, "may_manage": has_capability(request.user, MANAGE)},
    )


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def new(request: HttpRequest) -> HttpResponse:
    require(request.user, MANAGE)
    today = timezone.localdate()
    organisations = _managers_orgs(request.user)
    form = SuggestionForm(
        request.POST or None,
        initial={"addressee_kind": "organisation", "year": today.year, "sent_on": today},
        organisations=organisations,
        members=members_for(request.user, MANAGE).filter(status__in=Status.in_party()).order_by("name_sort"),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        addressee = {"member": d["member"]} if d["addressee_kind"] == "member" else {"organisation": d["organisation"]}
        try:
            item = suggestions.send(
                sender=d["sender"],
                year=d["year"],
                sent_on=d["sent_on"],
                issues=form.issues(),
                document_number=d["document_number"],
                actor=request.user,
                **addressee,
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The review suggestion was recorded."))
            return redirect("inspection:suggestion", pk=item.pk)
    return render(request, "inspection/suggestion_form.html", {"form": form}, status=422 if form.errors else 200)


def _context(request: HttpRequest, item, bound=None) -> dict:
    """The suggestion with its issues; the sender's managers get a closing form on each open issue (the
    evidence prefilled with the addressee's report), the addressee a report form."""
    issues = list(item.issues.all())
    may_manage = can_manage(request.user, item.sender)
    may_report = is_addressee(request.user, item)
    today = timezone.localdate()
    for issue in issues:
        if issue.closed_on:
            continue
        if may_manage:
            prefix = f"close{issue.pk}"
            initial = {"closed_on": today, "evidence": issue.report}
            issue.close_form = _bound(bound, prefix) or CloseForm(prefix=prefix, initial=initial)
        if may_report:
            prefix = f"report{issue.pk}"
            initial = {"reported_on": today, "report": issue.report}
            issue.report_form = _bound(bound, prefix) or ReportForm(prefix=prefix, initial=initial)
    return {"suggestion": item, "issues": issues, "may_manage": may_manage, "may_report": may_report}


def _bound(form, prefix: str):
    return form if form is not None and form.prefix == prefix else None


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request.user)
    item = get_suggestion_or_404(request.user, pk)
    return render(request, "inspection/suggestion.html", _context(request, item))


@login_required
@require_POST
def close_issue(request: HttpRequest, pk: int, issue_pk: int) -> HttpResponse:
    require(request.user, MANAGE)
    item = get_suggestion_or_404(request.user, pk, MANAGE)
    issue = get_object_or_404(SuggestionIssue, pk=issue_pk, suggestion=item)
    back = reverse("inspection:suggestion", args=[pk])
    if asked := confirmation_needed(request, "close_suggestion_issue", back=back):
        return asked
    form = CloseForm(request.POST, prefix=f"close{issue.pk}")
    if form.is_valid():
        try:
            suggestions.close_issue(
                issue,
                closed_on=form.cleaned_data["closed_on"],
                evidence=form.cleaned_data["evidence"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The issue was closed."))
            return redirect(back)
    return render(request, "inspection/suggestion.html", _context(request, item, bound=form), status=422)


@login_required
@require_POST
def report_issue(request: HttpRequest, pk: int, issue_pk: int) -> HttpResponse:
    """The addressee's report of what was done (403 for anyone else who reads the suggestion)."""
    _require_reader(request.user)
    item = get_suggestion_or_404(request.user, pk)
    if not is_addressee(request.user, item):
        raise PermissionDenied
    issue = get_object_or_404(SuggestionIssue, pk=issue_pk, suggestion=item)
    form = ReportForm(request.POST, prefix=f"report{issue.pk}")
    if form.is_valid():
        try:
            suggestions.report_issue(
                issue,
                reported_on=form.cleaned_data["reported_on"],
                report=form.cleaned_data["report"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your report was recorded; the sending committee confirms the closure."))
            return redirect("inspection:suggestion", pk=pk)
    return render(request, "inspection/suggestion.html", _context(request, item, bound=form), status=422)
