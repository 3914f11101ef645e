"""Remittance of the party fee to the higher levels by the shares of the rule set (`fees.retained_shares`, in
force on the month's first day).

What the cells collected for a month (the live payments of the month's dues) goes up the tree: each
organisation keeps its share of what reaches it (its own cell's collection plus what its subordinate
organisations send up), rounded to the nearest đồng halves up, and sends the rest — received minus kept, so
nothing is lost to rounding — to the organisation above. For any organisation: what its subtree collected =
what its subtree kept + what it sends up, to the đồng (tested)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from dangvu.fees import calc, months, stats
from dangvu.fees.models import Due
from dangvu.orgs.models import Organisation


@dataclass
class Flow:
    organisation_id: int
    name: str
    kind: str
    path: str
    collected: int = 0  # by this organisation itself (a cell)
    members: int = 0  # its own members with a due row (a cell)
    due: int = 0  # due by its own members
    collected_below: int = 0  # by its whole subtree, itself included
    due_below: int = 0  # due in its whole subtree
    members_below: int = 0
    received: int = 0  # its own collection + what its subordinates sent up
    kept: int = 0
    kept_below: int = 0  # kept in its whole subtree, itself included
    sent_up: int = 0
    share: Fraction = Fraction(0)


@dataclass
class Remittance:
    organisation: Organisation
    month: dt.date
    top: Flow
    children: list[Flow] = field(default_factory=list)

    def table(self) -> list[list]:
        """The report's rows: [name, members, due, collected, kept, sent up] for each direct subordinate (what it
        sends to this organisation), then this organisation's own (its members when a cell, what it keeps of
        what reaches it), then the total (what it sends up). Members, due, collected and kept add up to the
        total; the total's collected = kept + sent up."""
        rows = [
            [c.name, c.members_below, c.due_below, c.collected_below, c.kept_below, c.sent_up] for c in self.children
        ]
        top = self.top
        rows.append([top.name, top.members, top.due, top.collected, top.kept, None])
        rows.append([TOTAL, top.members_below, top.due_below, top.collected_below, top.kept_below, top.sent_up])
        return rows


TOTAL = "Cộng"


def flows(organisation: Organisation, month: dt.date) -> dict[int, Flow]:
    """Every organisation of the subtree (past ones too: their dues stay theirs) with its flows. Two queries
    and the rule sets."""
    month = months.first(month)
    rules = calc.rules_for(month)
    orgs = Organisation.objects.filter(path__startswith=organisation.path).values_list("pk", "name", "kind", "path")
    by_path = {}
    result: dict[int, Flow] = {}
    for pk, name, kind, path in orgs:
        flow = Flow(pk, name, kind, path, share=rules.share_kept(kind))
        result[pk] = by_path[path] = flow
    totals = stats.totals_by_cell(Due.objects.filter(organisation__path__startswith=organisation.path), month)
    for org_id, (members_n, due, paid) in totals.items():
        if org_id in result:
            flow = result[org_id]
            flow.collected, flow.members, flow.due = paid, members_n, due
    step = Organisation.steplen
    children: dict[str, list[Flow]] = defaultdict(list)
    for flow in result.values():
        if flow.path != organisation.path:
            children[flow.path[:-step]].append(flow)
    for flow in sorted(result.values(), key=lambda f: -len(f.path)):  # deepest first
        below = children.get(flow.path, [])
        flow.received = flow.collected + sum(c.sent_up for c in below)
        flow.kept = calc.round_half_up(flow.received * flow.share)
        flow.sent_up = flow.received - flow.kept
        flow.collected_below = flow.collected + sum(c.collected_below for c in below)
        flow.kept_below = flow.kept + sum(c.kept_below for c in below)
        flow.due_below = flow.due + sum(c.due_below for c in below)
        flow.members_below = flow.members + sum(c.members_below for c in below)
    return result


def remittance(organisation: Organisation, month: dt.date) -> Remittance:
    """The organisation's month: its own flows and those of its direct subordinates."""
    all_flows = flows(organisation, month)
    top = all_flows[organisation.pk]
    step = Organisation.steplen
    children = sorted(
        (f for f in all_flows.values() if len(f.path) == len(organisation.path) + step), key=lambda f: f.path
    )
    return Remittance(organisation, months.first(month), top, children)


def year(organisation: Organisation, year_: int) -> list[Remittance]:
    return [remittance(organisation, m) for m in months.year_months(year_)]
