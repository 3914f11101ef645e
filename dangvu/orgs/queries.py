"""Read-side questions about the tree: subtrees now and on a past date, lineage, counts.

These are the functions that pages, the API and later modules (admission counts, meeting regularity,
targets) share, so a number means the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import F, Q, QuerySet

from dangvu.orgs.models import OrgAncestry, Organisation, ReorgLink


def subtree(org: Organisation) -> QuerySet[Organisation]:
    """The current subtree (org included): an indexed prefix match on the materialised path."""
    return Organisation.objects.filter(path__startswith=org.path)


def subtree_ids_on(org: Organisation | int, day: dt.date) -> QuerySet:
    """Ids of the organisations under `org` on `day` (org included), from the temporal ancestry."""
    org_id = org if isinstance(org, int) else org.pk
    return OrgAncestry.objects.filter(OrgAncestry.on(day), ancestor_id=org_id).values("descendant_id")


def parent_on(org: Organisation, day: dt.date) -> Organisation | None:
    row = OrgAncestry.objects.filter(OrgAncestry.on(day), descendant=org, depth=1).select_related("ancestor").first()
    return row.ancestor if row else None


def predecessors(org: Organisation) -> list[Organisation]:
    """All organisations this one descends from by merge or split, nearest first (transitively)."""
    return _walk(org, forward=False)


def successors(org: Organisation) -> list[Organisation]:
    return _walk(org, forward=True)


def _walk(org: Organisation, forward: bool) -> list[Organisation]:
    seen: dict[int, int] = {}  # organisation → generation (1 for the nearest), then ordered by name
    frontier = {org.pk}
    generation = 0
    while frontier:
        generation += 1
        if forward:
            rows = ReorgLink.objects.filter(predecessor_id__in=frontier, successor__isnull=False).exclude(
                predecessor_id=F("successor_id")
            )
            nxt = {r for r in rows.values_list("successor_id", flat=True)}
        else:
            rows = ReorgLink.objects.filter(successor_id__in=frontier).exclude(predecessor_id=F("successor_id"))
            nxt = {r for r in rows.values_list("predecessor_id", flat=True)}
        nxt -= set(seen) | {org.pk}
        for pk in nxt:  # not the set's order, which depends on the ids
            seen[pk] = generation
        frontier = nxt
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=seen)}
    return sorted(found.values(), key=lambda o: (seen[o.pk], o.name_sort))


def lineage_roots(org: Organisation) -> list[Organisation]:
    """`org` and all its predecessors: the organisations whose records a lineage roll-up includes."""
    return [org, *predecessors(org)]


def member_count_on(
    org: Organisation, day: dt.date, *, lineage: bool = False, statuses: Iterable[str] | None = None
) -> int:
    """Party members in `org`'s subtree on `day` (as the tree was that day). With `lineage`, members
    of the predecessors' subtrees on that day are included (for days before a merger)."""
    from dangvu.members.models import MemberPeriod, Status

    roots = lineage_roots(org) if lineage else [org]
    orgs = OrgAncestry.objects.filter(OrgAncestry.on(day), ancestor__in=roots).values("descendant_id")
    return (
        MemberPeriod.objects.filter(
            MemberPeriod.on(day), organisation_id__in=orgs, status__in=list(statuses or Status.in_party())
        )
        .values("member_id")
        .distinct()
        .count()
    )


def member_counts_by_child(org: Organisation) -> dict[int, int]:
    """Current in-party members under each direct child of `org` (two queries: the children, then one
    aggregate over the maintained counts, dangvu.members.counts.by_head; the dashboard)."""
    from dangvu.members.counts import by_head

    children = dict(
        Organisation.objects.filter(path__startswith=org.path, depth=org.depth + 1).values_list("path", "id")
    )
    return {children[path]: n for path, n in by_head(children).items()}


def cell_on(member, day: dt.date) -> Organisation | None:
    """Which cell a member was in on `day` (None: not in the Party or outside this system then)."""
    period = (
        member.periods.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day)))
        .select_related("organisation")
        .first()
    )
    return period.organisation if period else None


def member_counts(orgs: Iterable[Organisation]) -> dict[int, int]:
    """Current in-party members in the subtree of each organisation given, in one aggregate query whatever
    their number and depths (dangvu.members.counts.by_head: the tree page counts a whole level at once)."""
    from dangvu.members.counts import by_head

    by_path = {o.path: o.pk for o in orgs}
    return {by_path[path]: n for path, n in by_head(by_path).items()}


def end_reasons(orgs: Iterable[Organisation]) -> dict[int, str]:
    """For organisations no longer in force: the kind of reorganisation that ended them (merge, split,
    dissolve), in one query. Organisations ended otherwise (imported history) are absent."""
    from dangvu.orgs.models import ReorgKind

    ended = [o.pk for o in orgs if o.valid_to is not None]
    if not ended:
        return {}
    rows = (
        ReorgLink.objects.filter(
            predecessor_id__in=ended,
            reorganisation__kind__in=[ReorgKind.MERGE, ReorgKind.SPLIT, ReorgKind.DISSOLVE],
        )
        .order_by("reorganisation__date", "reorganisation_id")
        .values_list("predecessor_id", "reorganisation__kind")
    )
    return dict(rows)
