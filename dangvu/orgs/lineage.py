"""Lineage as the organisation pages show it (issue 9 item 13).

A merged organisation is kept in the tree as an inactive child of its successor, so that the successor's
office keeps its history in scope (dangvu.orgs.services.merge). On the pages it is not a subordinate: it
is shown in the successor's "formed from" section, and under its former parent (with the former
organisations shown) as "merged into …". The parent's reorganisation history includes those of its
children, present and past. Every function here is a constant number of queries whatever the size of the
tree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q
from django.utils.translation import gettext as _

from dangvu.lib.dates import fmt
from dangvu.orgs.models import OrgAncestry, Organisation, Reorganisation, ReorgKind, ReorgLink

ENDING = [ReorgKind.MERGE, ReorgKind.SPLIT, ReorgKind.DISSOLVE]


@dataclass
class Step:
    """One reorganisation in an organisation's lineage and the organisations on its other side."""

    reorganisation: Reorganisation
    orgs: list[Organisation] = field(default_factory=list)


def _steps(links) -> list[Step]:
    steps: dict[int, Step] = {}
    for link, other in links:
        step = steps.setdefault(link.reorganisation_id, Step(link.reorganisation))
        step.orgs.append(other)
    for step in steps.values():
        step.orgs.sort(key=lambda o: o.name_sort)
    return sorted(steps.values(), key=lambda s: (s.reorganisation.date, s.reorganisation.pk), reverse=True)


def formed_from(org: Organisation) -> list[Step]:
    """The merges and splits `org` came out of, newest first, each with its direct predecessors."""
    links = (
        ReorgLink.objects.filter(successor=org, reorganisation__kind__in=[ReorgKind.MERGE, ReorgKind.SPLIT])
        .exclude(predecessor=org)
        .select_related("reorganisation", "predecessor")
    )
    return _steps((link, link.predecessor) for link in links)


def became(org: Organisation) -> list[Step]:
    """For an organisation merged or split: the reorganisation and the organisations it went into."""
    links = (
        ReorgLink.objects.filter(
            predecessor=org, successor__isnull=False, reorganisation__kind__in=[ReorgKind.MERGE, ReorgKind.SPLIT]
        )
        .exclude(successor=org)
        .select_related("reorganisation", "successor")
    )
    return _steps((link, link.successor) for link in links)


def ended_labels(orgs: Iterable[Organisation]) -> dict[int, str]:
    """Why and when each organisation no longer in force ended, in one query: "merged into X on d",
    "split into X, Y on d", "dissolved on d"; otherwise "no longer in force since d"."""
    ended = {o.pk: o for o in orgs if o.valid_to is not None}
    if not ended:
        return {}
    links = (
        ReorgLink.objects.filter(predecessor_id__in=ended, reorganisation__kind__in=ENDING)
        .select_related("reorganisation", "successor")
        .order_by("reorganisation__date", "reorganisation_id", "id")
    )
    found: dict[int, tuple[str, dt.date, list[str]]] = {}
    for link in links:
        kind, day, names = found.get(link.predecessor_id, (link.reorganisation.kind, link.reorganisation.date, []))
        if link.successor_id and link.successor_id != link.predecessor_id:
            names.append(link.successor.name)
        found[link.predecessor_id] = (kind, day, names)
    labels = {}
    for pk, org in ended.items():
        kind, day, names = found.get(pk, ("", org.valid_to, []))
        values = {"date": fmt(day), "names": ", ".join(sorted(set(names)))}
        if kind == ReorgKind.MERGE and names:
            labels[pk] = _("merged into %(names)s on %(date)s") % values
        elif kind == ReorgKind.SPLIT and names:
            labels[pk] = _("split into %(names)s on %(date)s") % values
        elif kind == ReorgKind.DISSOLVE:
            labels[pk] = _("dissolved on %(date)s") % values
        else:
            labels[pk] = _("no longer in force since %(date)s") % {"date": fmt(org.valid_to)}
    return labels


def absorbed(parents: Iterable[Organisation]) -> dict[int, set[int]]:
    """For each parent: its children in the tree that are merely its merged predecessors (one query)."""
    by_pk = {p.pk: p for p in parents}
    result: dict[int, set[int]] = defaultdict(set)
    if not by_pk:
        return result
    rows = (
        ReorgLink.objects.filter(successor_id__in=by_pk, reorganisation__kind=ReorgKind.MERGE)
        .exclude(predecessor_id=F("successor_id"))
        .values_list("successor_id", "predecessor_id", "predecessor__path")
    )
    step = Organisation.steplen
    for successor_id, predecessor_id, path in rows:
        if path[:-step] == by_pk[successor_id].path:
            result[successor_id].add(predecessor_id)
    return result


def children(parents: list[Organisation], former: bool) -> list[Organisation]:
    """The subordinates of the given organisations, each with `listed_under` (its parent's pk): the
    children in the tree less the merged predecessors kept under their successor; with `former`, also
    the ended ones, among them those that were a parent's children until they were merged into an
    organisation elsewhere. Three queries whatever the number of parents and children."""
    if not parents:
        return []
    step = Organisation.steplen
    by_path = {p.path: p for p in parents}
    level = Q()
    for parent in parents:
        level |= Q(path__startswith=parent.path, depth=parent.depth + 1)
    qs = Organisation.objects.filter(level)
    if not former:
        qs = qs.filter(valid_to__isnull=True)
    skip = {pk for pks in absorbed(parents).values() for pk in pks}
    found = []
    for org in qs:
        if org.pk not in skip:
            org.listed_under = by_path[org.path[:-step]].pk
            found.append(org)
    if former:
        seen = {o.pk for o in found}
        rows = (
            OrgAncestry.objects.filter(
                ancestor_id__in=[p.pk for p in parents],
                depth=1,
                valid_to__isnull=False,
                descendant__valid_to=F("valid_to"),
            )
            .exclude(descendant_id__in=seen)
            .select_related("descendant")
        )
        for row in rows:
            org = row.descendant
            if org.pk not in seen:
                org.listed_under = row.ancestor_id
                seen.add(org.pk)
                found.append(org)
    return sorted(found, key=lambda o: (o.valid_to is not None, o.name_sort))


def expandable(orgs: list[Organisation], former: bool) -> set[int]:
    """Which tree nodes have subordinates to show: children in the tree other than merged predecessors
    (one query), or, with the former organisations, any former child (one more query)."""
    gone = absorbed(orgs)
    result = {o.pk for o in orgs if o.numchild > len(gone.get(o.pk, ()))}
    if former:
        result |= set(
            OrgAncestry.objects.filter(
                ancestor_id__in=[o.pk for o in orgs if o.pk not in result],
                depth=1,
                valid_to__isnull=False,
                descendant__valid_to=F("valid_to"),
            ).values_list("ancestor_id", flat=True)
        )
    return result


def history(org: Organisation) -> list[Reorganisation]:
    """The reorganisations of `org` and of every organisation that was ever directly under it, newest
    first, with their links (three queries). Each gets `concerns_child` when `org` is not among its links."""
    was_child = OrgAncestry.objects.filter(ancestor=org, depth=1).values("descendant_id")
    reorgs = list(
        Reorganisation.objects.filter(
            Q(links__predecessor=org)
            | Q(links__successor=org)
            | Q(links__predecessor__in=was_child)
            | Q(links__successor__in=was_child)
        )
        .distinct()
        .prefetch_related(Prefetch("links", queryset=ReorgLink.objects.select_related("predecessor", "successor")))
        .order_by("-date", "-id")
    )
    for reorg in reorgs:
        reorg.concerns_child = not any(org.pk in (link.predecessor_id, link.successor_id) for link in reorg.links.all())
    return reorgs
