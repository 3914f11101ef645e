"""Yearly review and classification (issue 11): campaigns, reviews, the member's self-assessment and the
grade distribution; opening a campaign, the cell's proposals (directly or from its review meeting), the
committee's decision and a correcting decision.

Access (dangvu.reviews.access): staff with `reviews.view` see the campaigns and reviews of their subtree; a
member sees only their own reviews (their grade per year) and fills only their own self-assessment; another
review is a 404. Opening and deciding need `reviews.manage` over the organisation, proposing
`reviews.propose` over the cell (an organisation outside the caller's view: 404; seen but not theirs to act
on: 403). A rule refusing a change is a 422 with the messages, and nothing is written (every change
goes through dangvu.reviews.services).
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangvu.accounts.scope import get_organisation_or_404, has_capability
from dangvu.api.access import require
from dangvu.api.idempotency import idempotent
from dangvu.api.pagination import Page
from dangvu.api.schemas import ErrorOut
from dangvu.api.schemas_reviews import (
    CampaignIn,
    CampaignOut,
    CorrectionIn,
    DecisionIn,
    DecisionOut,
    DistributionIn,
    DistributionOut,
    ProposalsIn,
    ReviewDetailOut,
    ReviewFilterIn,
    ReviewOut,
    SelfAssessmentIn,
)
from dangvu.api.types import Id
from dangvu.lib.errors import DomainError
from dangvu.reviews import services, stats
from dangvu.reviews.access import campaigns_for, can, get_own_review_or_404, reviews_for
from dangvu.reviews.models import Decision, Review

router = Router(tags=["reviews"])
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


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
    result = stats.distribution(org, query.year, lineage=query.lineage, period=query.period)
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


# --- Writing ---------------------------------------------------------------------------------------------


def _forbidden() -> HttpError:
    return HttpError(403, _("You do not have access to this."))


def _campaign(user, campaign_id: int):
    campaign = campaigns_for(user).select_related("organisation").filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    return campaign


def _decision_out(decision: Decision) -> dict:
    return {
        "id": decision.pk,
        "campaign_id": decision.campaign_id,
        "organisation": decision.organisation,
        "document_number": decision.document_number,
        "document_date": decision.document_date,
        "corrects_id": decision.corrects_id,
        "reason": decision.reason,
        "reviews": Review.objects.filter(decision=decision).count(),
    }


@router.post("/reviews/campaigns", summary="Open a review campaign", response={201: CampaignOut, **WRITE_ERRORS})
@idempotent
def open_campaign(request, payload: CampaignIn):
    """Open the review of a year over an organisation's subtree (`reviews.manage` over it): one review for
    each member in the Party there, under the rules in force on `opened_on`, with the timetable whose dates
    appear in the alerts."""
    user = request.auth
    require(request, "reviews.view")
    org = get_organisation_or_404(user, payload.organisation_id, "reviews.view")
    if not can(user, "reviews.manage", org.path):
        raise _forbidden()
    campaign = services.open_campaign(
        org,
        payload.year,
        payload.opened_on,
        services.Timetable(payload.self_until, payload.cell_until, payload.decide_until),
        user,
        document_number=payload.document_number,
        period=payload.period,
        first_year=payload.first_year,
    )
    return Status(201, _campaign(user, campaign.pk))


@router.post(
    "/reviews/campaigns/{campaign_id}/proposals",
    summary="Record the cell's proposed grades",
    response={200: list[ReviewOut], **WRITE_ERRORS},
)
def propose(request, campaign_id: Id, payload: ProposalsIn):
    """The cell's proposed grades (`reviews.propose` over the cell) for submitted self-assessments of its
    members. With `meeting_id` (a held meeting of the cell), each proposal names the closed vote of that
    meeting adopting it, taken by the threshold the rules require; the date is the meeting's. Otherwise
    `proposed_on` is the date of the cell's meeting. The excellent quota and the discipline cap are checked
    over the cell; each refusal names its rule."""
    user = request.auth
    campaign = _campaign(user, campaign_id)
    cell = get_organisation_or_404(user, payload.cell_id, "reviews.view")
    if not can(user, "reviews.propose", cell.path):
        raise _forbidden()
    rows = [services.Proposal(p.review_id, p.grade, p.disciplined, p.comments) for p in payload.proposals]
    if payload.meeting_id is not None:
        from dangvu.meetings.access import get_meeting_or_404

        meeting = get_meeting_or_404(user, payload.meeting_id)
        if meeting.organisation_id != cell.pk:
            raise DomainError({"meeting_id": [_("Choose a meeting of this cell.")]}, code="meeting")
        votes = meeting.votes.in_bulk([p.vote_id for p in payload.proposals if p.vote_id])
        pairs = [(row, votes.get(p.vote_id)) for row, p in zip(rows, payload.proposals, strict=True)]
        changed = services.propose_at_meeting(campaign, meeting, pairs, user)
    else:
        if payload.proposed_on is None:
            raise DomainError({"proposed_on": [_("Give the date of the cell's review meeting.")]})
        changed = services.propose(campaign, cell, rows, payload.proposed_on, user)
    return list(
        Review.objects.filter(pk__in=[r.pk for r in changed])
        .select_related("campaign", "member", "organisation", "decision")
        .order_by("member__name_sort", "id")
    )


@router.post(
    "/reviews/campaigns/{campaign_id}/decisions",
    summary="Record the committee's decision",
    response={201: DecisionOut, **WRITE_ERRORS},
)
@idempotent
def decide(request, campaign_id: Id, payload: DecisionIn):
    """The grassroots organisation's decision grading its members (`reviews.manage` over it), with its
    number and date, once every cell under it has proposed: each review takes the cell's proposal or the
    grade in `changes`, and is locked (a later change is a correcting decision)."""
    user = request.auth
    campaign = _campaign(user, campaign_id)
    org = get_organisation_or_404(user, payload.organisation_id, "reviews.view")
    if not can(user, "reviews.manage", org.path):
        raise _forbidden()
    decision = services.decide(
        campaign, org, payload.document_number, payload.document_date, user, changes=dict(payload.changes)
    )
    return Status(201, _decision_out(decision))


@router.post(
    "/reviews/{review_id}/correction",
    summary="Correct a decided grade by a decision",
    response={201: DecisionOut, **WRITE_ERRORS},
)
@idempotent
def correct(request, review_id: Id, payload: CorrectionIn):
    """A decided grade changed by a later decision of the committee (`reviews.manage`), never by an edit:
    the new decision names the one it corrects and the reason; the review's history keeps the earlier grade."""
    user = request.auth
    review = reviews_for(user).filter(pk=review_id).first()
    if review is None:
        raise Http404
    if not can(user, "reviews.manage", review.org_path):
        raise _forbidden()
    decision = services.correct(
        review, payload.grade, payload.document_number, payload.document_date, payload.reason, user
    )
    return Status(201, _decision_out(decision))
