"""The grade a review's points and conditions give (Điều 11 Quy định 366-QĐ/TW), and the limits on a set
of grades (the excellent quota, the grade of a disciplined member). Pure functions of the rules of the
campaign (dangvu.reviews.forms_rule.ReviewRules); messages name the rule they apply.

Reading of Điều 11 (docs/decisions.md, Issue 11): "excellent" needs the points *and* the share of tasks on
time *and* the share exceeded; "good" needs the points and the share on time; "completed" only the points.
A review that misses a condition of a band falls to the next band whose conditions it meets. With no task
listed, nothing was late (the on-time condition holds) and nothing was exceeded (the excellent one fails).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from dangvu.reviews.forms_rule import ReviewRules
from dangvu.reviews.models import Grade
from dangvu.rules import presentation


@dataclass(frozen=True)
class TaskCounts:
    total: int
    on_time: int
    exceeded: int

    @classmethod
    def of(cls, tasks: list[dict]) -> TaskCounts:
        return cls(len(tasks), sum(1 for t in tasks if t.get("on_time")), sum(1 for t in tasks if t.get("exceeded")))

    @property
    def on_time_share(self) -> Fraction:
        return Fraction(self.on_time, self.total) if self.total else Fraction(1)

    @property
    def exceeded_share(self) -> Fraction:
        return Fraction(self.exceeded, self.total) if self.total else Fraction(0)


@dataclass
class Verdict:
    grade: str
    reasons: list[str] = field(default_factory=list)  # why not a better grade


def _pct(share: Fraction) -> str:
    value = share * 100
    return f"{presentation.number(value.numerator if value.denominator == 1 else round(float(value), 1))}%"


def grade_for(points: Decimal, tasks: TaskCounts, disciplined: bool, rules: ReviewRules) -> Verdict:
    reasons: list[str] = []
    on_time = tasks.on_time_share >= rules.on_time
    if points >= rules.excellent_points:
        if not on_time:
            reasons.append(
                _("Tasks on time %(done)s, under the %(need)s needed for 'excellent' and 'good' (%(rule)s).")
                % {"done": _pct(tasks.on_time_share), "need": _pct(rules.on_time), "rule": _rule("on_time_threshold")}
            )
        elif tasks.exceeded_share < rules.exceeded:
            reasons.append(
                _("Tasks exceeded %(done)s, under the %(need)s needed for 'excellent' (%(rule)s).")
                % {
                    "done": _pct(tasks.exceeded_share),
                    "need": _pct(rules.exceeded),
                    "rule": _rule("exceeded_threshold"),
                }
            )
        else:
            return _capped(Verdict(Grade.EXCELLENT), disciplined, rules)
    if points >= rules.good_points:
        if on_time:
            return _capped(Verdict(Grade.GOOD, reasons), disciplined, rules)
        if not reasons:
            reasons.append(
                _("Tasks on time %(done)s, under the %(need)s needed for 'good' (%(rule)s).")
                % {"done": _pct(tasks.on_time_share), "need": _pct(rules.on_time), "rule": _rule("on_time_threshold")}
            )
    if points >= rules.completed_points:
        return _capped(Verdict(Grade.COMPLETED, reasons), disciplined, rules)
    return Verdict(Grade.NOT_COMPLETED, reasons)


def _rule(key: str) -> str:
    return presentation.label(f"review.{key}")


def _capped(verdict: Verdict, disciplined: bool, rules: ReviewRules) -> Verdict:
    if (
        disciplined
        and "discipline_cap" in rules.checks
        and Grade.rank(verdict.grade) < Grade.rank(rules.disciplined_grade)
    ):
        verdict.reasons.append(cap_message(rules))
        verdict.grade = rules.disciplined_grade
    return verdict


def cap_message(rules: ReviewRules) -> str:
    return _("A member disciplined in the year is graded at most '%(grade)s' (%(rule)s).") % {
        "grade": Grade(rules.disciplined_grade).label,
        "rule": _rule("disciplined_grade"),
    }


def over_cap(grade: str, disciplined: bool, rules: ReviewRules) -> bool:
    """True when `grade` is better than a disciplined member may get under `rules`."""
    return disciplined and "discipline_cap" in rules.checks and Grade.rank(grade) < Grade.rank(rules.disciplined_grade)


def excellent_allowed(good_or_better: int, rules: ReviewRules) -> int:
    """Most members who may be graded 'excellent' among `good_or_better` (the excellent are chosen among
    those graded 'good' or better: docs/decisions.md)."""
    return math.floor(rules.excellent_quota * good_or_better)


def quota_refusal(grades: list[str], rules: ReviewRules, where: str) -> str | None:
    """The refusal naming the rule when the 'excellent' among `grades` pass the quota, else None."""
    if "excellent_quota" not in rules.checks:
        return None
    excellent = grades.count(Grade.EXCELLENT)
    allowed = excellent_allowed(excellent + grades.count(Grade.GOOD), rules)
    if excellent <= allowed:
        return None
    return _(
        "%(where)s: %(n)s members graded 'excellent', more than the %(allowed)s allowed: at most %(share)s of "
        "those graded 'good' or better (%(rule)s)."
    ) % {
        "where": where,
        "n": presentation.number(excellent),
        "allowed": presentation.number(allowed),
        "share": _pct(rules.excellent_quota),
        "rule": _rule("excellent_quota_threshold"),
    }
