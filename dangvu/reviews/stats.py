"""The grade distribution of members (issue 11 item 6): one function for pages, the API, exports and the
targets module.

`distribution(org, year)` counts the reviews of `year` whose cell lay under `org` on the opening day of
their campaign (the temporal ancestry, so a cell moved later still counts where it was), by decided grade,
with those not yet decided, those listed but not graded (exempt, suspended) and the members not reviewed
at all (in the Party under `org` on the reference day — 31 December, or today during the year — without a
review in any campaign of the year: admitted or transferred in after the opening, or under no campaign) shown,
never hidden, each by its reason (members transferred during the year: dangvu.reviews.moves).
With `lineage`, the same for each predecessor of `org` (merged or split into it), and combined.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.members.models import MemberPeriod, Status
from dangvu.orgs.models import OrgAncestry, Organisation
from dangvu.orgs.queries import lineage_roots
from dangvu.reviews import moves
from dangvu.reviews.models import Campaign, Exclusion, Grade, Review

GOOD_OR_BETTER = (Grade.EXCELLENT, Grade.GOOD)
# Why a member in the Party on the reference day has no review of the year.
TRANSFERRED_IN, NEW, OTHER = "transferred", "new", "other"
NOT_REVIEWED = {
    TRANSFERRED_IN: _("Transferred during the year"),
    NEW: _("Admitted during the year"),
    OTHER: _("No review opened over their cell"),
}


@dataclass
class Counts:
    organisation: Organisation | None
    grades: Counter = field(default_factory=Counter)  # decided grade → members
    pending: int = 0  # graded, not yet decided
    excluded: Counter = field(default_factory=Counter)  # reason (Exclusion) → members listed but not graded
    unreviewed: Counter = field(default_factory=Counter)  # reason (NOT_REVIEWED) → members without a review

    @property
    def not_reviewed(self) -> int:
        return sum(self.unreviewed.values())

    @property
    def transferred(self) -> int:
        """Members transferred during the year: listed but not graded, or arrived after the opening."""
        return self.excluded[Exclusion.TRANSFERRED] + self.unreviewed[TRANSFERRED_IN]

    @property
    def decided(self) -> int:
        return sum(self.grades.values())

    @property
    def total(self) -> int:
        return self.decided + self.pending + sum(self.excluded.values()) + self.not_reviewed

    def share(self, *grades: str) -> Fraction | None:
        """Share of the decided members with one of `grades` (None before any decision)."""
        return Fraction(sum(self.grades[g] for g in grades), self.decided) if self.decided else None

    @property
    def good_or_better(self) -> Fraction | None:
        return self.share(*GOOD_OR_BETTER)

    def rows(self) -> list[tuple[str, str, int]]:
        """(grade, label, members) best first, for tables."""
        return [(g.value, str(g.label), self.grades[g.value]) for g in Grade]

    def excluded_rows(self) -> list[tuple[str, int]]:
        """(reason, members) listed but not graded, for tables."""
        labels = dict(Exclusion.choices)
        return [(str(labels.get(k, k)), n) for k, n in sorted(self.excluded.items()) if n]

    def unreviewed_rows(self) -> list[tuple[str, int]]:
        """(reason, members) without a review, for tables."""
        return [(str(label), self.unreviewed[k]) for k, label in NOT_REVIEWED.items() if self.unreviewed[k]]

    @property
    def not_graded(self) -> int:
        return sum(self.excluded.values())

    def add(self, other: Counts) -> None:
        self.grades.update(other.grades)
        self.excluded.update(other.excluded)
        self.pending += other.pending
        self.unreviewed.update(other.unreviewed)


@dataclass
class Distribution:
    organisation: Organisation
    year: int
    combined: Counts
    parts: list[Counts]  # the organisation and each predecessor (one part without lineage)


def reference_day(year: int, today: dt.date | None = None) -> dt.date:
    return min(dt.date(year, 12, 31), today or timezone.localdate())


def openings_of(year: int, period: str = "year") -> dict[dt.date, list[int]]:
    """The campaigns of `year` by their opening day (the day their cells' tree is read on)."""
    openings: dict[dt.date, list[int]] = {}
    for pk, opening in Campaign.objects.filter(year=year, period=period).order_by().values_list("pk", "rules_date"):
        openings.setdefault(opening, []).append(pk)
    return openings


def reviews_under(root: Organisation, openings: dict[dt.date, list[int]]):
    """The reviews `distribution` counts for `root`: those of the campaigns whose cell lay under `root` on the
    campaign's opening day (the records behind the figures)."""
    if not openings:
        return Review.objects.none()
    # The cells under `root` on each opening day of the year's campaigns (a few thousand ids at most,
    # hashed once) rather than the ancestry probed per review; campaigns by id, so that the planner
    # reads the reviews' own statistics.
    under = Q()
    for opening, campaign_ids in openings.items():
        cells = OrgAncestry.objects.filter(OrgAncestry.on(opening), ancestor_id=root.pk).values("descendant_id")
        under |= Q(campaign_id__in=campaign_ids, organisation_id__in=cells)
    return Review.objects.filter(under)


def _counts(root: Organisation, day: dt.date, openings: dict[dt.date, list[int]]) -> Counts:
    counts = Counts(root)
    if openings:
        rows = reviews_under(root, openings).values_list("grade", "exclusion").order_by().annotate(n=Count("id"))
        for grade, exclusion, n in rows:
            if exclusion:
                counts.excluded[exclusion] += n
            elif grade:
                counts.grades[grade] += n
            else:
                counts.pending += n
    ids = [pk for campaign_ids in openings.values() for pk in campaign_ids]
    reviewed = Review.objects.filter(member_id=OuterRef("member_id"), campaign_id__in=ids)
    orgs = OrgAncestry.objects.filter(OrgAncestry.on(day), ancestor_id=root.pk).values("descendant_id")
    # A member's periods do not overlap: one row per member on `day`. Why each has no review: received by
    # transfer during the year (dangvu.reviews.moves), else admitted during the year, else another reason
    # (e.g. no campaign opened over their cell).
    year = day.year
    unreviewed = (
        MemberPeriod.objects.filter(MemberPeriod.on(day), organisation_id__in=orgs, status__in=list(Status.in_party()))
        .exclude(Exists(reviewed))
        .annotate(arrived=moves.arrived_in_year(year, day))
        .aggregate(
            n_all=Count("id"),
            n_moved=Count("id", filter=Q(arrived=True)),
            n_new=Count("id", filter=Q(arrived=False, member__admission_date__gte=dt.date(year, 1, 1))),
        )
    )
    counts.unreviewed[TRANSFERRED_IN] = unreviewed["n_moved"]
    counts.unreviewed[NEW] = unreviewed["n_new"]
    counts.unreviewed[OTHER] = unreviewed["n_all"] - unreviewed["n_moved"] - unreviewed["n_new"]
    counts.unreviewed += Counter()  # drop the zeros
    return counts


def distribution(
    org: Organisation, year: int, *, lineage: bool = True, today: dt.date | None = None, period: str = "year"
) -> Distribution:
    """Members' grades of `year` under `org` (and each predecessor with `lineage`), and combined. One query
    for the campaigns' opening days, two per organisation, plus the lineage walk."""
    roots = lineage_roots(org) if lineage else [org]
    day = reference_day(year, today)
    openings = openings_of(year, period)
    parts = [_counts(root, day, openings) for root in roots]
    combined = Counts(None)
    for part in parts:
        combined.add(part)
    return Distribution(org, year, combined, parts)
