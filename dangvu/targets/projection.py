"""A target's progress (issue 13 item 4): per year, over the term to date, and **projected** to the end of
the term from the pace so far — the function the resolution page and the dashboard share.

The method (docs/decisions.md, issue 13):
- An *additive* figure — a count (admissions, members disciplined) from an indicator — grows with time. Its
  pace is the count to date over the days of the term elapsed (term start to today, both counted); projected
  to the end of the term it is `count × days of the term / days elapsed` (a term target), and over a year
  `count × 365 / days elapsed` (a yearly target: what each year yields at this pace).
- A *share* (a percentage, a rate per cell and year) is already a pace: its projection is its value over the
  term to date (numerators and denominators pooled), unchanged.
- The projected value is judged like any result, in the target's direction (verdicts.verdict): a ceiling on a
  count is projected upwards and may be exceeded at this pace; the rule values are those in force on the
  last day of the term.
- A result entered by hand has no pace (nothing says when it was counted): a count entered by hand is not
  projected; a share entered by hand is projected unchanged (its latest value).
- Per year: each year of the term to date. A yearly target is judged each year; a term target on a count is
  shown per year without a verdict (a year's admissions are not the term's target); a term target on a share
  is judged each year as well.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone

from dangvu.rules.registry import rules_on
from dangvu.targets import indicators, verdicts
from dangvu.targets.evaluation import Evaluation, evaluate
from dangvu.targets.models import Kind, Period, Source, Target

DAYS_IN_YEAR = 365


def additive(target: Target) -> bool:
    """Whether the target's figure is a count that grows with time (projected by its pace)."""
    if target.source == Source.INDICATOR:
        return indicators.get(target.indicator).unit == indicators.COUNT
    return target.kind == Kind.COUNT


def projected(value: Fraction, elapsed_days: int, span_days: int, *, grows: bool) -> Fraction:
    """The value at the end of a span of `span_days` at the pace of `elapsed_days` so far (pure)."""
    if not grows:
        return value
    if elapsed_days <= 0:
        raise ValueError("nothing elapsed")
    return value * span_days / elapsed_days


@dataclass
class Projection:
    target: Target
    elapsed_days: int  # of the term, to today
    term_days: int
    value: Fraction | None = None  # the projected result (term target: at the end of the term; yearly: a year)
    share: Fraction | None = None
    verdict: str = ""

    @property
    def percent(self) -> Decimal | None:
        return verdicts.percent(self.share)

    @property
    def shown(self) -> Decimal | None:
        if self.value is None:
            return None
        exact = Decimal(self.value.numerator) / Decimal(self.value.denominator)
        return exact.quantize(Decimal("0.01"))

    @property
    def verdict_label(self) -> str:
        return str(verdicts.Verdict(self.verdict).label) if self.verdict else ""


@dataclass
class Progress:
    target: Target
    years: list[Evaluation] = field(default_factory=list)
    to_date: Evaluation | None = None
    projection: Projection | None = None


def _year_ranges(start: dt.date, last: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    return [
        (str(year), max(start, dt.date(year, 1, 1)), min(last, dt.date(year, 12, 31)))
        for year in range(start.year, last.year + 1)
    ]


def progress(target: Target, today: dt.date | None = None) -> Progress:
    """The target per year, over the term to date and projected to the end of the term (nothing before the
    term starts)."""
    today = today or timezone.localdate()
    term = target.resolution.term
    result = Progress(target)
    last = min(term.end, today)
    if last < term.start:
        return result
    grows = additive(target)
    for label, start, end in _year_ranges(term.start, last):
        evaluation = (
            evaluate(target, label, start, end)
            if target.period == Period.YEAR or target.source == Source.INDICATOR
            else None
        )
        if evaluation is None:
            continue
        if target.period == Period.TERM and grows:
            evaluation.share, evaluation.verdict = None, ""  # a year's count is not the term's target
        result.years.append(evaluation)
    if target.period == Period.TERM or target.source == Source.INDICATOR:
        to_date = _over_term(target, term.code, term.start, last)
        if target.period == Period.YEAR and grows:
            to_date.share, to_date.verdict = None, ""  # the term's count is not a year's target
        result.to_date = to_date
    base = result.to_date.value if result.to_date is not None else None
    if target.source == Source.MANUAL and result.years and base is None:
        base = result.years[-1].value  # a share entered by hand each year: its latest
    result.projection = project(target, base, today, grows=grows)
    return result


def project(target: Target, base: Fraction | None, today: dt.date | None = None, *, grows: bool | None = None):
    """The projection of `base` — the target's result over the term to date (or, for a share entered by hand
    each year, its latest) — to the end of the term at the pace so far, judged (None before the term)."""
    today = today or timezone.localdate()
    term = target.resolution.term
    last = min(term.end, today)
    if last < term.start:
        return None
    grows = additive(target) if grows is None else grows
    term_days = (term.end - term.start).days + 1
    elapsed = (last - term.start).days + 1
    projection = Projection(target, elapsed, term_days)
    if base is not None and not (grows and target.source == Source.MANUAL):
        span = term_days if target.period == Period.TERM else DAYS_IN_YEAR
        projection.value = projected(base, elapsed, span, grows=grows)
        if target.kind != Kind.QUALITATIVE:
            threshold = Fraction(str(target.threshold))
            projection.share = verdicts.achieved(target.kind, threshold, projection.value)
            projection.verdict = verdicts.verdict(
                target.kind, threshold, projection.value, rules_on(term.end), strict=target.strict
            )
    return projection


def _over_term(target: Target, label: str, start: dt.date, end: dt.date) -> Evaluation:
    """The target's result over [start, end] of the term (manual: the value entered for the term)."""
    if target.source == Source.MANUAL and target.period == Period.YEAR:
        return Evaluation(target, label, start, end)
    return evaluate(target, label, start, end)
