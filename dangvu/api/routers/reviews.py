"""Yearly review and classification (issue 11): campaigns, reviews, the member's self-assessment and the
grade distribution.

Access (dangvu.reviews.access): staff with `reviews.view` see the campaigns and reviews of their subtree; a
member sees only their own reviews (their grade per year) and fills only their own self-assessment; another
review is a 404. A rule refusing a change is a 422 with the messages, and nothing is written (every change
goes through dangvu.reviews.services).
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangvu.accounts.scope import get_organisation_or_404, has_capability
from dangvu.api.access import require
from dangvu.api.pagination import Page
from dangvu.api.schemas import ErrorOut
from dangvu.api.schemas_reviews import (
    CampaignOut,
    DistributionIn,
    DistributionOut,
    ReviewDetailOut,
    ReviewFilterIn,
    ReviewOut,
    SelfAssessmentIn,
)
from dangvu.api.types import Id
from dangvu.reviews import services, stats
from dangvu.reviews.access import campaigns_for, get_own_review_or_404, reviews_for

router = Router(tags=["reviews"])


def _detail(review) -> dict:
    verdict = services.verdict(review)
    review.reasons = verdict.reasons if verdict else []
    return review


def _counts(counts: stats.Counts) -> dict:
    return {
        "organisation": counts.organisation,
        "grades": [{"grade": g, "label": label, "members": n} for g, label, n in counts.rows()],
        "decided": counts.decided,
        "pending": counts.pending,
        "not_graded": dict(counts.excluded),
        "not_reviewed": counts.not_reviewed,
        "not_reviewed_by_reason": dict(counts.unreviewed),
        "transferred": counts.transferred,
        "total": counts.total,
        "good_or_better": float(counts.good_or_better) if counts.good_or_better is not None else None,
    }


@router.get("/reviews/campaigns", summary="List review campaigns", response={200: list[CampaignOut], 403: ErrorOut})
@paginate(Page)
def list_campaigns(request):
    """Campaigns opened over or under the caller's subtrees (`reviews.view`), newest year first."""
    require(request, "reviews.view")
    return campaigns_for(request.auth).select_related("organisation").order_by("-year", "organisation__path", "id")


@router.get("/reviews", summary="List reviews", response={200: list[ReviewOut], 403: ErrorOut})
@paginate(Page)
def list_reviews(request, filters: Query[ReviewFilterIn]):
    """Reviews of the caller's subtrees, or the caller's own as a member (a member's grade per year).
    Filters: a campaign, a member, a year."""
    user = request.auth
    if not has_capability(user, "reviews.view") and not getattr(user, "member_id", None):
        raise HttpError(403, _("You do not have access to this."))
    qs = reviews_for(user)
    if filters.campaign_id:
        qs = qs.filter(campaign_id=filters.campaign_id)
    if filters.member_id:
        qs = qs.filter(member_id=filters.member_id)
    if filters.year:
        qs = qs.filter(campaign__year=filters.year)
    return qs.select_related("campaign", "member", "organisation", "decision").order_by(
        "-campaign__year", "organisation__path", "member__name_sort", "id"
    )


@router.get("/reviews/statistics", summary="Grade distribution", response={200: DistributionOut, 403: ErrorOut})
def distribution(request, query: Query[DistributionIn]):
    """Members' grades of a year under an organisation of the caller's scope, with each predecessor and
    combined (`lineage`), members not graded and not reviewed shown (dangvu.reviews.stats)."""
    require(request, "reviews.view")
    org = get_organisation_or_404(request.auth, query.organisation_id, "reviews.view")
    result = stats.distribution(org, query.year, lineage=query.lineage)
    return {
        "organisation": org,
        "year": query.year,
        "combined": _counts(result.combined),
        "parts": [_counts(p) for p in result.parts],
    }


@router.get("/reviews/{review_id}", summary="A review", response={200: ReviewDetailOut, 404: ErrorOut})
def review_detail(request, review_id: Id):
    """One review with the points per criteria group, the tasks, the proposals and the decided grade."""
    review = (
        reviews_for(request.auth)
        .select_related("campaign", "member", "organisation", "decision")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise Http404
    return _detail(review)


@router.put(
    "/reviews/{review_id}/self-assessment",
    summary="Fill the member's own self-assessment",
    response={200: ReviewDetailOut, 404: ErrorOut, 422: ErrorOut},
)
def self_assessment(request, review_id: Id, payload: SelfAssessmentIn):
    """The member's own self-assessment only (any other review is a 404, whoever asks); with `submit` it
    is signed and locked, and the grade the points and conditions give is computed."""
    review = get_own_review_or_404(request.auth, review_id)
    data = services.SelfAssessment(
        payload.form,
        dict(payload.scores),
        dict(payload.evidence),
        [t.dict() for t in payload.tasks],
        payload.shortcomings,
        payload.remedy,
    )
    services.save_self_assessment(review, data, request.auth, submit=payload.submit)
    review = get_own_review_or_404(request.auth, review_id)
    return _detail(review)
