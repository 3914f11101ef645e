"""Members' statistics (dangvu.members.stats): the increase and decrease of a period counted where each
member arrived or left — transfers out of the system and to another cell, transfers in, a move between cells
across two subtrees (the "other" line) — so that opening + increase − decrease + other = closing for every
organisation; the breakdowns add up to the members in the Party. Figures counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.members import services, stats
from dangvu.members.models import EventKind

pytestmark = pytest.mark.django_db
START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 1)


@pytest.fixture
def moves(tree, people):
    """People (conftest): An, Bình in C1 and Đức in C2 (A); Em in C3 (B). In 2026: Bình transfers out of the
    system (01/04); Đức transfers to C3 (letter 01/05, received 10/05); Hoa, admitted elsewhere in 2010,
    transfers into C2 (01/06); Em moves from C3 to C1 (01/07)."""
    services.record_event(
        people["binh"], kind=EventKind.TRANSFER_OUT, date=dt.date(2026, 4, 1), external_organisation="Tỉnh khác"
    )
    services.record_event(people["duc"], kind=EventKind.TRANSFER_OUT, date=dt.date(2026, 5, 1), organisation=tree.c3)
    services.record_event(people["duc"], kind=EventKind.TRANSFER_IN, date=dt.date(2026, 5, 10), organisation=tree.c3)
    hoa = services.create_member(
        {
            "full_name": "Võ Thị Hoa",
            "sex": "F",
            "birth_date": dt.date(1990, 2, 3),
            "citizen_id": testing.new_citizen_id("F", dt.date(1990, 2, 3)),
        },
        [
            {"kind": EventKind.ADMISSION, "date": dt.date(2010, 1, 1), "external_organisation": "Tỉnh khác"},
            {"kind": EventKind.TRANSFER_IN, "date": dt.date(2026, 6, 1), "organisation": tree.c2},
        ],
    )
    services.record_event(people["em"], kind=EventKind.TRANSFER, date=dt.date(2026, 7, 1), organisation=tree.c1)
    return hoa


def test_movement_counts_each_arrival_and_departure_where_it_happened(tree, moves):
    a = stats.movement(tree.a, START, END)
    # A: An, Bình, Đức on the eve; Hoa in; Bình and Đức out; Em arrived from B by a move between cells.
    assert (a.opening, a.increase, a.decrease, a.other, a.closing) == (3, 1, 2, 1, 3)
    assert (a.events[EventKind.TRANSFER_IN], a.events[EventKind.TRANSFER_OUT]) == (1, 2)
    b = stats.movement(tree.b, START, END)
    # B: Em on the eve; Đức received; Em left by a move between cells.
    assert (b.opening, b.increase, b.decrease, b.other, b.closing) == (1, 1, 0, -1, 1)
    city = stats.movement(tree.city, START, END)
    # The city: Đức's transfer to C3 is out of C2 and into C3, both under the city; Em's move is inside it.
    assert (city.opening, city.increase, city.decrease, city.other, city.closing) == (4, 2, 2, 0, 4)
    assert {k: n for k, n in city.events.items() if n} == {EventKind.TRANSFER_IN: 2, EventKind.TRANSFER_OUT: 2}
    for m in (a, b, city):
        assert m.opening + m.increase - m.decrease + m.other == m.closing


def test_breakdowns_add_up_to_the_members_in_the_party(tree, moves):
    for org in (tree.a, tree.b, tree.city):
        total = stats.in_party(org, END)
        for name, fn in stats.BREAKDOWNS.items():
            assert sum(fn(org, END).values()) == total, (org.code, name)
    # A on 01/12/2026: An (M, 1985), Em (F, 1985), Hoa (F, born 03/02/1990: 36; admitted 2010: 16 years).
    assert stats.by_sex(tree.a, END) == {"M": 1, "F": 2}
    assert stats.by_age_band(tree.a, END)["31-40"] == 1 and stats.by_age_band(tree.a, END)["41-50"] == 2
    assert stats.by_party_age(tree.a, END)["10-19"] == 3  # An and Em admitted 2016 (10 years), Hoa 2010 (16)
    assert stats.by_status(tree.a, END) == {"official": 2, "probationary": 1}  # Hoa: no recognition recorded
