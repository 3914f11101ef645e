"""Each band and condition of Điều 11 Quy định 366-QĐ/TW at its boundary, and the rule values read from
the rule set in force (never literals): a rule set changing a value changes the grade."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dangvu.reviews.forms_rule import ReviewRules
from dangvu.reviews.grading import TaskCounts, grade_for, quota_refusal
from dangvu.reviews.models import Grade
from dangvu.rules import presentation
from dangvu.rules.models import RuleSet

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 20)
ALL_ON_TIME = TaskCounts(10, 10, 3)  # 100% on time, 30% exceeded: every condition met


def grade(points: str, tasks: TaskCounts = ALL_ON_TIME, disciplined: bool = False) -> str:
    return grade_for(Decimal(points), tasks, disciplined, ReviewRules.on(DAY)).grade


def test_excellent_from_90_points_not_at_89_5():
    assert grade("90") == Grade.EXCELLENT
    assert grade("89.5") == Grade.GOOD


def test_90_points_with_a_task_late_is_neither_excellent_nor_good():
    verdict = grade_for(Decimal(90), TaskCounts(10, 9, 3), False, ReviewRules.on(DAY))
    assert verdict.grade == Grade.COMPLETED
    assert "90%" in verdict.reasons[0] and "100%" in verdict.reasons[0]


def test_excellent_needs_30_percent_exceeded():
    assert grade("95", TaskCounts(10, 10, 3)) == Grade.EXCELLENT
    verdict = grade_for(Decimal(95), TaskCounts(10, 10, 2), False, ReviewRules.on(DAY))
    assert verdict.grade == Grade.GOOD and "20%" in verdict.reasons[0]


def test_good_from_70_completed_from_50():
    assert grade("70") == Grade.GOOD
    assert grade("69.9") == Grade.COMPLETED
    assert grade("50") == Grade.COMPLETED
    assert grade("49.9") == Grade.NOT_COMPLETED
    assert grade("75", TaskCounts(4, 3, 0)) == Grade.COMPLETED  # a late task: not "good"


def test_no_task_listed_is_good_at_best():
    assert grade("95", TaskCounts(0, 0, 0)) == Grade.GOOD


def test_disciplined_member_is_capped_while_the_rule_is_on():
    verdict = grade_for(Decimal(95), ALL_ON_TIME, True, ReviewRules.on(DAY))
    assert verdict.grade == Grade.NOT_COMPLETED
    assert presentation.label("review.disciplined_grade") in verdict.reasons[-1]
    RuleSet.objects.create(effective_from=dt.date(2026, 6, 1), name="x", values={"review.checks": ["excellent_quota"]})
    assert grade("95", disciplined=True) == Grade.EXCELLENT


def test_a_later_rule_set_moves_the_bands_from_its_date_only():
    RuleSet.objects.create(
        effective_from=dt.date(2026, 6, 1),
        name="Quy định mới (thử)",
        values={"review.excellent_points": 95, "review.exceeded_threshold": "1/2"},
    )
    before = ReviewRules.on(dt.date(2026, 5, 31))
    after = ReviewRules.on(dt.date(2026, 6, 1))
    assert grade_for(Decimal(92), ALL_ON_TIME, False, before).grade == Grade.EXCELLENT
    assert grade_for(Decimal(92), ALL_ON_TIME, False, after).grade == Grade.GOOD
    assert grade_for(Decimal(96), TaskCounts(10, 10, 4), False, after).grade == Grade.GOOD  # 40% < 50%


def test_quota_names_the_rule_and_is_off_when_the_rule_set_says_so():
    rules = ReviewRules.on(DAY)
    # 1 excellent among 5 good or better: 20% allowed → 1; 2 among 5 → refused.
    assert quota_refusal([Grade.EXCELLENT] + [Grade.GOOD] * 4, rules, "Chi bộ") is None
    refusal = quota_refusal([Grade.EXCELLENT] * 2 + [Grade.GOOD] * 3, rules, "Chi bộ")
    assert refusal and "20%" in refusal and "Chi bộ" in refusal
    assert presentation.label("review.excellent_quota_threshold") in refusal
    RuleSet.objects.create(effective_from=dt.date(2026, 6, 1), name="x", values={"review.checks": []})
    assert quota_refusal([Grade.EXCELLENT] * 2 + [Grade.GOOD] * 3, ReviewRules.on(DAY), "Chi bộ") is None
