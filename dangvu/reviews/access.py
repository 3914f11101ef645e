"""Reviews a user may see and act on (dangvu.accounts.scope): staff see the reviews of the cells in their
subtree (`reviews.view`); a member sees only their own review. A review or campaign outside scope is a 404."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from dangvu.accounts.scope import Scope
from dangvu.orgs.models import Organisation
from dangvu.reviews.models import Campaign, OrgReview, Review


def reviews_for(user, capability: str = "reviews.view") -> QuerySet[Review]:
    scope = Scope.of(user, capability)
    if scope.empty:
        member_id = getattr(user, "member_id", None)
        if capability == "reviews.view" and member_id and getattr(user, "is_active", False):
            return Review.objects.filter(member_id=member_id)
        return Review.objects.none()
    return Review.objects.filter(scope.q("org_path"))


def org_reviews_for(user) -> QuerySet[OrgReview]:
    """Reviews of the party organisations in the user's subtrees (`reviews.view`); none for anyone else."""
    scope = Scope.of(user, "reviews.view")
    if scope.empty:
        return OrgReview.objects.none()
    return OrgReview.objects.filter(scope.q("org_path"))


def own_reviews(user) -> QuerySet[Review]:
    member_id = getattr(user, "member_id", None)
    if not member_id or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Review.objects.none()
    return Review.objects.filter(member_id=member_id)


def get_review_or_404(user, pk: int, capability: str = "reviews.view") -> Review:
    review = reviews_for(user, capability).select_related("campaign", "member", "organisation").filter(pk=pk).first()
    if review is None:
        raise Http404
    return review


def get_own_review_or_404(user, pk: int) -> Review:
    """The member's own review (the self-assessment page): another member's is a 404, whoever asks."""
    review = own_reviews(user).select_related("campaign", "member", "organisation").filter(pk=pk).first()
    if review is None:
        raise Http404
    return review


def campaigns_for(user) -> QuerySet[Campaign]:
    """Campaigns over or under the user's subtrees: staff of a cell see the campaign covering their cell.
    Also a campaign with a review in the user's subtrees: a cell moved (or merged) into it by a
    reorganisation after the opening brings its reviews with it (dangvu.reviews.paths)."""
    scope = Scope.of(user, "reviews.view")
    if scope.empty:
        return Campaign.objects.none()
    if scope.everything:
        return Campaign.objects.all()
    step = Organisation.steplen
    above = {p[:n] for p in scope.prefixes for n in range(step, len(p), step)}  # campaigns opened above
    brought = Exists(Review.objects.filter(scope.q("org_path"), campaign_id=OuterRef("pk"))) | Exists(
        OrgReview.objects.filter(scope.q("org_path"), campaign_id=OuterRef("pk"))
    )
    return Campaign.objects.filter(scope.q("organisation__path") | Q(organisation__path__in=above) | brought)


def get_campaign_or_404(user, pk: int) -> Campaign:
    campaign = campaigns_for(user).select_related("organisation").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def can(user, capability: str, path: str) -> bool:
    return Scope.of(user, capability).covers_path(path)
