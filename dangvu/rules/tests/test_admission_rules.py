"""A new rule set applies to admission steps dated from its effective date only (issue 3 acceptance):
a cell resolution on 31/12/2025 uses the old values, one on 02/01/2026 the new ones."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.admission.models import Stage
from dangvu.admission.tests.test_pipeline import step
from dangvu.admission.tests.test_refusals import refused, up_to
from dangvu.rules.models import RuleSet
from dangvu.rules.registry import rules_on

pytestmark = pytest.mark.django_db
OLD_DAY, NEW_DAY = dt.date(2025, 12, 31), dt.date(2026, 1, 2)


@pytest.fixture
def new_rules(db):
    return RuleSet.objects.create(
        effective_from=dt.date(2026, 1, 1),
        name="Quy định mới (thử)",
        source="Quy định thử nghiệm",
        values={
            "admission.max_age": {"years": 55, "unit": "month"},
            "admission.cell_vote_threshold": "3/4",
            "admission.ceremony_working_days": 20,
        },
    )


def test_values_in_force_on_each_side_of_the_effective_date(new_rules):
    old, new = rules_on(OLD_DAY), rules_on(NEW_DAY)
    assert (old["admission.max_age"]["years"], old["admission.cell_vote_threshold"]) == (60, "2/3")
    assert (new["admission.max_age"]["years"], new["admission.cell_vote_threshold"]) == (55, "3/4")
    assert old["admission.min_age"] == new["admission.min_age"] == {"years": 18, "unit": "month"}  # not named


def test_max_age(tree, cast, new_rules):
    born = {"birth_date": dt.date(1969, 6, 1)}  # 56 years 6 months on 31/12/2025, 56 years 7 months on 02/01/2026
    old = up_to(tree.c1, cast.office, Stage.CELL_RESOLUTION, start=dt.date(2025, 9, 1), **born)
    step(old, Stage.CELL_RESOLUTION, cast.office, OLD_DAY)
    step(old, Stage.COMMITTEE_RESOLUTION, cast.office, NEW_DAY)
    step(old, Stage.DECISION, cast.office, NEW_DAY)  # within 60 at its resolution: no approval needed
    new = up_to(tree.c1, cast.office, Stage.CELL_RESOLUTION, start=dt.date(2025, 9, 1), **born)
    step(new, Stage.CELL_RESOLUTION, cast.office, NEW_DAY)
    step(new, Stage.COMMITTEE_RESOLUTION, cast.office, NEW_DAY)
    with refused(new, "was 56 years 7 months old", "maximum age of 55 years, counted in months"):
        step(new, Stage.DECISION, cast.office, NEW_DAY)
    step(new, Stage.DECISION, cast.office, NEW_DAY, age_approval="15-CV/TU ngày 02/01/2026")


def test_cell_vote_threshold(tree, cast, new_rules):
    testing.member(tree.c1, "Hồ Văn Ba")  # three official members: 2/3 needs 2, 3/4 needs 3
    old = up_to(tree.c1, cast.office, Stage.CELL_RESOLUTION, start=dt.date(2025, 9, 1))
    vote = step(old, Stage.CELL_RESOLUTION, cast.office, OLD_DAY, votes_for=2, votes_against=1)
    assert (vote.votes_for, vote.votes_eligible) == (2, 3)
    new = up_to(tree.c1, cast.office, Stage.CELL_RESOLUTION, start=dt.date(2025, 9, 1))
    with refused(new, "2 of 3", "needs 3", "3/4"):
        step(new, Stage.CELL_RESOLUTION, cast.office, NEW_DAY, votes_for=2, votes_against=1)
    step(new, Stage.CELL_RESOLUTION, cast.office, NEW_DAY, votes_for=3)


def test_ceremony_working_days(tree, cast, new_rules):
    # Old rule, decision Wed 31/12/2025 + 30 working days: 1/1 off, 2/1 off (Công văn 12729/VPCP-KGVX,
    # shipped by rules/0004); 5–9 (5), Saturday 10/01 worked in exchange (6), 12–16 (11), 19–23 (16),
    # 26–30 (21), 2–6/02 (26), 9, 10, 11, 12/02 (30): Thu 12/02/2026.
    old = up_to(tree.c1, cast.office, Stage.DECISION, start=dt.date(2025, 9, 1))
    step(old, Stage.DECISION, cast.office, OLD_DAY)
    old.refresh_from_db()
    assert (old.due_stage, old.due_on) == (Stage.CEREMONY, dt.date(2026, 2, 12))
    # New rule, decision Fri 02/01/2026 (a day off; the decision is still dated then) + 20 working days:
    # 5–9 (5), Saturday 10 (6), 12–16 (11), 19–23 (16), 26, 27, 28, 29 (20): Thu 29/01/2026.
    new = up_to(tree.c1, cast.office, Stage.DECISION, start=dt.date(2025, 9, 1))
    step(new, Stage.DECISION, cast.office, NEW_DAY)
    new.refresh_from_db()
    assert (new.due_stage, new.due_on) == (Stage.CEREMONY, dt.date(2026, 1, 29))
    with refused(new, "29/01/2026"):  # the ceremony check reads the same rule
        step(new, Stage.CEREMONY, cast.office, dt.date(2026, 1, 30))
    step(old, Stage.CEREMONY, cast.office, dt.date(2026, 2, 2))  # within the old 30 days
    old.refresh_from_db()
    assert old.member is not None
