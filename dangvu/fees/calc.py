"""The monthly due of a member (Quy định 01-QĐ/TW, read from the rule set in force on the month's first day).

Rounding rule (docs/decisions.md, issue 15 item 4): the due is computed exactly (fractions, never floats) —
base × rate, or the fixed amount, then × (100 − reduction)% — and rounded once, at the end, to the nearest
đồng, halves up (123,455.5 đ → 123,456 đ). No other rounding happens on the way.

Order of the checks for a month: party age (exempt from the month the member reaches `fees.exempt_party_years`
years of party age), the category (`exempt`: a social pension), an exemption or reduction granted for the month,
then the category's rate or amount. A rate whose base is the *previous* month's (the insured salary) reads the
fee data in force in the previous month when it was of the same category; when the category began this month
(no earlier salary is recorded), this month's amount is used.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from dangvu.fees import months
from dangvu.fees.models import DueReason, FeeBasis, Relief, ReliefKind
from dangvu.fees.rules import PREVIOUS, FeeRules
from dangvu.rules.registry import RuleBook


@dataclass(frozen=True)
class Computed:
    amount: int
    reason: str
    category: str = ""
    base_amount: int = 0
    percent_off: int = 0


def round_half_up(value: Fraction) -> int:
    """To the nearest đồng, halves up (values are never negative)."""
    return int((value * 2 + 1) // 2)


def anniversary(start: dt.date, years: int) -> dt.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return dt.date(start.year + years, 3, 1)


def basis_on(bases: Iterable, month: dt.date):
    """The fee data in force in `month` (rows of one member)."""
    for row in bases:
        if row.valid_from <= month and (row.valid_to is None or row.valid_to > month):
            return row
    return None


def relief_on(reliefs: Iterable, month: dt.date):
    for row in reliefs:
        if row.annulled_at is None and row.first_month <= month <= row.last_month:
            return row
    return None


def compute(month: dt.date, *, admission_date: dt.date | None, bases: list, reliefs: list, rules: FeeRules) -> Computed:
    """The due of one member for `month` from their fee data and reliefs (pure: no query)."""
    if admission_date and anniversary(admission_date, rules.exempt_party_years) <= months.last_day(month):
        return Computed(0, DueReason.PARTY_AGE)
    row = basis_on(bases, month)
    category = rules.categories.get(row.category) if row else None
    if row is None or category is None:
        return Computed(0, DueReason.NO_DATA, row.category if row else "")
    if category.get("exempt"):
        return Computed(0, DueReason.CATEGORY, row.category)
    relief = relief_on(reliefs, month)
    if relief is not None and relief.kind == ReliefKind.EXEMPTION:
        return Computed(0, DueReason.EXEMPTION, row.category, row.base_amount, 100)
    if "rate" in category:
        base = row.base_amount
        if category["base"] == PREVIOUS:
            previous = basis_on(bases, months.shift(month, -1))
            if previous is not None and previous.category == row.category:
                base = previous.base_amount
        full, reason = Fraction(base) * Fraction(category["rate"]), DueReason.RATE
    else:
        base, full, reason = 0, Fraction(category["amount"]), DueReason.FIXED
    off = relief.percent if relief is not None else 0
    return Computed(round_half_up(full * (100 - off) / 100), reason, row.category, base, off)


def rules_for(month: dt.date, book: RuleBook | None = None) -> FeeRules:
    return FeeRules.of((book or RuleBook.load()).on(months.first(month)))


def load(member_ids: Iterable[int]) -> tuple[dict[int, list], dict[int, list]]:
    """Fee data and reliefs of the members, in two queries."""
    ids = list(member_ids)
    bases: dict[int, list] = defaultdict(list)
    reliefs: dict[int, list] = defaultdict(list)
    for row in FeeBasis.objects.filter(member_id__in=ids).order_by("valid_from"):
        bases[row.member_id].append(row)
    for row in Relief.objects.filter(member_id__in=ids, annulled_at__isnull=True):
        reliefs[row.member_id].append(row)
    return bases, reliefs


def compute_member(member, month: dt.date, *, book: RuleBook | None = None) -> Computed:
    bases, reliefs = load([member.pk])
    month = months.first(month)
    return compute(
        month,
        admission_date=member.admission_date,
        bases=bases[member.pk],
        reliefs=reliefs[member.pk],
        rules=rules_for(month, book),
    )


def dues_for(member, month: dt.date) -> int:
    """The member's due for `month`, in đồng (0 when exempt or without fee data)."""
    return compute_member(member, month).amount
