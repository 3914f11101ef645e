"""The member list's count: exact from the maintained counts for the plain list, exact up to a threshold
otherwise, and past it an estimate on PostgreSQL ("about 176,000"); page and API (issue 10 item 5)."""

import pytest
from django.db import connection
from django.urls import reverse

from dangvu import testing
from dangvu.accounts.scope import members_for
from dangvu.members import listing
from dangvu.members.filters import MemberFilter
from dangvu.members.models import CellCount

pytestmark = pytest.mark.django_db


def total(user, **params):
    member_filter = MemberFilter(**params)
    return listing.total(user, member_filter, member_filter.apply(members_for(user), user=user))


def test_rounding_to_three_significant_digits():
    assert [listing._round(n) for n in (7, 999, 2001, 176_234, 6_066_222)] == [7, 999, 2000, 176_000, 6_070_000]


def test_plain_list_is_counted_from_the_maintained_counts(cast, tree, people, django_assert_max_num_queries):
    assert total(cast.office) == listing.Total(3)
    assert total(cast.admin) == listing.Total(4)
    assert total(cast.secretary) == listing.Total(2)
    assert total(cast.office, organisation_id=tree.c2.pk) == listing.Total(1)
    assert total(cast.office, organisation_id=tree.c3.pk) == listing.Total(0)  # outside the office's scope
    assert total(cast.secretary, organisation_id=tree.a.pk) == listing.Total(2)  # the part of A it sees
    assert total(cast.member) == listing.Total(1)  # own record, counted directly
    CellCount.objects.filter(organisation=tree.c1).update(in_party=5000)  # where the number comes from
    with django_assert_max_num_queries(2):
        assert total(cast.office) == listing.Total(5001)
    # with a search or another filter the rows are counted
    assert total(cast.office, q="nguyen") == listing.Total(1)
    assert total(cast.office, status="") == listing.Total(3)


def test_past_the_threshold_postgresql_estimates(cast, tree, people, monkeypatch):
    monkeypatch.setattr(listing, "EXACT_UP_TO", 2)
    for i in range(4):
        testing.member(tree.c1, f"Nguyễn Văn Số {i}")
    counted = listing.count(MemberFilter(q="nguyen").apply(members_for(cast.office)), exact_up_to=2)
    if connection.vendor == "postgresql":
        assert counted.estimated and counted.count >= 3  # never below what was seen
    else:
        assert counted == listing.Total(5)  # SQLite counts exactly
    assert listing.count(MemberFilter(q="tran").apply(members_for(cast.office)), exact_up_to=2) == listing.Total(1)


def test_page_and_api_say_about(client, cast, tree, people, monkeypatch):
    from dangvu.api.tests.conftest import ApiClient

    original = listing.count
    monkeypatch.setattr(listing, "count", lambda qs, exact_up_to=2: original(qs, exact_up_to=2))
    for i in range(4):
        testing.member(tree.c1, f"Nguyễn Văn Số {i}")
    client.force_login(cast.office)
    page = client.get(reverse("members:list"), {"q": "nguyen"}).content.decode()
    body = ApiClient(client, cast.office, None).get("/members", q="nguyen").json()
    plain = ApiClient(client, cast.office, None).get("/members").json()
    assert plain["count"] == 7 and plain["count_estimated"] is False
    if connection.vendor == "postgresql":
        assert "khoảng" in page and body["count_estimated"] is True
    else:
        assert "5 đảng viên" in page and "khoảng" not in page
        assert body["count"] == 5 and body["count_estimated"] is False
