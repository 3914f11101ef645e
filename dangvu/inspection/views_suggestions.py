"""Review suggestions (gợi ý kiểm điểm, seed 001; issue 12 item 5): the list of those sent in the subtree,
sending one with its issues, one with its issues and the closure of each issue with its evidence.

Access: `inspection.view` reads those sent by organisations of the subtree (403 without it, 404 outside);
`inspection.manage` over the sender sends and closes (dangvu.inspection.suggestions). Closing an issue is
final and asks for confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.scope import has_capability, members_for
from dangvu.inspection import suggestions
from dangvu.inspection.access import can_manage, get_suggestion_or_404, suggestions_for
from dangvu.inspection.forms import CloseForm, SuggestionForm
from dangvu.inspection.models import SuggestionIssue
from dangvu.inspection.views import MANAGE, VIEW, require
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


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW)
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


def _context(request: HttpRequest, item, close=None) -> dict:
    issues = list(item.issues.all())
    may_manage = can_manage(request.user, item.sender)
    if may_manage:
        today = timezone.localdate()
        for issue in issues:
            if not issue.closed_on:
                prefix = f"close{issue.pk}"
                issue.close_form = (
                    close
                    if close is not None and close.prefix == prefix
                    else CloseForm(prefix=prefix, initial={"closed_on": today})
                )
    return {"suggestion": item, "issues": issues, "may_manage": may_manage}


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, VIEW)
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
    return render(request, "inspection/suggestion.html", _context(request, item, close=form), status=422)
