"""The review of a party organisation (issue 11 item 4, Mẫu 01): its own assessment by its staff
(`reviews.propose` over it), then the decision of the committee directly above (`reviews.manage` over the
parent) from the organisation's assessment, its units' grades and its members' grades shown beside, and a
later correction. A review outside the user's view is a 404; seen but not theirs to act on, 403. Writes go
through dangvu.reviews.orgreviews only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dangvu.lib.errors import DomainError
from dangvu.reviews import orgreviews, stats
from dangvu.reviews.access import can, org_reviews_for
from dangvu.reviews.forms import OrgAssessmentForm, OrgCorrectionForm, OrgDecisionForm, TaskFormSet
from dangvu.reviews.forms_rule import ReviewRules
from dangvu.reviews.models import OrgReview, ReviewState


def _may_decide(user, review: OrgReview) -> bool:
    parent = orgreviews.deciding_committee(review)
    return parent is not None and can(user, "reviews.manage", parent.path)


@login_required
@require_http_methods(["GET", "POST"])
def org_review(request: HttpRequest, pk: int) -> HttpResponse:
    review = org_reviews_for(request.user).select_related("campaign", "organisation").filter(pk=pk).first()
    if review is None:
        raise Http404
    rules = ReviewRules.on(review.campaign.rules_date)
    _code, form_label, groups = rules.org_groups()
    may_assess = review.state == ReviewState.DRAFT and can(request.user, "reviews.propose", review.org_path)
    may_decide = review.state == ReviewState.SUBMITTED and _may_decide(request.user, review)
    may_correct = review.state == ReviewState.DECIDED and _may_decide(request.user, review)
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not {"assess": may_assess, "decide": may_decide, "correct": may_correct}.get(action):
        raise PermissionDenied
    initial = {f"score_{c}": v for c, v in review.scores.items()}
    initial |= {"disciplined": review.leadership_disciplined, "remedied": review.shortcomings_remedied}
    initial["shortcomings"] = review.shortcomings
    assess = OrgAssessmentForm(request.POST if action == "assess" else None, groups=groups, initial=initial)
    tasks = TaskFormSet(
        request.POST if action == "assess" else None,
        initial=[dict(t) for t in review.tasks],
        prefix="task",
        form_kwargs={"empty_permitted": False},
    )
    today = {"document_date": timezone.localdate(), "grade": review.self_grade}
    decide = OrgDecisionForm(request.POST if action == "decide" else None, initial=today, prefix="decide")
    correct = OrgCorrectionForm(request.POST if action == "correct" else None, initial=today, prefix="correct")
    try:
        if action == "assess" and assess.is_valid() and tasks.is_valid():
            d = assess.cleaned_data
            data = orgreviews.OrgAssessment(
                {g.code: d[f"score_{g.code}"] for g in groups},
                [t for t in tasks.cleaned_data if t.get("title")],
                d["disciplined"],
                d["remedied"],
                d["shortcomings"],
            )
            orgreviews.save_assessment(review, data, request.user, submit="submit" in request.POST)
            messages.success(request, _("Saved."))
            return redirect("reviews:org", pk=review.pk)
        if action == "decide" and decide.is_valid():
            d = decide.cleaned_data
            orgreviews.decide(review, d["grade"], d["document_number"], d["document_date"], request.user)
            messages.success(request, _("The decision was recorded; the grades are locked."))
            return redirect("reviews:org", pk=review.pk)
        if action == "correct" and correct.is_valid():
            d = correct.cleaned_data
            orgreviews.correct(review, d["grade"], d["document_number"], d["document_date"], d["reason"], request.user)
            messages.success(request, _("The correcting decision was recorded."))
            return redirect("reviews:org", pk=review.pk)
    except DomainError as error:
        {"assess": assess, "decide": decide, "correct": correct}[action].add_error(None, error)
    units = list(
        OrgReview.objects.filter(
            campaign=review.campaign,
            org_path__startswith=review.org_path,
            organisation__depth=review.organisation.depth + 1,
        )
        .select_related("organisation")
        .order_by("org_path")
    )
    return render(
        request,
        "reviews/org_review.html",
        {
            "review": review,
            "form_label": form_label,
            "groups": [(g, review.scores.get(g.code)) for g in groups],
            "verdict": orgreviews.verdict(review, rules),
            "assess": assess if may_assess else None,
            "tasks": tasks,
            "decide": decide if may_decide else None,
            "correct": correct if may_correct else None,
            "units": units,
            "members": stats.distribution(review.organisation, review.campaign.year, lineage=False).combined,
            "decisions": review.decisions.select_related("organisation", "corrects").order_by("document_date", "id"),
            "history": review.history.select_related("history_user").order_by("-history_date")[:20],
        },
    )
