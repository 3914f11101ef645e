"""Digital adoption, hand-computed: the members of a subtree whose account used the platform on a day of the
period, per role; the indicator for targets with its provenance (the records listed are the figure)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.urls import reverse

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.notify import stats
from dangvu.notify.activity import mark_active
from dangvu.notify.models import ActiveDay
from dangvu.targets import indicators
from dangvu.targets.provenance import Chain

pytestmark = pytest.mark.django_db
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


@pytest.fixture
def world(tree, people, cast):
    """Members of committee A: An (C1, the cast's member), Bình (C1), Đức (C2). Bình has an account too.
    Committee B: Em (C3). Activity: An on 1 March, Bình on 1 April (outside), Đức has no account; the
    secretary on 31 March, the office on 28 February (outside); Em's account on 15 March."""
    binh = testing.user("binh", Role.MEMBER, tree.c1, member_record=people["binh"])
    em = testing.user("em", Role.MEMBER, tree.c3, member_record=people["em"])
    for user, day in [
        (cast.member, dt.date(2026, 3, 1)),
        (binh, dt.date(2026, 4, 1)),
        (cast.secretary, dt.date(2026, 3, 31)),
        (cast.office, dt.date(2026, 2, 28)),
        (em, dt.date(2026, 3, 15)),
    ]:
        mark_active(user, day)
    return {"binh": binh, "em": em}


def test_adoption_of_a_subtree_in_a_period(tree, people, cast, world):
    a = stats.adoption(tree.a, *MARCH)
    # Members of A: An, Bình, Đức (3); active in March: An only.
    assert (a.member_count, a.active_count) == (3, 1)
    assert list(a.active_members) == [people["an"]]
    roles = {r.role: (r.users, r.active) for r in a.roles}
    # Roles held in A's subtree: office, inspection, leader (at A), secretary and two members (at C1).
    assert roles == {
        Role.OFFICE: (1, 0),  # active on 28 February only
        Role.INSPECTION: (1, 0),
        Role.LEADER: (1, 0),
        Role.CELL_SECRETARY: (1, 1),
        Role.MEMBER: (2, 1),  # An and Bình; Bình's day is in April
    }
    # April: Bình; the whole city in March: An and Em of 4.
    assert stats.adoption(tree.a, dt.date(2026, 4, 1), dt.date(2026, 4, 30)).active_count == 1
    city = stats.adoption(tree.city, *MARCH)
    assert (city.member_count, city.active_count) == (4, 2)
    # The period's boundaries on both sides: 1 March counts in [1 March, …], not in […, 28 February].
    assert stats.adoption(tree.a, dt.date(2026, 3, 1), dt.date(2026, 3, 1)).active_count == 1
    assert stats.adoption(tree.a, dt.date(2026, 2, 1), dt.date(2026, 2, 28)).active_count == 0


def test_one_mark_per_user_and_day(cast):
    day = dt.date(2026, 3, 2)
    mark_active(cast.member, day)
    mark_active(cast.member, day)
    assert ActiveDay.objects.filter(user=cast.member, day=day).count() == 1


def test_signing_in_marks_the_day(client, cast):
    client.force_login(cast.leader)
    assert ActiveDay.objects.filter(user=cast.leader).count() == 1


def test_the_indicator_equals_the_statistics_and_its_records(tree, people, world):
    result = indicators.get("notify.adoption")(tree.a, *MARCH)
    assert result.value == Fraction(100, 3)  # 1 of 3
    assert str(result.shown()) == "33.33"
    (part,) = result.parts
    records = Chain([(part.organisation, part.records)])
    base = Chain([(part.organisation, part.base)])
    assert records.count() == part.numerator == 1 and [m for _o, m in records[0:10]] == [people["an"]]
    assert base.count() == part.denominator == 3


def test_adoption_page_scope(client, tree, cast, world):
    url = reverse("notify:adoption")
    for name in ("member", "secretary", "inspector"):
        client.force_login(getattr(cast, name))
        assert client.get(url).status_code == 403, name
    client.force_login(cast.leader)
    page = client.get(url, {"organisation": tree.a.pk, "start": "01/03/2026", "end": "31/03/2026"}).content.decode()
    assert 'id="members-active"' in page and "1" in page
    client.force_login(cast.outsider)
    page = client.get(url, {"organisation": tree.a.pk, "start": "01/03/2026", "end": "31/03/2026"}).content.decode()
    assert 'id="members-active"' not in page  # A is not a choice of B's office
