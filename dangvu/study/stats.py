"""Participation in the study of resolutions (issue 14 item 3): the one function for pages, the API and the
targets (`participation`), and a campaign's figures per organisation (`campaign_figures`).

Who must study a campaign: the members in the Party (probationary or official) on the conference date whose
cell lay, on that date (the temporal ancestry), under the campaign's organisation — less those exempt from
activities that day (miễn sinh hoạt: not called to study; docs/decisions.md, issue 14). Counted for an
organisation X: those of them whose cell lay under X on that date. A member studied when the office recorded
them at the conference or when they confirmed studying in the handbook (with the quiz passed when the campaign
has one); the participation rate is studied / expected.

`participation(org, start, end, lineage)` sums the campaigns whose conference date falls in [start, end], per
organisation of the lineage (the organisation and each predecessor) as the tree was on each conference date,
with the records counted: the participations of the members who studied (each one member × campaign)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from dangvu.members.models import MemberPeriod, Status
from dangvu.orgs.models import OrgAncestry, Organisation
from dangvu.orgs.queries import lineage_roots, subtree_ids_on
from dangvu.study.models import Campaign, Participation

STUDIED = Q(attended=True) | Q(confirmed_on__isnull=False)


@dataclass
class Figures:
    expected: int = 0
    studied: int = 0
    attended: int = 0
    confirmed: int = 0

    @property
    def rate(self) -> Fraction | None:
        """Studied / expected (None when nobody had to study)."""
        return Fraction(self.studied, self.expected) if self.expected else None

    @property
    def percent(self) -> float | None:
        rate = self.rate
        return None if rate is None else round(float(rate) * 100, 2)

    def add(self, other: Figures) -> None:
        self.expected += other.expected
        self.studied += other.studied
        self.attended += other.attended
        self.confirmed += other.confirmed


def expected_periods(campaign: Campaign, under: Organisation | int | None = None) -> QuerySet[MemberPeriod]:
    """The timeline rows of the members who had to study `campaign` (one per member), limited to those whose
    cell lay under `under` on the conference date."""
    day = campaign.conference_date
    qs = MemberPeriod.objects.filter(
        MemberPeriod.on(day),
        status__in=Status.in_party(),
        is_exempt=False,
        organisation_id__in=subtree_ids_on(campaign.organisation_id, day),
    )
    if under is not None:
        qs = qs.filter(organisation_id__in=subtree_ids_on(under, day))
    return qs


def studied(campaign: Campaign, under: Organisation | int | None = None) -> QuerySet[Participation]:
    """The participations counted as studied among those who had to study (under `under`)."""
    members = expected_periods(campaign, under).values("member_id")
    return Participation.objects.filter(STUDIED, campaign=campaign, member_id__in=members)


def campaign_figures(campaign: Campaign, under: Organisation | int | None = None) -> Figures:
    """Expected, studied, attended and confirmed for the campaign under `under` (two queries)."""
    expected = expected_periods(campaign, under).values("member_id").distinct().count()
    counts = studied(campaign, under).aggregate(
        studied=Count("id"),
        attended=Count("id", filter=Q(attended=True)),
        confirmed=Count("id", filter=Q(confirmed_on__isnull=False)),
    )
    return Figures(expected, counts["studied"], counts["attended"], counts["confirmed"])


def _relevant(root_ids: list[int], start: dt.date, end: dt.date) -> list[Campaign]:
    """Campaigns with a conference in [start, end] whose organisation lay above, below or at one of the roots
    on the conference date (the others cannot count anyone under them)."""
    date = OuterRef("conference_date")
    valid = Q(valid_from__lte=date) & (Q(valid_to__isnull=True) | Q(valid_to__gt=date))
    above = OrgAncestry.objects.filter(valid, ancestor_id=OuterRef("organisation_id"), descendant_id__in=root_ids)
    below = OrgAncestry.objects.filter(valid, descendant_id=OuterRef("organisation_id"), ancestor_id__in=root_ids)
    return list(
        Campaign.objects.filter(conference_date__gte=start, conference_date__lte=end)
        .filter(Exists(above) | Exists(below))
        .order_by("conference_date", "pk")
    )


@dataclass
class Part:
    organisation: Organisation
    figures: Figures
    records: QuerySet  # the participations counted as studied


@dataclass
class StudyParticipation:
    organisation: Organisation
    start: dt.date
    end: dt.date
    total: Figures
    by_organisation: list[Part] = field(default_factory=list)  # the organisation first, then its predecessors


def participation(org: Organisation, start: dt.date, end: dt.date, *, lineage: bool = True) -> StudyParticipation:
    """Participation in the campaigns held in [start, end] under `org` (and its predecessors with `lineage`)."""
    roots = lineage_roots(org) if lineage else [org]
    campaigns = _relevant([r.pk for r in roots], start, end)
    total = Figures()
    parts = []
    for root in roots:
        figures, ids = Figures(), Q(pk__in=[])
        for campaign in campaigns:
            figures.add(campaign_figures(campaign, root))
            ids |= Q(pk__in=studied(campaign, root).values("pk"))
        total.add(figures)
        parts.append(Part(root, figures, Participation.objects.filter(ids)))
    return StudyParticipation(org, start, end, total, parts)


def organisations_of(campaign: Campaign) -> list[Organisation]:
    """The campaign's organisation and its direct children on the conference date (the rows of its page)."""
    children = OrgAncestry.objects.filter(
        OrgAncestry.on(campaign.conference_date), ancestor_id=campaign.organisation_id, depth=1
    ).values("descendant_id")
    return [campaign.organisation, *Organisation.objects.filter(pk__in=children).order_by("path")]
