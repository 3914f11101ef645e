"""Pages of commitments and the register of exemplary models: the member's own commitment (make it, review it
at year end), the register of models and commendations of the user's subtrees with its counts per organisation
and year, and recording a model or a commendation.

Access (dangvu.study.access): the commitment page is the member's own; the register needs `study.view`, its
forms `study.manage` over the organisation (else 403). Writes go through dangvu.study.commitments only."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangvu.accounts.scope import Scope, has_capability, organisations_for
from dangvu.lib.errors import DomainError
from dangvu.members.models import Member, Status
from dangvu.study import commitments, counts
from dangvu.study.access import MANAGE, VIEW, commendations_for, models_for, own_member
from dangvu.study.forms import CommitmentForm, CommitmentReviewForm, RecognitionForm
from dangvu.study.models import Commitment
from dangvu.web import once

LIMIT = 200


@login_required
@require_http_methods(["GET", "POST"])
def commitment(request: HttpRequest) -> HttpResponse:
    member = own_member(request.user)
    if member is None:
        raise PermissionDenied
    today = timezone.localdate()
    current = Commitment.objects.filter(member=member, year=today.year).first()
    form = CommitmentForm(request.POST if request.method == "POST" and current is None else None)
    review_form = None
    if current is not None and current.reviewed_on is None:
        review_form = CommitmentReviewForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        active = form if current is None else review_form
        if active is None:
            raise PermissionDenied
        if active.is_valid():
            try:
                if current is None:
                    commitments.make_commitment(member, request.user, content=active.cleaned_data["content"])
                else:
                    commitments.review_commitment(
                        current,
                        request.user,
                        review=active.cleaned_data["review"],
                        result=active.cleaned_data["result"],
                    )
            except DomainError as error:
                active.add_error(None, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("study:commitment")
        status = 422
    return render(
        request,
        "study/commitment.html",
        {
            "member": member,
            "current": current,
            "form": form if current is None else None,
            "review_form": review_form,
            "past": list(Commitment.objects.filter(member=member).exclude(year=today.year)),
            "year": today.year,
        },
        status=status,
    )


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 1930 <= int(value) <= 2100 else timezone.localdate().year


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """Models and commendations of the user's subtrees in a year, with the counts per top organisation."""
    if not has_capability(request.user, VIEW):
        raise PermissionDenied
    year = _year(request)
    scope = Scope.of(request.user, VIEW)
    tops = organisations_for(request.user, VIEW).filter(valid_to__isnull=True)
    tops = tops.filter(depth=1) if scope.everything else tops.filter(path__in=scope.prefixes)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    figures = [(org, counts.counts(org, start, end).total) for org in tops.order_by("path")[:20]]
    return render(
        request,
        "study/register.html",
        {
            "year": year,
            "figures": figures,
            "models": list(
                models_for(request.user).filter(recognised_on__year=year).select_related("organisation")[:LIMIT]
            ),
            "commendations": list(
                commendations_for(request.user).filter(date__year=year).select_related("organisation")[:LIMIT]
            ),
            "may_manage": has_capability(request.user, MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def recognise(request: HttpRequest, what: str) -> HttpResponse:
    """Register an exemplary model (`what` = "model") or a commendation ("commendation")."""
    if not has_capability(request.user, MANAGE):
        raise PermissionDenied
    organisations = organisations_for(request.user, MANAGE).filter(valid_to__isnull=True).order_by("path")
    members = Member.objects.filter(Scope.of(request.user, MANAGE).q("org_path"), status__in=Status.in_party())
    form = RecognitionForm(
        request.POST or None,
        organisations=organisations,
        members=members.order_by("name_sort"),
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        spec = commitments.Recognition(
            organisation=d["organisation"],
            subject=d["subject"],
            name=d["name"],
            date=d["date"],
            member=d["member"],
            description=d["description"],
            document_number=d["document_number"],
        )
        try:
            if what == "model":
                commitments.register_model(spec, request.user)
            else:
                commitments.record_commendation(spec, request.user)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect(f"{reverse('study:models')}?year={d['date'].year}")
    title = _("Register an exemplary model") if what == "model" else _("Record a commendation")
    return render(request, "study/recognise.html", {"form": form, "title": title})
