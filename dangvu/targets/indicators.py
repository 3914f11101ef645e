"""The indicator registry (issue 13 item 3): each module registers its indicators in its own
`indicators.py` (found by `autodiscover` when the targets app starts), each backed by the one statistics
function the module already has, so a target's result is the figure its pages and API show.

An indicator is computed for an organisation's subtree and a period [start, end], on the tree as it was in
that period (the statistics functions use the temporal ancestry), with lineage: one part for the
organisation and one per predecessor (merged or split into it), and the combined figure; the parts' numerators
and denominators add up to the combined ones.

Provenance (issue 13 item 6): each part carries the records it counts, from the same statistics function —
`records`, those of the numerator (a count's figure is their number), and `base`, those of the denominator
when it counts records (members graded, grassroots organisations, members expected); querysets evaluated only
when a list is asked for (dangvu.targets.provenance).

Units: `count` (the numerator: admissions in the period), `percent` (100 × numerator / denominator: members
graded good or better among those graded), `rate` (numerator / denominator: thematic meetings per cell-year).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.module_loading import autodiscover_modules

from dangvu.orgs.models import Organisation

COUNT, PERCENT, RATE = "count", "percent", "rate"


@dataclass
class Value:
    """One organisation's figure (None: the combined figure of the organisation and its predecessors)."""

    organisation: Organisation | None
    numerator: Fraction | int = 0
    denominator: Fraction | int | None = None  # None for a count
    records: Any = None  # the numerator's records (a queryset, or a list of rows), from the statistics function
    base: Any = None  # the denominator's records when the denominator counts records

    def value(self, unit: str) -> Fraction | None:
        if unit == COUNT:
            return Fraction(self.numerator)
        if not self.denominator:
            return None
        share = Fraction(self.numerator) / Fraction(self.denominator)
        return share * 100 if unit == PERCENT else share

    def add(self, other: Value) -> None:
        self.numerator += other.numerator
        if other.denominator is not None:
            self.denominator = (self.denominator or 0) + other.denominator


@dataclass
class Result:
    indicator: Indicator
    organisation: Organisation
    start: dt.date
    end: dt.date
    combined: Value
    parts: list[Value] = field(default_factory=list)  # the organisation first, then each predecessor

    @property
    def value(self) -> Fraction | None:
        return self.combined.value(self.indicator.unit)

    def shown(self) -> Decimal | None:
        """The combined value rounded for people: counts whole, percentages and rates to 2 places."""
        value = self.value
        if value is None:
            return None
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal("1") if self.indicator.unit == COUNT else Decimal("0.01"))


Compute = Callable[[Organisation, dt.date, dt.date, bool], list[Value]]


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    subject: str  # what is counted: members, grassroots, cells, assignments
    compute: Compute  # (organisation, start, end, lineage) -> the parts, the organisation first

    def __call__(self, organisation: Organisation, start: dt.date, end: dt.date, *, lineage: bool = True) -> Result:
        parts = self.compute(organisation, start, end, lineage)
        combined = Value(None, 0, None if self.unit == COUNT else 0)
        for part in parts:
            combined.add(part)
        return Result(self, organisation, start, end, combined, parts)


REGISTRY: dict[str, Indicator] = {}


def register(key: str, label, unit: str, subject: str) -> Callable[[Compute], Compute]:
    """Decorator: `@register("admission.admissions", _("Admissions"), COUNT, "members")` on a function
    (organisation, start, end, lineage) -> [Value, ...] that reads the module's statistics function."""
    if unit not in (COUNT, PERCENT, RATE):
        raise ValueError(f"unknown unit {unit!r}")

    def wrap(fn: Compute) -> Compute:
        if key in REGISTRY:
            raise ValueError(f"indicator {key!r} registered twice")
        REGISTRY[key] = Indicator(key, label, unit, subject, fn)
        return fn

    return wrap


def get(key: str) -> Indicator:
    return REGISTRY[key]


def choices() -> list[tuple[str, str]]:
    return [(key, str(ind.label)) for key, ind in sorted(REGISTRY.items())]


def autodiscover() -> None:
    autodiscover_modules("indicators")


def years(start: dt.date, end: dt.date) -> list[int]:
    return list(range(start.year, end.year + 1))
