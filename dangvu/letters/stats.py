"""Letters statistics (issue 12 item 6): one function per figure, for the page, the API and exports. Counts
only — never a sender, never the content.

`letters(org, start, end)` counts the letters received in [start, end] by committees lying under `org` on
the day of receipt (the temporal ancestry: a committee merged later still counts where it was): by kind, by
screening and route (not handled, handled, forwarded, transferred, archived, awaiting), by outcome, and the
handled letters concluded on time (by the deadline in force, extended or not) or late. With `lineage`, the
same for each predecessor of `org` and combined; the parts add up to the combined figures because on any day
a committee lies under one root only. `period()` (dangvu.discipline.stats) turns a year or a term into dates.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from dangvu.discipline.stats import period  # noqa: F401  (re-exported: one way to turn a year or term into dates)
from dangvu.letters.models import Kind, Outcome, Route, State
from dangvu.orgs.models import OrgAncestry, Organisation
from dangvu.orgs.queries import lineage_roots

NOT_HANDLED, AWAITING = "not_handled", "awaiting"


@dataclass
class Counts:
    organisation: Organisation | None
    kinds: Counter = field(default_factory=Counter)
    routes: Counter = field(default_factory=Counter)  # Route values, NOT_HANDLED, AWAITING
    outcomes: Counter = field(default_factory=Counter)
    on_time: int = 0
    late: int = 0

    @property
    def total(self) -> int:
        return sum(self.kinds.values())

    def kind_rows(self) -> list[tuple[str, str, int]]:
        return [(k.value, str(k.label), self.kinds[k.value]) for k in Kind]

    def route_rows(self) -> list[tuple[str, str, int]]:
        from django.utils.translation import gettext

        rows = [(NOT_HANDLED, gettext("Not handled"), self.routes[NOT_HANDLED])]
        rows += [(r.value, str(r.label), self.routes[r.value]) for r in Route]
        return [*rows, (AWAITING, gettext("Awaiting screening or routing"), self.routes[AWAITING])]

    def outcome_rows(self) -> list[tuple[str, str, int]]:
        return [(o.value, str(o.label), self.outcomes[o.value]) for o in Outcome]

    def add(self, other: Counts) -> None:
        self.kinds.update(other.kinds)
        self.routes.update(other.routes)
        self.outcomes.update(other.outcomes)
        self.on_time += other.on_time
        self.late += other.late


@dataclass
class Report:
    organisation: Organisation
    start: dt.date
    end: dt.date
    combined: Counts
    parts: list[Counts]


def _count(counts: Counts, row: dict) -> None:
    counts.kinds[row["kind"]] += 1
    if row["state"] == State.NOT_HANDLED:
        counts.routes[NOT_HANDLED] += 1
    elif row["route"]:
        counts.routes[row["route"]] += 1
    else:
        counts.routes[AWAITING] += 1
    if row["outcome"]:
        counts.outcomes[row["outcome"]] += 1
        deadline = row["extended_due_on"] or row["due_on"]
        if deadline is not None and row["concluded_on"] <= deadline:
            counts.on_time += 1
        else:
            counts.late += 1


def letters(org: Organisation, start: dt.date, end: dt.date, *, lineage: bool = True) -> Report:
    """Letters received in [start, end] under `org` (and each predecessor with `lineage`). Two queries plus
    the lineage walk, whatever the number of letters."""
    from dangvu.letters.models import Letter

    roots = lineage_roots(org) if lineage else [org]
    rows = list(
        Letter.objects.filter(received_on__gte=start, received_on__lte=end).values(
            "committee_id",
            "received_on",
            "kind",
            "state",
            "route",
            "outcome",
            "due_on",
            "extended_due_on",
            "concluded_on",
        )
    )
    spans: dict[int, list[tuple[int, dt.date, dt.date | None]]] = {}
    for ancestor, descendant, valid_from, valid_to in OrgAncestry.objects.filter(
        ancestor_id__in=[r.pk for r in roots], descendant_id__in={r["committee_id"] for r in rows}
    ).values_list("ancestor_id", "descendant_id", "valid_from", "valid_to"):
        spans.setdefault(descendant, []).append((ancestor, valid_from, valid_to))
    parts = {root.pk: Counts(root) for root in roots}
    for row in rows:
        day = row["received_on"]
        for ancestor, valid_from, valid_to in spans.get(row["committee_id"], []):
            if valid_from <= day and (valid_to is None or day < valid_to):
                _count(parts[ancestor], row)
                break
    combined = Counts(None)
    for part in parts.values():
        combined.add(part)
    return Report(org, start, end, combined, list(parts.values()))


def open_letters(org: Organisation) -> int:
    """Letters being handled by committees under `org` now."""
    from dangvu.letters.models import Letter

    return Letter.objects.filter(committee__path__startswith=org.path, state=State.HANDLING).count()


def table(report: Report) -> list[tuple[str, list[int]]]:
    """The report as rows (label, one count per part and the combined count when there are several parts),
    for the page and exports."""
    from django.utils.translation import gettext

    columns = [*report.parts, report.combined] if len(report.parts) > 1 else list(report.parts)
    rows = [(gettext("Letters received"), [c.total for c in columns])]
    for i, (_code, label, _n) in enumerate(report.combined.kind_rows()):
        rows.append((label, [c.kind_rows()[i][2] for c in columns]))
    for i, (_code, label, _n) in enumerate(report.combined.route_rows()):
        rows.append((label, [c.route_rows()[i][2] for c in columns]))
    for i, (_code, label, _n) in enumerate(report.combined.outcome_rows()):
        rows.append((label, [c.outcome_rows()[i][2] for c in columns]))
    rows.append((gettext("Concluded on time"), [c.on_time for c in columns]))
    rows.append((gettext("Concluded late"), [c.late for c in columns]))
    return rows
