"""Admissions and official recognitions counted for targets (seed 003: "Kết nạp 621/300 đảng viên").

One function, `admission_counts`, is used by the organisation page, the API and (later) the targets
module, so the figure is the same everywhere. An event counts for the organisation under which its cell
was *on the date of the decision* (the temporal ancestry), so later moves and mergers do not re-attribute
past work. With `lineage`, a committee's figures include its predecessors' (merge, split), reported per
predecessor and in total ("kế thừa từ các Đảng bộ tiền thân").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from dangvu.members.models import EventKind, MemberEvent, MemberPeriod
from dangvu.orgs.models import OrgAncestry, Organisation, Term
from dangvu.orgs.queries import lineage_roots

KINDS = (EventKind.ADMISSION, EventKind.OFFICIAL)


@dataclass(frozen=True)
class Figures:
    admissions: int = 0
    officials: int = 0


@dataclass
class AdmissionCounts:
    organisation: Organisation
    start: dt.date
    end: dt.date
    total: Figures
    # The organisation itself first, then each predecessor (only with lineage).
    by_organisation: list[tuple[Organisation, Figures]] = field(default_factory=list)


def _events(roots: list[int], start: dt.date, end: dt.date):
    # The event's cell; a recognition recorded without one (the member page names a cell only for
    # admissions and transfers) counts for the member's cell that day. An admission outside the system
    # has neither: not counted.
    cell_then = (
        MemberPeriod.objects.filter(member_id=OuterRef("member_id"), valid_from__lte=OuterRef("date"))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("date")))
        .values("organisation_id")[:1]
    )
    under = OrgAncestry.objects.filter(
        descendant_id=OuterRef("cell"),
        ancestor_id__in=roots,
        valid_from__lte=OuterRef("date"),
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("date")))
    return (
        MemberEvent.objects.filter(
            kind__in=KINDS,
            date__gte=start,
            date__lte=end,
            annulled_by__isnull=True,
        )
        .annotate(cell=Coalesce("organisation_id", Subquery(cell_then)))
        .filter(Exists(under))
    )


def events(roots: list[int], start: dt.date, end: dt.date, kind: str):
    """The events `admission_counts` counts under `roots` in [start, end] of one kind (admission, official):
    the records behind its figures (dangvu.targets provenance)."""
    return MemberEvent.objects.filter(pk__in=_events(roots, start, end).filter(kind=kind).values("pk"))


def _figures(rows) -> Figures:
    by_kind = {row["kind"]: row["n"] for row in rows.values("kind").annotate(n=Count("id")).order_by()}
    return Figures(by_kind.get(EventKind.ADMISSION, 0), by_kind.get(EventKind.OFFICIAL, 0))


def admission_counts(org: Organisation, start: dt.date, end: dt.date, *, lineage: bool = True) -> AdmissionCounts:
    """Admissions (by decision date) and recognitions as official member in [start, end] under `org`."""
    roots = lineage_roots(org) if lineage else [org]
    result = AdmissionCounts(org, start, end, _figures(_events([r.pk for r in roots], start, end)))
    if lineage:
        result.by_organisation = [(root, _figures(_events([root.pk], start, end))) for root in roots]
    else:
        result.by_organisation = [(org, result.total)]
    return result


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def term_range(term: Term) -> tuple[dt.date, dt.date]:
    return term.start, term.end
