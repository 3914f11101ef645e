"""The inspection indicators of the targets registry: `inspection.remediation_on_time` hand-computed across a
merger, per predecessor and combined, adding up (an item closed on its deadline is on time, one closed after
it or still open is not); its provenance lists exactly the items counted (numerator and denominator), the
list's count equal to the figure, all parts and one part."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from dangvu.accounts.models import Role
from dangvu.docregister import services as register
from dangvu.docregister.tests.conftest import entry, terms  # noqa: F401  (fixture)
from dangvu.inspection.tests.conftest import inspect
from dangvu.inspection.tests.test_remediation_stats import _item
from dangvu.orgs import services as org_services
from dangvu.orgs.models import OrgKind
from dangvu.targets import indicators
from dangvu.targets.provenance import BASE, describe, listing
from dangvu.targets.tests.test_provenance import target
from dangvu.testing import user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)
KEY = "inspection.remediation_on_time"


@pytest.fixture
def world(tree, cast, terms):  # noqa: F811
    """A inspects A1 on 01/03/2025: a1 due 30/11/2025 closed that day (on time), a2 due 31/12/2025 closed on
    05/01/2026 (late). B inspects B1 on 01/05/2025: b1 due 30/06/2025 closed on 20/06/2025 (on time), b2 due
    31/01/2026 still open. A and B merge into S on 01/10/2025 (the 2025–2030 term's first day); S inspects A2
    on 01/02/2026: s1 due 30/04/2026 closed on 20/04/2026 (on time), s2 due 31/03/2027 (after the period)."""
    a = inspect(tree.a, [tree.a_base], dt.date(2025, 3, 1), cast.admin)
    items = {
        "a1": _item(a, dt.date(2025, 11, 30), cast.admin, dt.date(2025, 11, 30)),
        "a2": _item(a, dt.date(2025, 12, 31), cast.admin, dt.date(2026, 1, 5)),
    }
    b = inspect(tree.b, [tree.b_base], dt.date(2025, 5, 1), cast.admin)
    items["b1"] = _item(b, dt.date(2025, 6, 30), cast.admin, dt.date(2025, 6, 20))
    items["b2"] = _item(b, dt.date(2026, 1, 31), cast.admin)
    s = org_services.merge(
        [tree.a, tree.b],
        dt.date(2025, 10, 1),
        org_services.Document("01-QĐ/TU"),
        None,
        new=org_services.OrgSpec("S", "Đảng bộ Hợp nhất", OrgKind.DIRECT),
        parent=tree.city,
    ).created[0]
    later = inspect(s, [tree.a_cell_base], dt.date(2026, 2, 1), cast.admin)
    items["s1"] = _item(later, dt.date(2026, 4, 30), cast.admin, dt.date(2026, 4, 20))
    items["s2"] = _item(later, dt.date(2027, 3, 31), cast.admin)
    office = user("office_s", Role.OFFICE, s)
    resolution = register.register(entry(s, date=dt.date(2026, 3, 20), title="Nghị quyết Đại hội lần thứ I"), office)
    return {"s": s, "items": items, "resolution": resolution}


def _parts(result) -> dict[str, tuple]:
    return {p.organisation.code: (p.numerator, p.denominator) for p in result.parts}


def test_per_predecessor_and_combined(world):
    indicator = indicators.get(KEY)
    assert indicator.unit == indicators.PERCENT
    s = world["s"]
    year_2025 = indicator(s, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert _parts(year_2025) == {"S": (0, 0), "A": (1, 2), "B": (1, 1)}  # a1 on time, a2 late; b1 on time
    assert (year_2025.combined.numerator, year_2025.combined.denominator) == (2, 3)
    assert year_2025.value == Fraction(200, 3) and year_2025.shown() == Decimal("66.67")
    year_2026 = indicator(s, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert _parts(year_2026) == {"S": (1, 1), "A": (0, 0), "B": (0, 1)}  # s1 on time; b2 open; s2 due 2027
    assert year_2026.value == 50
    # Without lineage: only what S required.
    assert indicator(s, dt.date(2025, 1, 1), dt.date(2026, 12, 31), lineage=False).combined.denominator == 1


def test_provenance_lists_what_was_counted(world):
    items = world["items"]
    t = target(world["resolution"], KEY, kind="floor", threshold=Decimal(80))
    # The term up to today (01/10/2025–06/12/2026): A a1 of a1, a2; B nothing of b2; S s1 of s1.
    done = listing(t, "2025-2030", today=TODAY)
    assert _parts(done.result) == {"S": (1, 1), "A": (1, 2), "B": (0, 1)}
    assert done.records.count() == done.figure == 2 == done.result.combined.numerator
    assert {r.pk for _o, r in done.records[0:10]} == {items["a1"].pk, items["s1"].pk}
    due = listing(t, "2025-2030", which=BASE, today=TODAY)
    assert due.records.count() == due.figure == 4 == due.result.combined.denominator
    assert {r.pk for _o, r in due.records[0:10]} == {items[k].pk for k in ("a1", "a2", "b2", "s1")}
    a = next(p for p in done.result.parts if p.organisation.code == "A")
    a_due = listing(t, "2025-2030", part=a.organisation.pk, which=BASE, today=TODAY)
    assert a_due.records.count() == a_due.figure == 2
    assert [o.code for o, _r in a_due.records[0:2]] == ["A", "A"]
    items["a2"].refresh_from_db()
    row = describe(items["a2"])
    assert row["date"] == dt.date(2025, 12, 31) and row["detail"] == "Đảng ủy · 05/01/2026"
    assert row["organisation"] == "Đảng bộ các cơ quan A" and row["url"].endswith(f"/{items['a2'].activity_id}/")
