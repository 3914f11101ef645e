"""Verdicts from the rule set (issue 13 item 4 acceptance): a count over the term met at 207% is "Vượt"; a
ceiling "< 1%" at 0.28% is met; a floor just under its line is "Gần đạt" or "Chưa đạt" by the rule set's
margin, with the boundaries on both sides; the lines are rule values with effective dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from dangvu.rules.models import RuleSet
from dangvu.rules.registry import rules_on
from dangvu.targets.verdicts import CEILING, COUNT, FLOOR, RATE, Verdict, achieved, percent, verdict

DEFAULTS = {"target.nearly_percent": 95, "target.exceed_percent": 120}


def test_a_count_over_the_term_met_at_207_percent_is_exceeded():
    assert percent(achieved(COUNT, 300, 621)) == Decimal("207.0")
    assert verdict(COUNT, 300, 621, DEFAULTS) == Verdict.EXCEEDED


@pytest.mark.parametrize("result", ["0.28", "0", "0.99", "1"])
def test_a_ceiling_under_1_percent_is_met_never_not_met(result):
    strict = verdict(CEILING, 1, Decimal(result), DEFAULTS, strict=True)
    if result == "1":  # "dưới 1%": 1% itself is not under it
        assert strict == Verdict.NEARLY
    elif result == "0.99":  # 101% of the target
        assert strict == Verdict.MET_AND_EXCEEDED
    else:  # 357%, and a ceiling held at 0
        assert strict == Verdict.EXCEEDED
    assert verdict(CEILING, 1, Decimal(result), DEFAULTS) in Verdict.met()  # "không quá 1%"


def test_a_ceiling_above_its_line():
    assert percent(achieved(CEILING, 1, Decimal("1.05"))) == Decimal("95.2")
    assert verdict(CEILING, 1, Decimal("1.05"), DEFAULTS) == Verdict.NEARLY
    assert verdict(CEILING, 1, Decimal("1.06"), DEFAULTS) == Verdict.NOT_MET  # 94.3%


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (Fraction(95), Verdict.MET),  # exactly the line: met
        (Fraction(9025, 100), Verdict.NEARLY),  # 95% of the target exactly: nearly met
        (Fraction(9024, 100), Verdict.NOT_MET),  # just under 95% of the target
        (Fraction(9499, 100), Verdict.NEARLY),  # just under the line
        (Fraction(9501, 100), Verdict.MET_AND_EXCEEDED),
        (Fraction(114), Verdict.EXCEEDED),  # 120% of 95
        (Fraction(11399, 100), Verdict.MET_AND_EXCEEDED),
    ],
)
def test_a_floor_of_95_percent_on_both_sides_of_each_line(result, expected):
    assert verdict(FLOOR, 95, result, DEFAULTS) == expected


def test_a_strict_floor_at_its_line_is_not_met():
    # "trên 90%": 90% is not above it; 90.5% is.
    assert verdict(FLOOR, 90, 90, DEFAULTS, strict=True) == Verdict.NEARLY
    assert verdict(FLOOR, 90, Fraction(181, 2), DEFAULTS, strict=True) == Verdict.MET_AND_EXCEEDED


def test_a_rate_per_cell():
    assert verdict(RATE, 2, 2, DEFAULTS) == Verdict.MET
    assert verdict(RATE, 2, Fraction(19, 10), DEFAULTS) == Verdict.NEARLY
    assert verdict(RATE, 2, Fraction(3, 2), DEFAULTS) == Verdict.NOT_MET


@pytest.mark.django_db
def test_the_lines_are_rule_values_with_effective_dates():
    RuleSet.objects.create(
        effective_from=dt.date(2026, 1, 1),
        name="Đánh giá chỉ tiêu chặt hơn",
        values={"target.nearly_percent": 98, "target.exceed_percent": 110},
    )
    before, after = rules_on(dt.date(2025, 12, 31)), rules_on(dt.date(2026, 1, 1))
    assert (before["target.nearly_percent"], before["target.exceed_percent"]) == (95, 120)
    # 93/95 = 97.9%: nearly met before, not met after; 105/95 = 110.5%: exceeded only after.
    assert verdict(FLOOR, 95, 93, before) == Verdict.NEARLY
    assert verdict(FLOOR, 95, 93, after) == Verdict.NOT_MET
    assert verdict(FLOOR, 95, 105, before) == Verdict.MET_AND_EXCEEDED
    assert verdict(FLOOR, 95, 105, after) == Verdict.EXCEEDED
