"""Provenance (issue 13 item 6): the records behind a target's computed figure are exactly those the
indicator counted — per predecessor and all together, on the tree of the period (a past period of a merged
committee) — for admissions, discipline and inspection coverage (numerator and denominator); the page is
paginated, linked from the figure, and scoped (allowed and denied)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.discipline import services as discipline
from dangvu.discipline.models import Form
from dangvu.discipline.tests.conftest import decision, open_member_case
from dangvu.docregister import services as register
from dangvu.docregister.tests.conftest import entry, terms  # noqa: F401  (fixture)
from dangvu.inspection.tests.conftest import inspect
from dangvu.members.models import EventKind, MemberEvent
from dangvu.orgs import services as org_services
from dangvu.orgs.models import OrgKind
from dangvu.targets import provenance, provenance_views, services
from dangvu.targets.provenance import BASE, Chain, listing

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)


def _disciplined(member, day, by, actor):
    case = open_member_case(
        member, actor, Form.REPRIMAND, violation=day - dt.timedelta(days=60), opened=day - dt.timedelta(days=30)
    )
    return discipline.decide(case, decision(Form.REPRIMAND, by, day=day), actor)


@pytest.fixture
def world(tree, cast, terms):  # noqa: F811
    """In the 2025–2030 term: A (C1: admissions 01/11/2025, 10/01/2026) and B (C3: 01/12/2025) merge into S on
    01/03/2026; S admits one on 01/05/2026 (C1 now under S). Discipline: one in A (15/12/2025), one in B
    (01/02/2026). A1 inspected on 15/01/2026. S's resolution of 20/03/2026."""
    admitted = {
        ("A", 1): testing.member(tree.c1, admitted=dt.date(2025, 11, 1), official=False),
        ("A", 2): testing.member(tree.c1, admitted=dt.date(2026, 1, 10), official=False),
        ("B", 1): testing.member(tree.c3, admitted=dt.date(2025, 12, 1), official=False),
    }
    cases = {
        "A": _disciplined(admitted[("A", 1)], dt.date(2025, 12, 15), tree.c1, cast.inspector),
        "B": _disciplined(admitted[("B", 1)], dt.date(2026, 2, 1), tree.c3, cast.inspector),
    }
    inspect(tree.a, [tree.a_base], dt.date(2026, 1, 15), cast.inspector)
    s = org_services.merge(
        [tree.a, tree.b],
        dt.date(2026, 3, 1),
        org_services.Document("01-QĐ/TU"),
        None,
        new=org_services.OrgSpec("S", "Đảng bộ Hợp nhất", OrgKind.DIRECT),
        parent=tree.city,
    ).created[0]
    admitted[("S", 1)] = testing.member(tree.c1, admitted=dt.date(2026, 5, 1), official=False)
    office = testing.user("office_s", Role.OFFICE, s)
    resolution = register.register(entry(s, date=dt.date(2026, 3, 20), title="Nghị quyết Đại hội lần thứ I"), office)
    leader = testing.user("leader_s", Role.LEADER, s)
    return {"s": s, "old": resolution, "admitted": admitted, "cases": cases, "office": office, "leader": leader}


def target(resolution, indicator, kind="count", threshold=Decimal(2)):
    return services.add_target(
        resolution,
        services.TargetSpec(
            text="Chỉ tiêu",
            kind=kind,
            period="term",
            subject="members",
            source="indicator",
            indicator=indicator,
            threshold=threshold,
        ),
        resolution.recorded_by,
    )


def ids(found) -> set[int]:
    return {record.pk for _org, record in found.records[0 : found.records.count()]}


def test_admissions_listed_exactly_per_predecessor_and_all(tree, cast, world):
    t = target(world["old"], "admission.admissions")
    every = listing(t, "2025-2030", today=TODAY)
    assert every.records.count() == every.figure == 4 == every.result.combined.numerator
    counted = MemberEvent.objects.filter(kind=EventKind.ADMISSION, date__gte=dt.date(2025, 10, 1))
    assert ids(every) == set(counted.values_list("pk", flat=True))
    by_part = {v.organisation.code: v for v in every.result.parts}
    a = listing(t, "2025-2030", part=by_part["A"].organisation.pk, today=TODAY)
    assert a.records.count() == a.figure == 2
    assert {r.member for _o, r in a.records[0:2]} == {world["admitted"][("A", 1)], world["admitted"][("A", 2)]}
    assert by_part["S"].numerator == 1 and by_part["B"].numerator == 1
    # Per part and all add up.
    assert (
        sum(listing(t, "2025-2030", part=v.organisation.pk, today=TODAY).records.count() for v in by_part.values()) == 4
    )


def test_a_past_year_lists_what_the_tree_of_that_year_counted(tree, cast, world):
    t = target(world["old"], "admission.admissions")
    year = listing(t, "2025", today=TODAY)
    counts = {v.organisation.code: n for v, n in zip(year.result.parts, year.records.counts(), strict=True)}
    assert counts == {"S": 0, "A": 1, "B": 1}  # in 2025 C1 lay under A, C3 under B; S did not exist
    assert {r.member for _o, r in year.records[0:2]} == {world["admitted"][("A", 1)], world["admitted"][("B", 1)]}
    assert [o.code for o, _r in year.records[0:2]] == ["A", "B"]  # each under the part it counted in
    assert listing(t, "2024", today=TODAY) is None and listing(t, "2027", today=TODAY) is None  # outside


def test_discipline_cases_listed(cast, world):
    t = target(world["old"], "discipline.members", kind="ceiling")
    found = listing(t, "2025-2030", today=TODAY)
    assert found.records.count() == found.figure == 2
    assert ids(found) == {world["cases"]["A"].pk, world["cases"]["B"].pk}
    assert listing(t, "2025-2030", which=BASE, today=TODAY) is None  # a count has no denominator's records


def test_coverage_numerator_and_denominator(tree, cast, world):
    t = target(world["old"], "inspection.coverage", kind="floor", threshold=Decimal(10))
    covered = listing(t, "2026", today=TODAY)
    assert covered.records.count() == covered.figure == 1 and ids(covered) == {tree.a_base.pk}
    out_of = listing(t, "2026", which=BASE, today=TODAY)
    assert out_of.records.count() == out_of.figure == 3  # A1, A2 and B1 in 2026
    assert ids(out_of) == {tree.a_base.pk, tree.a_cell_base.pk, tree.b_base.pk}
    assert out_of.figure == covered.result.combined.denominator


def test_a_manual_target_has_no_records(cast, world):
    t = services.add_target(
        world["old"],
        services.TargetSpec(
            text="Học tập", kind="floor", period="term", subject="members", source="manual", threshold=Decimal(98)
        ),
        world["office"],
    )
    assert listing(t, "2025-2030", today=TODAY) is None


def test_the_chain_pages_across_parts():
    chain = Chain([("A", [1, 2, 3]), ("B", []), ("C", [4, 5])])
    assert chain.count() == len(chain) == 5
    assert chain[2:4] == [("A", 3), ("C", 4)]
    assert chain[4] == ("C", 5)


def test_the_page_linked_from_the_figure_paginated_and_scoped(client, cast, world, monkeypatch):
    t = target(world["old"], "admission.admissions")
    url = reverse("targets:records", args=[t.pk, "2025-2030"])
    client.force_login(world["leader"])
    page = client.get(reverse("targets:resolution", args=[world["old"].pk])).content.decode()
    assert url in page and f"{url}?part=" in page  # the figure and each predecessor's figure link here
    monkeypatch.setattr(provenance_views, "PER_PAGE", 2)
    first = client.get(url)
    assert first.status_code == 200
    assert len(first.context["rows"]) == 2 and first.context["page"].paginator.count == 4
    last = client.get(url + "?page=2")
    assert len(last.context["rows"]) == 2 and client.get(url + "?page=3").context["page"].number == 2
    html = first.content.decode()
    assert 'id="provenance-count"' in html and reverse("members:detail", args=[world["admitted"][("S", 1)].pk]) in html
    assert client.get(reverse("targets:records", args=[t.pk, "1999"])).status_code == 404
    assert client.get(url + "?part=999999").status_code == 404
    for name in ("leader", "secretary", "outsider", "member"):
        client.force_login(getattr(cast, name))
        assert client.get(url).status_code == 404, name


def test_describe_rows(cast, world):
    t = target(world["old"], "discipline.members", kind="ceiling")
    found = listing(t, "2025-2030", today=TODAY)
    rows = [provenance.describe(r) for _o, r in found.records[0:2]]
    assert {row["date"] for row in rows} == {dt.date(2025, 12, 15), dt.date(2026, 2, 1)}
    assert all(row["url"].startswith("/") for row in rows)
