"""A target's result and verdict for a period (issue 13 items 2–4): the indicator computed over the target's
organisation (with lineage) or the latest value entered by hand, the percentage achieved and the verdict
from the rule values in force on the last day of the period. Yearly targets are judged for each year of the
term up to today, term targets over the term to date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone

from dangvu.rules.registry import rules_on
from dangvu.targets import indicators, verdicts
from dangvu.targets.models import Kind, ManualValue, Period, Source, Target


@dataclass
class Evaluation:
    target: Target
    label: str  # "2026" or the term "2025-2030"
    start: dt.date
    end: dt.date
    value: Fraction | None = None  # the combined result in the target's unit
    result: indicators.Result | None = None  # computed: with its parts per predecessor
    manual: ManualValue | None = None
    share: Fraction | None = None
    verdict: str = ""

    @property
    def percent(self) -> Decimal | None:
        return verdicts.percent(self.share)

    @property
    def shown(self) -> Decimal | None:
        if self.result is not None:
            return self.result.shown()
        return self.manual.value if self.manual else None

    @property
    def verdict_label(self) -> str:
        return str(verdicts.Verdict(self.verdict).label) if self.verdict else ""


def periods(target: Target, today: dt.date | None = None) -> list[tuple[str, dt.date, dt.date]]:
    """(label, start, end) the target is judged over, up to `today`."""
    today = today or timezone.localdate()
    term = target.resolution.term
    last = min(term.end, today)
    if last < term.start:
        return []
    if target.period == Period.TERM:
        return [(term.code, term.start, last)]
    return [
        (str(year), max(term.start, dt.date(year, 1, 1)), min(last, dt.date(year, 12, 31)))
        for year in range(term.start.year, last.year + 1)
    ]


def _manual(target: Target, label: str) -> ManualValue | None:
    year = None if target.period == Period.TERM else int(label)
    return target.manual_values.filter(year=year).order_by("-recorded_at", "-id").select_related("recorded_by").first()


def evaluate(target: Target, label: str, start: dt.date, end: dt.date) -> Evaluation:
    evaluation = Evaluation(target, label, start, end)
    if target.source == Source.INDICATOR:
        evaluation.result = indicators.get(target.indicator)(target.scope, start, end)
        evaluation.value = evaluation.result.value
    else:
        evaluation.manual = _manual(target, label)
        if evaluation.manual is not None:
            evaluation.value = Fraction(str(evaluation.manual.value))
    if evaluation.value is not None and target.kind != Kind.QUALITATIVE:
        threshold = Fraction(str(target.threshold))
        evaluation.share = verdicts.achieved(target.kind, threshold, evaluation.value)
        evaluation.verdict = verdicts.verdict(
            target.kind, threshold, evaluation.value, rules_on(end), strict=target.strict
        )
    return evaluation


def evaluate_all(target: Target, today: dt.date | None = None) -> list[Evaluation]:
    return [evaluate(target, label, start, end) for label, start, end in periods(target, today)]
