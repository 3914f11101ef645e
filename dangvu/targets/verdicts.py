"""Verdicts on resolution targets (issue 13 item 4): "chỉ tiêu — kết quả — đánh giá" as seed 003's
appendices write them ("Kết nạp 621/300 đảng viên (đạt 207%) — Vượt").

- The **percentage achieved** is the result over the target (621/300 = 207%) for a floor, a count or a rate;
  for a ceiling it runs the other way (target over result: "under 1%" with 0.28% is 357%), so that a higher
  percentage is always better; a ceiling with a result of 0 is beyond any percentage (None).
- **Met** compares the result with the threshold in the target's direction: at least (≥, or > for "trên")
  for floors, counts and rates; at most (≤, or < for "dưới") for ceilings. A met target is "Vượt" from
  `target.exceed_percent` of the target (or a ceiling at 0), "Đạt và vượt" above 100%, else "Đạt".
- A target not met is "Gần đạt" from `target.nearly_percent` of the target, else "Chưa đạt".
The two lines are rule values (dangvu.rules.registry) read on the day of the evaluation; pure functions.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import models
from django.utils.translation import pgettext_lazy

Number = int | float | Decimal | Fraction


class Verdict(models.TextChoices):
    EXCEEDED = "exceeded", pgettext_lazy("target verdict", "Exceeded")  # Vượt
    MET_AND_EXCEEDED = "met_and_exceeded", pgettext_lazy("target verdict", "Met and exceeded")  # Đạt và vượt
    MET = "met", pgettext_lazy("target verdict", "Met")  # Đạt
    NEARLY = "nearly", pgettext_lazy("target verdict", "Nearly met")  # Gần đạt
    NOT_MET = "not_met", pgettext_lazy("target verdict", "Not met")  # Chưa đạt

    @classmethod
    def met(cls) -> set[str]:
        return {cls.EXCEEDED, cls.MET_AND_EXCEEDED, cls.MET}


FLOOR, CEILING, COUNT, RATE, QUALITATIVE = "floor", "ceiling", "count", "rate", "qualitative"


def _fraction(value: Number) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(str(value))


def achieved(kind: str, threshold: Number, result: Number) -> Fraction | None:
    """The result as a share of the target (1 = 100%), higher is better; None for a ceiling held at 0
    (beyond any share) or a floor of 0 (nothing to measure against)."""
    t, r = _fraction(threshold), _fraction(result)
    if kind == CEILING:
        return t / r if r > 0 else None
    return r / t if t > 0 else None


def is_met(kind: str, threshold: Number, result: Number, *, strict: bool = False) -> bool:
    t, r = _fraction(threshold), _fraction(result)
    if kind == CEILING:
        return r < t if strict else r <= t
    return r > t if strict else r >= t


def verdict(kind: str, threshold: Number, result: Number, values: dict[str, Any], *, strict: bool = False) -> str:
    """The verdict on a quantitative target, with the rule values `values` (`rules_on(day)`)."""
    if kind == QUALITATIVE:
        raise ValueError("A qualitative target has no computed verdict")
    share = achieved(kind, threshold, result)
    if is_met(kind, threshold, result, strict=strict):
        if share is None or share * 100 >= values["target.exceed_percent"]:
            return Verdict.EXCEEDED
        return Verdict.MET_AND_EXCEEDED if share > 1 else Verdict.MET
    if share is not None and share * 100 >= values["target.nearly_percent"]:
        return Verdict.NEARLY
    return Verdict.NOT_MET


def percent(share: Fraction | None) -> Decimal | None:
    """A share as a percentage rounded to one decimal place (207.0), None when beyond measure."""
    if share is None:
        return None
    return (Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(Decimal("0.1"))
