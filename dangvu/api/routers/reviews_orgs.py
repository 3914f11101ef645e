"""Reviews of party organisations (issue 11 item 4, Mẫu 01 of Hướng dẫn 43-HD/BTCTW) in the API: the list and
one review with its decisions, the distribution of the organisations' grades, and the writes of the page
(dangvu.reviews.org_views): the organisation's own assessment, the decision of the committee directly above
and a correcting decision.

Access (dangvu.reviews.access): staff with `reviews.view` see the reviews of the organisations in their
subtree; anyone else gets 403 on the list and 404 on a review. The assessment needs `reviews.propose` over the
organisation, the decision and the correction `reviews.manage` over the committee directly above it (seen but
not theirs to act on: 403). A rule refusing a change is a 422 with the messages and nothing is written (every
change goes through dangvu.reviews.orgreviews, one transaction, audited).
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangvu.accounts.scope import get_organisation_or_404
from dangvu.api.access import require
from dangvu.api.idempotency import idempotent
from dangvu.api.pagination import Page
from dangvu.api.schemas import ErrorOut
from dangvu.api.schemas_org_reviews import (
    OrgAssessmentIn,
    OrgCorrectionIn,
    OrgDecisionIn,
    OrgDecisionOut,
    OrgDistributionOut,
    OrgReviewDetailOut,
    OrgReviewFilterIn,
    OrgReviewOut,
)
from dangvu.api.schemas_reviews import DistributionIn
from dangvu.api.types import Id
from dangvu.reviews import orgreviews
from dangvu.reviews.access import can, org_reviews_for
from dangvu.reviews.models import OrgReview

router = Router(tags=["reviews"])
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _review(user, pk: int) -> OrgReview:
    review = org_reviews_for(user).select_related("campaign", "organisation").filter(pk=pk).first()
    if review is None:
        raise Http404
    return review


def _detail(review: OrgReview) -> OrgReview:
    found = orgreviews.verdict(review)
    review.reasons = found.reasons if found else []
    return review


def _forbidden() -> HttpError:
    return HttpError(403, _("You do not have access to this."))


def _may_decide(user, review: OrgReview) -> bool:
    parent = orgreviews.deciding_committee(review)
    return parent is not None and can(user, "reviews.manage", parent.path)


def _counts(counts: orgreviews.OrgCounts) -> dict:
    return {
        "organisation": counts.organisation,
        "grades": [{"grade": g, "label": label, "organisations": n} for g, label, n in counts.rows()],
        "decided": counts.decided,
        "pending": counts.pending,
        "total": counts.total,
    }


@router.get(
    "/reviews/organisations", summary="List reviews of organisations", response={200: list[OrgReviewOut], 403: ErrorOut}
)
@paginate(Page)
def list_org_reviews(request, filters: Query[OrgReviewFilterIn]):
    """Reviews of the party organisations of the caller's subtrees (`reviews.view`), newest year first.
    Filters: a campaign, an organisation (its grade per year), a year."""
    require(request, "reviews.view")
    qs = org_reviews_for(request.auth)
    if filters.campaign_id:
        qs = qs.filter(campaign_id=filters.campaign_id)
    if filters.organisation_id:
        qs = qs.filter(organisation_id=filters.organisation_id)
    if filters.year:
        qs = qs.filter(campaign__year=filters.year)
    return qs.select_related("campaign", "organisation").order_by("-campaign__year", "org_path", "id")


@router.get(
    "/reviews/organisations/statistics",
    summary="Distribution of organisations' grades",
    response={200: OrgDistributionOut, 403: ErrorOut},
)
def org_distribution(request, query: Query[DistributionIn]):
    """Grades of a year (or a term) of the organisations under an organisation of the caller's scope (not the
    organisation itself), with each predecessor and combined (`lineage`); those not yet decided counted."""
    require(request, "reviews.view")
    org = get_organisation_or_404(request.auth, query.organisation_id, "reviews.view")
    result = orgreviews.distribution(org, query.year, lineage=query.lineage, period=query.period)
    return {
        "organisation": org,
        "year": query.year,
        "combined": _counts(result.combined),
        "parts": [_counts(p) for p in result.parts],
    }


@router.get(
    "/reviews/organisations/{org_review_id}",
    summary="A review of an organisation",
    response={200: OrgReviewDetailOut, 404: ErrorOut},
)
def org_review_detail(request, org_review_id: Id):
    """One review with the points per criteria group, the tasks, the conditions, the grade the points and
    conditions give (and why not higher) and the decisions."""
    return _detail(_review(request.auth, org_review_id))


# --- Writing ---------------------------------------------------------------------------------------------


@router.put(
    "/reviews/organisations/{org_review_id}/assessment",
    summary="Fill the organisation's own assessment",
    response={200: OrgReviewDetailOut, **WRITE_ERRORS},
)
def assess(request, org_review_id: Id, payload: OrgAssessmentIn):
    """The organisation's staff (`reviews.propose` over it) fill its assessment: points per criteria group,
    tasks, the conditions; with `submit` it is locked and the grade the points and conditions give computed."""
    user = request.auth
    review = _review(user, org_review_id)
    if not can(user, "reviews.propose", review.org_path):
        raise _forbidden()
    data = orgreviews.OrgAssessment(
        dict(payload.scores),
        [t.dict() for t in payload.tasks],
        payload.leadership_disciplined,
        payload.shortcomings_remedied,
        payload.shortcomings,
    )
    orgreviews.save_assessment(review, data, user, submit=payload.submit)
    return _detail(_review(user, org_review_id))


@router.post(
    "/reviews/organisations/{org_review_id}/decision",
    summary="Record the decision grading an organisation",
    response={201: OrgDecisionOut, **WRITE_ERRORS},
)
@idempotent
def decide(request, org_review_id: Id, payload: OrgDecisionIn):
    """The committee directly above the organisation (`reviews.manage` over it) grades its submitted
    assessment by a decision (number and date): never better than the points and conditions allow; the grade
    is then locked (a later change is a correcting decision)."""
    user = request.auth
    review = _review(user, org_review_id)
    if not _may_decide(user, review):
        raise _forbidden()
    decision = orgreviews.decide(review, payload.grade, payload.document_number, payload.document_date, user)
    return Status(201, decision)


@router.post(
    "/reviews/organisations/{org_review_id}/correction",
    summary="Correct an organisation's grade by a decision",
    response={201: OrgDecisionOut, **WRITE_ERRORS},
)
@idempotent
def correct(request, org_review_id: Id, payload: OrgCorrectionIn):
    """A decided grade changed by a later decision of the committee above, never by an edit: the new
    decision names the one it corrects and the reason; the review's history keeps the earlier grade."""
    user = request.auth
    review = _review(user, org_review_id)
    if not _may_decide(user, review):
        raise _forbidden()
    decision = orgreviews.correct(
        review, payload.grade, payload.document_number, payload.document_date, payload.reason, user
    )
    return Status(201, decision)
