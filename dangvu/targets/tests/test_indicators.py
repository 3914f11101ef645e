"""The indicator registry (issue 13 item 3): every module's indicators are registered; each is computed for a
subtree and a period on the tree of that period, per predecessor and combined, the parts adding up."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from dangvu import testing
from dangvu.orgs import services as org_services
from dangvu.orgs.models import OrgKind
from dangvu.targets import indicators

pytestmark = pytest.mark.django_db

EXPECTED = {
    "admission.admissions": indicators.COUNT,
    "admission.officials": indicators.COUNT,
    "reviews.members_good": indicators.PERCENT,
    "reviews.members_not_completed": indicators.PERCENT,
    "discipline.members": indicators.COUNT,
    "discipline.organisations": indicators.COUNT,
    "inspection.coverage": indicators.PERCENT,
    "inspection.remediation_on_time": indicators.PERCENT,
    "letters.received": indicators.COUNT,
    "letters.concluded": indicators.COUNT,
    "letters.on_time": indicators.PERCENT,
    "meetings.thematic_per_cell": indicators.RATE,
    "meetings.regular_months": indicators.PERCENT,
    "meetings.attendance": indicators.PERCENT,
    "meetings.assignment_compliance": indicators.PERCENT,
    "study.participation": indicators.PERCENT,
    "study.models_collective": indicators.COUNT,
    "study.models_individual": indicators.COUNT,
    "study.commendations": indicators.COUNT,
    "training.completed": indicators.COUNT,
    "training.theory": indicators.COUNT,
    "notify.adoption": indicators.PERCENT,
}


def test_each_module_registers_its_indicators():
    assert {key: ind.unit for key, ind in indicators.REGISTRY.items()} == EXPECTED
    assert all(str(ind.label) for ind in indicators.REGISTRY.values())


@pytest.fixture
def merged(tree):
    """Admissions in A (3: 2021–2023) and B (2: 2022, 2024) before they merge into S on 01/10/2025, and one
    in S after (C1 now lies under S)."""
    for year in (2021, 2022, 2023):
        testing.member(tree.c1, admitted=dt.date(year, 3, 1), official=False)
    for year in (2022, 2024):
        testing.member(tree.c3, admitted=dt.date(year, 6, 1), official=False)
    effects = org_services.merge(
        [tree.a, tree.b],
        dt.date(2025, 10, 1),
        org_services.Document("01-QĐ/TU"),
        None,
        new=org_services.OrgSpec("S", "Đảng bộ Hợp nhất", OrgKind.DIRECT),
        parent=tree.city,
    )
    testing.member(tree.c1, admitted=dt.date(2026, 2, 1), official=False)
    return effects.created[0]


def test_a_merged_committee_per_predecessor_and_combined_adding_up(tree, merged):
    result = indicators.get("admission.admissions")(merged, dt.date(2020, 10, 1), dt.date(2026, 12, 31))
    by_code = {part.organisation.code: part.numerator for part in result.parts}
    assert by_code == {"S": 1, "A": 3, "B": 2}
    assert result.combined.numerator == 6 == sum(by_code.values())
    assert result.value == Fraction(6)
    # Without lineage: only what happened under S itself.
    assert (
        indicators.get("admission.admissions")(merged, dt.date(2020, 10, 1), dt.date(2026, 12, 31), lineage=False).value
        == 1
    )


def test_a_past_period_uses_the_tree_of_that_period(tree, merged):
    # In 2022 C1 lay under A and C3 under B: S had nothing of its own, the predecessors had theirs.
    result = indicators.get("admission.admissions")(merged, dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert {p.organisation.code: p.numerator for p in result.parts} == {"S": 0, "A": 1, "B": 1}
    # A on its own in 2022 (its subtree then), and B's subtree did not hold C1.
    assert indicators.get("admission.admissions")(tree.a, dt.date(2022, 1, 1), dt.date(2022, 12, 31)).value == 1


def test_a_share_adds_numerators_and_denominators():
    combined = indicators.Value(None, 0, 0)
    for part in (indicators.Value(None, 1, 4), indicators.Value(None, 3, 4)):
        combined.add(part)
    assert (combined.numerator, combined.denominator) == (4, 8)
    assert combined.value(indicators.PERCENT) == 50
    assert combined.value(indicators.RATE) == Fraction(1, 2)
    assert indicators.Value(None, 1, 0).value(indicators.PERCENT) is None
