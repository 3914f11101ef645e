"""Coverage: the share of grassroots organisations inspected or supervised, computed by hand on the test tree
(A: A1 grassroots committee, A2 grassroots cell; B: B1 grassroots committee), across a merger per
predecessor and combined, adding up."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.inspection import services, stats
from dangvu.inspection.models import Kind, Mode, Organ
from dangvu.inspection.tests.conftest import inspect
from dangvu.orgs import services as org_services
from dangvu.orgs.models import OrgKind

pytestmark = pytest.mark.django_db
Y2024 = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def _codes(ids):
    from dangvu.orgs.models import Organisation

    return set(Organisation.objects.filter(pk__in=ids).values_list("code", flat=True))


def test_a_year_counts_grassroots_organisations_themselves(tree, cast):
    inspect(tree.a, [tree.a_base], dt.date(2024, 3, 1), cast.inspector)
    inspect(tree.a, [tree.a_base], dt.date(2024, 9, 1), cast.inspector)  # twice: one organisation
    inspect(tree.a, [tree.c1], dt.date(2024, 5, 1), cast.inspector)  # a cell inside A1: not A1 covered
    inspect(tree.a, [tree.a_cell_base], dt.date(2023, 5, 1), cast.inspector)  # another year
    report = stats.coverage(tree.a, *Y2024)
    assert (report.combined.count, report.combined.total) == (1, 2)
    assert report.combined.share == 50.0
    assert stats.coverage(tree.a, dt.date(2023, 1, 1), dt.date(2023, 12, 31)).combined.count == 1
    assert stats.coverage(tree.a, dt.date(2022, 1, 1), dt.date(2024, 12, 31)).combined.share == 100.0
    # The city: A1, A2, B1.
    city = stats.coverage(tree.city, *Y2024)
    assert (city.combined.count, city.combined.total) == (1, 3)
    assert stats.coverage(tree.b, *Y2024).combined.share == 0.0


def test_across_a_merger_per_predecessor_and_combined(tree, cast):
    inspect(tree.a, [tree.a_base], dt.date(2024, 3, 1), cast.inspector)
    programme = services.create_programme(
        organisation=tree.b,
        organ=Organ.COMMITTEE,
        year=2025,
        title="Chương trình giám sát 2025",
        approved_on=dt.date(2025, 1, 5),
        actor=cast.admin,
    )
    inspect(
        tree.b,
        [tree.b_base],
        dt.date(2025, 4, 1),
        cast.admin,
        kind=Kind.SUPERVISION,
        mode=Mode.THEMATIC,
        organ=Organ.COMMITTEE,
        programme=programme,
    )
    effects = org_services.merge(
        [tree.a, tree.b],
        dt.date(2025, 10, 1),
        org_services.Document("01-QĐ/TU"),
        None,
        new=org_services.OrgSpec("S", "Đảng bộ Hợp nhất", OrgKind.DIRECT),
        parent=tree.city,
    )
    s = effects.created[0]
    inspect(s, [tree.a_base], dt.date(2026, 2, 1), cast.admin)  # A1 again: credited where first covered
    inspect(s, [tree.a_cell_base], dt.date(2026, 3, 1), cast.admin)  # A2 first covered by S

    report = stats.coverage(s, dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    parts = {p.organisation.code: p for p in report.parts}
    assert set(parts) == {"S", "A", "B"}
    assert (_codes(parts["A"].organisations), _codes(parts["A"].covered)) == ({"A1"}, {"A1"})
    assert (_codes(parts["B"].organisations), _codes(parts["B"].covered)) == ({"B1"}, {"B1"})
    assert (_codes(parts["S"].organisations), _codes(parts["S"].covered)) == ({"A2"}, {"A2"})
    assert report.combined.total == 3 == sum(p.total for p in report.parts)
    assert report.combined.count == 3 == sum(p.count for p in report.parts)

    # Before the merger year, the predecessors alone: 2024 A1 of {A1, A2}; B nothing of {B1}.
    before = stats.coverage(s, *Y2024)
    parts = {p.organisation.code: (p.count, p.total) for p in before.parts}
    assert parts == {"S": (0, 0), "A": (1, 2), "B": (0, 1)}
    assert (before.combined.count, before.combined.total) == (1, 3)
    # 2026: everything under S, A1 and A2 covered.
    after = stats.coverage(s, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    parts = {p.organisation.code: (p.count, p.total) for p in after.parts}
    assert parts == {"S": (2, 3), "A": (0, 0), "B": (0, 0)}
    # Without lineage, only what lay under S.
    own = stats.coverage(s, dt.date(2024, 1, 1), dt.date(2026, 12, 31), lineage=False)
    assert (own.combined.count, own.combined.total) == (2, 3)
