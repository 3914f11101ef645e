"""The candidate's age, judged once: at the cell's consideration (the cell resolution), with the rule in force
that day (domain.md §4; Quy định 294-QĐ/TW: "đủ 18 tuổi đến đủ 60 tuổi (tính theo tháng)"; dangvu.lib.ages).

Under the minimum, the cell resolution is refused. Over the maximum, the resolution is recorded and the
admission decision needs the approval of the committee directly under the Central Committee, entered with the
decision (`CandidateStep.age_approval`): an exception recorded on the file. Nothing judges the age again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from dangvu.admission.models import Candidate, CandidateStep, Stage
from dangvu.lib import ages
from dangvu.lib.dates import fmt
from dangvu.lib.errors import DomainError
from dangvu.rules import presentation
from dangvu.rules.registry import rules_on


def age_text(birth: dt.date, on: dt.date) -> str:
    return presentation.age(*ages.years_and_months(birth, on))


def over_age(candidate: Candidate, steps: dict[str, CandidateStep]) -> str:
    """When the candidate was over the maximum age at the cell resolution (the only moment the age is judged,
    with the rule in force that day), the sentence saying so; "" otherwise. Over it the admission decision
    needs the approval of the committee directly under the Central Committee (Quy định 294-QĐ/TW)."""
    resolution = steps.get(Stage.CELL_RESOLUTION)
    if resolution is None:
        return ""
    limit = ages.AgeLimit.of(rules_on(resolution.date)["admission.max_age"])
    if not ages.past(candidate.birth_date, limit, resolution.date):
        return ""
    return _(
        "At the cell resolution on %(date)s the candidate was %(age)s old, over the maximum age of %(max)s: the "
        "admission decision needs the approval of the committee directly under the Central Committee."
    ) % {
        "date": fmt(resolution.date),
        "age": age_text(candidate.birth_date, resolution.date),
        "max": presentation.age_limit(limit),
    }


def check_min_age(candidate: Candidate, day: dt.date, values: dict[str, Any]) -> None:
    """Refuse a cell resolution on `day` for a candidate under the minimum age in force that day."""
    minimum = ages.AgeLimit.of(values["admission.min_age"])
    if not ages.reached(candidate.birth_date, minimum, day):
        raise DomainError(
            _("On %(date)s the candidate is %(age)s old: under the minimum age of %(min)s.")
            % {"date": fmt(day), "age": age_text(candidate.birth_date, day), "min": presentation.age_limit(minimum)}
        )
