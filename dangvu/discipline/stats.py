"""Discipline statistics (issue 12 item 6): one function for pages, the API, exports and the targets module.

`discipline(org, start, end)` counts the discipline in force (decided, not annulled on appeal, by the form
in force after any appeal) taking effect in [start, end] whose subject lay under `org` on the effective
date (the temporal ancestry: a cell moved or merged later still counts where it was), by form, by category
and by subject: members (of whom committee members) and organisations. With `lineage`, the same for each
predecessor of `org` (merged or split into it) and combined; the parts add up to the combined figures
because on any day an organisation lies under one root only. `period()` turns a year or a term into dates.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q

from dangvu.discipline.models import Case, CaseState, Form, SubjectKind
from dangvu.orgs.models import OrgAncestry, Organisation, Term
from dangvu.orgs.queries import lineage_roots

MEMBERS, COMMITTEE_MEMBERS, ORGANISATIONS = "members", "committee_members", "organisations"


@dataclass
class Counts:
    organisation: Organisation | None
    by_subject: dict[str, Counter] = field(
        default_factory=lambda: {MEMBERS: Counter(), COMMITTEE_MEMBERS: Counter(), ORGANISATIONS: Counter()}
    )
    categories: Counter = field(default_factory=Counter)
    # The cases counted, by subject (members, organisations): the records behind the figures.
    cases: dict[str, set[int]] = field(default_factory=lambda: {MEMBERS: set(), ORGANISATIONS: set()})

    @property
    def members(self) -> int:
        return sum(self.by_subject[MEMBERS].values())

    @property
    def organisations(self) -> int:
        return sum(self.by_subject[ORGANISATIONS].values())

    @property
    def committee_members(self) -> int:
        return sum(self.by_subject[COMMITTEE_MEMBERS].values())

    @property
    def total(self) -> int:
        return self.members + self.organisations

    def forms(self, subject: str = MEMBERS) -> list[tuple[str, str, int]]:
        """(form, label, count) in the order of the forms, for tables."""
        return [(f.value, str(f.label), self.by_subject[subject][f.value]) for f in Form]

    def all_forms(self) -> list[tuple[str, str, int]]:
        """(form, label, members and organisations) in the order of the forms."""
        return [
            (f.value, str(f.label), self.by_subject[MEMBERS][f.value] + self.by_subject[ORGANISATIONS][f.value])
            for f in Form
        ]

    def add(self, other: Counts) -> None:
        for key, counter in other.by_subject.items():
            self.by_subject[key].update(counter)
        self.categories.update(other.categories)
        for key, ids in other.cases.items():
            self.cases[key] |= ids


@dataclass
class Report:
    organisation: Organisation
    start: dt.date
    end: dt.date
    combined: Counts
    parts: list[Counts]  # the organisation and each predecessor (one part without lineage)


def period(*, year: int | None = None, term: Term | None = None) -> tuple[dt.date, dt.date]:
    if term is not None:
        return term.start, term.end
    assert year is not None
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _day(case: dict) -> dt.date:
    # A dissolved organisation is out of the tree from its effective date: placed as the day before.
    if case["final_form"] == Form.DISSOLUTION:
        return case["effective_date"] - dt.timedelta(days=1)
    return case["effective_date"]


def discipline(org: Organisation, start: dt.date, end: dt.date, *, lineage: bool = True) -> Report:
    """Discipline in force taking effect in [start, end] under `org` (and each predecessor with `lineage`).
    Three queries plus the lineage walk, whatever the number of cases."""
    roots = lineage_roots(org) if lineage else [org]
    cases = list(
        Case.objects.filter(state=CaseState.DECIDED, effective_date__gte=start, effective_date__lte=end)
        .exclude(final_form="")
        .values("id", "organisation_id", "subject_kind", "committee_member", "final_form", "category", "effective_date")
    )
    rows = OrgAncestry.objects.filter(
        ancestor_id__in=[r.pk for r in roots], descendant_id__in={c["organisation_id"] for c in cases}
    ).values_list("ancestor_id", "descendant_id", "valid_from", "valid_to")
    spans: dict[int, list[tuple[int, dt.date, dt.date | None]]] = {}
    for ancestor, descendant, valid_from, valid_to in rows:
        spans.setdefault(descendant, []).append((ancestor, valid_from, valid_to))
    parts = {root.pk: Counts(root) for root in roots}
    for case in cases:
        day = _day(case)
        for ancestor, valid_from, valid_to in spans.get(case["organisation_id"], []):
            if valid_from <= day and (valid_to is None or day < valid_to):
                counts = parts[ancestor]
                if case["subject_kind"] == SubjectKind.ORGANISATION:
                    counts.by_subject[ORGANISATIONS][case["final_form"]] += 1
                    counts.cases[ORGANISATIONS].add(case["id"])
                else:
                    counts.by_subject[MEMBERS][case["final_form"]] += 1
                    counts.cases[MEMBERS].add(case["id"])
                    if case["committee_member"]:
                        counts.by_subject[COMMITTEE_MEMBERS][case["final_form"]] += 1
                counts.categories[case["category"]] += 1
                break
    combined = Counts(None)
    for part in parts.values():
        combined.add(part)
    return Report(org, start, end, combined, list(parts.values()))


def open_cases(org: Organisation) -> int:
    """Cases being considered under `org` now."""
    return Case.objects.filter(Q(organisation__path__startswith=org.path), state=CaseState.OPEN).count()
