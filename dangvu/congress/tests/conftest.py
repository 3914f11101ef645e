"""Shared world of the congress tests: the 2025–2030 term and a members' congress of Đảng bộ Sở Một (A1)."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.congress import services
from dangvu.congress.models import CongressKind, CountingTeam
from dangvu.orgs.models import Term

OPENS, CLOSES = dt.date(2025, 9, 10), dt.date(2025, 9, 11)


@pytest.fixture
def term(db):
    return Term.objects.create(code="2025-2030", start=dt.date(2025, 9, 1), end=dt.date(2030, 8, 31))


@pytest.fixture
def voters(tree, people):
    """Twenty official members of A1 (the three of `people` under A1 and seventeen more)."""
    more = [testing.member(tree.c1 if i % 2 else tree.c2, f"Đảng Viên Bầu {i:02d}") for i in range(17)]
    return [people["an"], people["binh"], people["duc"], *more]


@pytest.fixture
def congress(tree, term, voters, cast):
    congress = services.create_congress(tree.a_base, term, CongressKind.MEMBERS, OPENS, CLOSES, cast.office)
    services.convene_members(congress, cast.office)
    return congress


@pytest.fixture
def team(congress, voters):
    team = CountingTeam.objects.create(congress=congress, name="Tổ kiểm phiếu số 1", head=True)
    team.members.set(voters[2:5])  # not the cast's plain member (voters[0])
    return team
