"""The letters indicators of the targets registry (letters.received, letters.concluded, letters.on_time):
hand-computed across a merger, per predecessor and combined, adding up; a conclusion on its deadline is on
time, one the day after is late."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from dangvu.accounts.models import Role
from dangvu.letters import services
from dangvu.letters.models import Signed
from dangvu.letters.tests.conftest import receive
from dangvu.orgs import services as org_services
from dangvu.orgs.models import OrgKind
from dangvu.targets import indicators
from dangvu.testing import user

pytestmark = pytest.mark.django_db
START, END = dt.date(2025, 1, 1), dt.date(2026, 12, 31)


def _handled(committee, actor, number, day, about, handler):
    letter = receive(committee, actor, number=number, day=day, about=about)
    services.screen(letter, screened_on=day, actor=actor)
    return services.route(letter, route="handle", routed_on=day, handlers=[handler], actor=actor)


def _conclude(letter, day, actor):
    return services.conclude(letter, outcome="unfounded", concluded_on=day, conclusion="Không có cơ sở", actor=actor)


@pytest.fixture
def merged(tree, people, cast, inspectors):
    """A: three letters (one concluded on its deadline, one the day after, one anonymous not handled); B1
    (under B): one concluded well in time; A and B merge into S on 01/10/2025; S: one concluded late, one
    being handled."""
    insp, insp_b = cast.inspector, inspectors["inspector_other"]
    duc, an, em = people["duc"], people["an"], people["em"]
    on_deadline = _handled(tree.a, insp, "1/ĐT", dt.date(2025, 3, 3), duc, people["binh"])
    _conclude(on_deadline, on_deadline.due_on, insp)
    day_after = _handled(tree.a, insp, "2/ĐT", dt.date(2025, 4, 1), duc, people["binh"])
    _conclude(day_after, day_after.due_on + dt.timedelta(days=1), insp)
    services.screen(
        receive(tree.a, insp, about=duc, number="3/ĐT", day=dt.date(2025, 5, 5), signed=Signed.ANONYMOUS),
        screened_on=dt.date(2025, 5, 5),
        actor=insp,
    )
    _conclude(_handled(tree.b_base, insp_b, "4/ĐT", dt.date(2025, 5, 5), em, an), dt.date(2025, 6, 2), insp_b)
    s = org_services.merge(
        [tree.a, tree.b],
        dt.date(2025, 10, 1),
        org_services.Document("01-QĐ/TU"),
        None,
        new=org_services.OrgSpec("S", "Đảng bộ Hợp nhất", OrgKind.DIRECT),
        parent=tree.city,
    ).created[0]
    insp_s = user("insp_s", Role.INSPECTION, s)
    late = _handled(s, insp_s, "5/ĐT", dt.date(2026, 4, 1), em, an)
    assert late.due_on < dt.date(2026, 11, 2)
    _conclude(late, dt.date(2026, 11, 2), insp_s)
    _handled(s, insp_s, "6/ĐT", dt.date(2026, 5, 4), em, an)
    return s


def _parts(result) -> dict[str, tuple]:
    return {p.organisation.code: (p.numerator, p.denominator) for p in result.parts}


def test_received_concluded_and_on_time_per_predecessor_and_combined(merged):
    received = indicators.get("letters.received")(merged, START, END)
    assert _parts(received) == {"S": (2, None), "A": (3, None), "B": (1, None)}
    assert received.value == 6 == sum(p.numerator for p in received.parts)
    concluded = indicators.get("letters.concluded")(merged, START, END)
    assert _parts(concluded) == {"S": (1, None), "A": (2, None), "B": (1, None)} and concluded.value == 4
    on_time = indicators.get("letters.on_time")(merged, START, END)
    assert _parts(on_time) == {"S": (0, 1), "A": (1, 2), "B": (1, 1)}
    assert (on_time.combined.numerator, on_time.combined.denominator) == (2, 4)
    assert on_time.value == Fraction(50) and str(on_time.shown()) == "50.00"


def test_without_lineage_and_a_past_period(merged):
    assert indicators.get("letters.received")(merged, START, END, lineage=False).value == 2
    assert indicators.get("letters.on_time")(merged, START, END, lineage=False).value == 0
    year_2025 = indicators.get("letters.received")(merged, START, dt.date(2025, 12, 31))
    assert _parts(year_2025) == {"S": (0, None), "A": (3, None), "B": (1, None)}
    # The period's last day: the letter of 04/05/2026 is in a period ending that day, not the day before.
    assert indicators.get("letters.received")(merged, dt.date(2026, 1, 1), dt.date(2026, 5, 4)).value == 2
    assert indicators.get("letters.received")(merged, dt.date(2026, 1, 1), dt.date(2026, 5, 3)).value == 1
    # No letter concluded: no share.
    assert indicators.get("letters.on_time")(merged, dt.date(2026, 5, 1), END).value is None
