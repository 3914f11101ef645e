"""The review rules as data (dangvu.rules.registry, keys `review.*`): checking a value written into a rule
set, and reading the values in force for a campaign.

`review.forms` is {form code: {"label": text, "groups": [{"code", "label", "max"}]}}: the forms of Hướng
dẫn 43-HD/BTCTW with their criteria groups and maximum points. A later regulation changes them by a new
rule set, never by a code change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from dangvu.lib.errors import DomainError

CHECKS = ("excellent_quota", "discipline_cap")
GRADES = ("excellent", "good", "completed", "not_completed")  # dangvu.reviews.models.Grade values


def clean_forms(value: Any) -> dict:
    if not isinstance(value, dict) or not value:
        raise DomainError(_("Give at least one review form with its criteria groups."), code="type")
    cleaned = {}
    for code, form in value.items():
        code = str(code).strip()
        if not code or len(code) > 8 or not isinstance(form, dict):
            raise DomainError(_("Each review form needs a short code (at most 8 characters)."), code="type")
        label = form.get("label")
        groups = form.get("groups")
        if not isinstance(label, str) or not label.strip() or not isinstance(groups, list) or not groups:
            raise DomainError(
                _("Form %(form)s needs a name and at least one criteria group.") % {"form": code}, code="type"
            )
        seen, rows = set(), []
        for group in groups:
            if not isinstance(group, dict):
                raise DomainError(_("Form %(form)s: a criteria group is not readable.") % {"form": code}, code="type")
            g_code, g_label, g_max = group.get("code"), group.get("label"), group.get("max")
            if not isinstance(g_code, str) or not g_code.strip() or g_code in seen:
                raise DomainError(
                    _("Form %(form)s: each criteria group needs its own code.") % {"form": code}, code="type"
                )
            if not isinstance(g_label, str) or not g_label.strip():
                raise DomainError(_("Form %(form)s: each criteria group needs a name.") % {"form": code}, code="type")
            if isinstance(g_max, bool) or not isinstance(g_max, int) or g_max <= 0:
                raise DomainError(
                    _("Form %(form)s: the maximum points of a criteria group must be a positive whole number.")
                    % {"form": code},
                    code="type",
                )
            seen.add(g_code)
            rows.append({"code": g_code.strip(), "label": g_label.strip(), "max": g_max})
        cleaned[code] = {"label": label.strip(), "groups": rows}
    return cleaned


def clean_checks(value: Any) -> list:
    if not isinstance(value, list | tuple) or any(v not in CHECKS for v in value):
        raise DomainError(
            _("Choose among: %(known)s.") % {"known": ", ".join(CHECKS)},
            code="choice",
        )
    return [c for c in CHECKS if c in value]


def clean_periods(value: Any) -> list:
    known = ("year", "term")  # dangvu.reviews.models.Period values
    if not isinstance(value, list | tuple) or not value or any(v not in known for v in value):
        raise DomainError(_("Choose among: %(known)s.") % {"known": ", ".join(known)}, code="choice")
    return [p for p in known if p in value]


def clean_grade(value: Any) -> str:
    if value not in GRADES:
        raise DomainError(_("Choose among: %(known)s.") % {"known": ", ".join(GRADES)}, code="choice")
    return value


def clean_vote_rule(value: Any) -> str:
    from dangvu.meetings.models import VoteRule

    if value not in VoteRule.values:
        raise DomainError(_("Choose among: %(known)s.") % {"known": ", ".join(VoteRule.values)}, code="choice")
    return value


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    max: int


@dataclass(frozen=True)
class ReviewRules:
    """The review rules of one rule set (the one in force on the campaign's opening date)."""

    day: dt.date
    forms: dict[str, dict]
    excellent_points: int
    good_points: int
    completed_points: int
    on_time: Fraction
    exceeded: Fraction
    checks: tuple[str, ...]
    excellent_quota: Fraction
    disciplined_grade: str
    vote_rule: str
    org_forms: dict = field(default_factory=dict)
    org_late: Fraction = Fraction(1, 5)
    periods: tuple[str, ...] = ("year", "term")
    term_years: int = 5

    @classmethod
    def of(cls, values: dict[str, Any], day: dt.date) -> ReviewRules:
        return cls(
            day=day,
            forms=values["review.forms"],
            excellent_points=values["review.excellent_points"],
            good_points=values["review.good_points"],
            completed_points=values["review.completed_points"],
            on_time=Fraction(values["review.on_time_threshold"]),
            exceeded=Fraction(values["review.exceeded_threshold"]),
            checks=tuple(values["review.checks"]),
            excellent_quota=Fraction(values["review.excellent_quota_threshold"]),
            disciplined_grade=values["review.disciplined_grade"],
            vote_rule=values["review.vote_rule"],
            org_forms=values["review.org_forms"],
            org_late=Fraction(values["review.org_late_threshold"]),
            periods=tuple(values["review.periods"]),
            term_years=values["review.term_years"],
        )

    @classmethod
    def on(cls, day: dt.date) -> ReviewRules:
        from dangvu.rules.registry import rules_on

        return cls.of(rules_on(day), day)

    def form_choices(self) -> list[tuple[str, str]]:
        return [(code, form["label"]) for code, form in self.forms.items()]

    def groups(self, form: str) -> list[Group]:
        return [Group(g["code"], g["label"], g["max"]) for g in self.forms.get(form, {}).get("groups", [])]

    def org_groups(self) -> tuple[str, str, list[Group]]:
        """(code, label, criteria groups) of the form of collectives and organisations (Mẫu 01)."""
        code, form = next(iter(self.org_forms.items()))
        return code, form["label"], [Group(g["code"], g["label"], g["max"]) for g in form["groups"]]
