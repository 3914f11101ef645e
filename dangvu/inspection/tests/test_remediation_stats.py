"""Remediation done on time (issue 12 item 6): items due in a period, closed by their deadline, late or
overdue, for a subtree, across a merger per predecessor and combined (adding up); and the statistics page
with its coverage and remediation tables, allowed and denied."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dangvu.inspection import services, stats
from dangvu.inspection.tests.conftest import inspect
from dangvu.orgs import services as org_services
from dangvu.orgs.models import OrgKind

pytestmark = pytest.mark.django_db


def _item(activity, deadline, actor, closed_on=None):
    item = services.add_remediation(
        activity, description=f"Khắc phục {deadline}", owner="Đảng ủy", deadline=deadline, actor=actor
    )
    if closed_on:
        services.close_remediation(item, closed_on=closed_on, evidence="Báo cáo khắc phục", actor=actor)
    return item


def test_on_time_late_overdue_and_open(tree, cast):
    a = inspect(tree.a, [tree.a_base], dt.date(2024, 3, 1), cast.inspector)
    on_time = _item(a, dt.date(2024, 6, 30), cast.inspector, dt.date(2024, 6, 30))  # on the deadline: on time
    late = _item(a, dt.date(2024, 7, 31), cast.inspector, dt.date(2024, 8, 1))
    overdue = _item(a, dt.date(2024, 9, 30), cast.inspector)
    pending = _item(a, dt.date(2024, 12, 31), cast.inspector)
    _item(a, dt.date(2025, 1, 31), cast.inspector, dt.date(2025, 1, 2))  # due the next year: not counted
    report = stats.remediation_on_time(tree.a, dt.date(2024, 1, 1), dt.date(2024, 12, 31), today=dt.date(2024, 10, 1))
    c = report.combined
    assert (c.items, c.on_time, c.late, c.overdue) == (
        {on_time.pk, late.pk, overdue.pk, pending.pk},
        {on_time.pk},
        {late.pk},
        {overdue.pk},
    )
    assert c.share == 25.0
    # The conducting organisation's subtree: A's items are not B's, nor a cell's.
    assert stats.remediation_on_time(tree.b, dt.date(2024, 1, 1), dt.date(2024, 12, 31)).combined.total == 0
    assert stats.remediation_on_time(tree.city, dt.date(2024, 1, 1), dt.date(2024, 12, 31)).combined.total == 4
    assert stats.remediation_on_time(tree.a_base, dt.date(2024, 1, 1), dt.date(2024, 12, 31)).combined.share is None


def test_across_a_merger_per_predecessor_and_combined(tree, cast):
    a = inspect(tree.a, [tree.a_base], dt.date(2024, 3, 1), cast.admin)
    b = inspect(tree.b, [tree.b_base], dt.date(2025, 4, 1), cast.admin)
    a1 = _item(a, dt.date(2025, 6, 30), cast.admin, dt.date(2025, 6, 1))
    b1 = _item(b, dt.date(2025, 8, 31), cast.admin, dt.date(2025, 11, 1))  # closed after the merger, late
    effects = org_services.merge(
        [tree.a, tree.b],
        dt.date(2025, 10, 1),
        org_services.Document("01-QĐ/TU"),
        None,
        new=org_services.OrgSpec("S", "Đảng bộ Hợp nhất", OrgKind.DIRECT),
        parent=tree.city,
    )
    s = effects.created[0]
    later = inspect(s, [tree.a_cell_base], dt.date(2026, 2, 1), cast.admin)
    s1 = _item(later, dt.date(2026, 5, 31), cast.admin, dt.date(2026, 5, 2))
    s2 = _item(later, dt.date(2026, 6, 30), cast.admin)

    term = (dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    report = stats.remediation_on_time(s, *term, today=dt.date(2026, 7, 15))
    parts = {p.organisation.code: p for p in report.parts}
    assert set(parts) == {"S", "A", "B"}
    assert (parts["A"].items, parts["A"].on_time) == ({a1.pk}, {a1.pk})
    assert (parts["B"].items, parts["B"].late) == ({b1.pk}, {b1.pk})
    assert (parts["S"].items, parts["S"].on_time, parts["S"].overdue) == ({s1.pk, s2.pk}, {s1.pk}, {s2.pk})
    assert sum(p.total for p in report.parts) == report.combined.total == 4
    assert sum(len(p.on_time) for p in report.parts) == len(report.combined.on_time) == 2
    assert report.combined.share == 50.0
    alone = stats.remediation_on_time(s, *term, lineage=False, today=dt.date(2026, 7, 15))
    assert alone.combined.items == {s1.pk, s2.pk}


def test_statistics_page(client, tree, cast):
    a = inspect(tree.a, [tree.a_base], dt.date(2024, 3, 1), cast.inspector)
    _item(a, dt.date(2024, 6, 30), cast.inspector, dt.date(2024, 6, 1))
    url = reverse("inspection:coverage") + f"?organisation={tree.a.pk}&year=2024"
    client.force_login(cast.leader)
    page = client.get(url).content.decode()
    combined = page[page.index('id="coverage-combined"') :][:400]
    assert "<td>2</td><td>1</td><td>50,0 %</td>" in combined  # A1 of A1 and A2
    remediation = page[page.index('id="remediation-combined"') :][:400]
    assert "100,0" in remediation
    for name in ("member", "secretary", "nobody"):
        client.force_login(getattr(cast, name))
        assert client.get(url).status_code == 403, name
    client.force_login(cast.outsider)  # A is not theirs: the form refuses it, their own committee is shown
    outsider = client.get(url).content.decode()
    assert 'id="coverage-combined"' in outsider and tree.b.name in outsider
    assert "50,0" not in outsider
