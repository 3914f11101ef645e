"""`Review.org_path` and `OrgReview.org_path`: the access path of a review — the current path of the reviewed
cell or organisation (`organisation`), copied onto the row as `Member.org_path` is (dangvu.members.paths).

Scope (pages, API, exports, alerts) is a prefix match on it, so a reorganisation that moves a subtree (a
cell moved to another committee, a cell merged into another and kept as its inactive child) moves the
reviews of that subtree into the scope of the organisation now in charge, as it moves the members:
dangvu.orgs.services calls `resync_subtree` after every subtree move, in the reorganisation's transaction.
The statistics do not read it: they place a review by its cell in the tree as it was on the campaign's
opening day (dangvu.reviews.stats, temporal ancestry), so lineage figures do not change. `drift()` lists
rows that disagree (tests keep it empty); `resync_all()` repairs them.
"""

from __future__ import annotations

from django.db.models import F, OuterRef, Subquery

from dangvu.orgs.models import Organisation
from dangvu.reviews.models import OrgReview, Review

MODELS = (Review, OrgReview)


def _path_of_organisation() -> Subquery:
    return Subquery(Organisation.objects.filter(pk=OuterRef("organisation_id")).values("path")[:1])


def resync_subtree(path: str) -> int:
    """Copy the current paths onto the reviews of the organisations whose path starts with `path`."""
    orgs = Organisation.objects.filter(path__startswith=path).values("pk")
    return sum(
        model.objects.filter(organisation_id__in=orgs).update(org_path=_path_of_organisation()) for model in MODELS
    )


def drift() -> list:
    """The member and organisation reviews whose access path is not their organisation's path."""
    return [row for model in MODELS for row in model.objects.exclude(org_path=F("organisation__path"))]


def resync_all() -> int:
    """Repair every row that drifted (reviews written before this copy was kept in step)."""
    return sum(
        model.objects.filter(pk__in=model.objects.exclude(org_path=F("organisation__path")).values("pk")).update(
            org_path=_path_of_organisation()
        )
        for model in MODELS
    )
