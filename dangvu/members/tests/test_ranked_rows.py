"""A ranked name search's page fetched rank group by rank group (search.RankedRows, issue 10 item 5) gives
exactly the rows, in exactly the order, of the one query sorted on the rank expression — for every window
of every page size, both name orders, on SQLite and PostgreSQL; and the list page and the API use it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu import testing
from dangvu.accounts.models import ApiToken
from dangvu.members.filters import MemberFilter
from dangvu.members.models import Member
from dangvu.members.search import RankedRows

pytestmark = pytest.mark.django_db

# Three rank groups for "le van an": exact (3: one with other names, one "Ân"), given name An (4), the rest (4).
NAMES = [
    "Lê Văn An",
    "Lê Văn An",
    "Lê Thị Vân An",
    "Lê Văn Thành An",
    "Trần Lê Văn An",
    "Lê Minh Văn An",
    "Lê Văn Anh",
    "Lê Văn Ánh",
    "Lê Văn Ân",
    "Lê Văn Anh Tuấn",
    "Phạm Lê Văn Anh",
    "Lê Văn Toàn",  # "an" only inside a word: not matched
    "Nguyễn Văn An",  # no word starting with "le": not matched
]


@pytest.fixture
def crowd(tree):
    made = [testing.member(tree.c1, name) for name in NAMES]
    made[1].other_names = "Ba"
    made[1].save()
    return made


def _ids(rows) -> list[int]:
    return [m.pk for m in rows]


@pytest.mark.parametrize("sort", ["name", "-name"])
@pytest.mark.parametrize("query", ["le van an", "an", "van", "le"])
def test_every_window_equals_the_single_ranked_query(crowd, sort, query):
    member_filter = MemberFilter(q=query, sort=sort)
    qs = member_filter.apply(Member.objects.all())
    expected = _ids(qs)  # ordered by ("search_rank", name order, id): the reference
    rows = member_filter.rows(qs)
    assert isinstance(rows, RankedRows)
    assert len(expected) >= 2 and rows.count() == len(expected)
    for size in (1, 2, 3, 5, 50):
        for start in range(len(expected) + 2):
            assert _ids(rows[start : start + size]) == expected[start : start + size], (size, start)


def test_the_groups_are_the_three_ranks_in_order(crowd):
    member_filter = MemberFilter(q="le van an")
    qs = member_filter.apply(Member.objects.all())
    ranks = [m.search_rank for m in member_filter.rows(qs)[0:50]]
    assert ranks == sorted(ranks) and set(ranks) == {0, 1, 2}
    assert ranks.count(0) == 3 and ranks.count(1) == 4 and ranks.count(2) == 4  # "Lê Văn Ân" folds to an exact match


def test_other_searches_and_sorts_are_plain_querysets(crowd):
    qs = Member.objects.all()
    for member_filter in (MemberFilter(q=""), MemberFilter(q="le", sort="birth"), MemberFilter(q="123456")):
        assert member_filter.rows(member_filter.apply(qs)) is not None
        assert not isinstance(member_filter.rows(member_filter.apply(qs)), RankedRows)
    with pytest.raises(TypeError):
        RankedRows(qs, (), ("name_sort",))[3]


def test_a_first_page_filled_by_the_first_group_asks_nothing_of_the_others(tree):
    for i in range(4):
        testing.member(tree.c1, "Lê Văn An", other_names=f"Bí danh {i}")
    testing.member(tree.c1, "Lê Văn Anh")
    member_filter = MemberFilter(q="le van an")
    rows = member_filter.rows(member_filter.apply(Member.objects.all()))
    with CaptureQueriesContext(connection) as queries:
        page = rows[0:3]
    assert len(page) == 3 and len(queries.captured_queries) == 1


def test_list_page_and_api_show_the_ranked_order(client, cast, tree, crowd):
    in_scope = Member.objects.filter(org_path__startswith=tree.a.path)
    expected = [m.pk for m in MemberFilter(q="le van an").apply(in_scope)]
    assert len(expected) == 11
    client.force_login(cast.office)
    page = client.get(reverse("members:list"), {"q": "le van an"})
    assert page.status_code == 200
    assert [m.pk for m in page.context["page"].object_list] == expected
    _token, key = ApiToken.issue(cast.office)
    answer = client.get(
        "/api/v1/members", {"q": "le van an", "limit": 3, "offset": 5}, headers={"Authorization": f"Bearer {key}"}
    )
    assert answer.status_code == 200, answer.content
    assert [item["id"] for item in answer.json()["items"]] == expected[5:8]
    assert answer.json()["count"] == 11


@pytest.mark.parametrize("sort", ["name", "-name"])
def test_a_small_scope_sorted_by_name_gives_the_same_page_without_the_name_index(tree, sort):
    from dangvu.members.filters import SORTED_BY_INDEX_FROM
    from dangvu.members.listing import Total

    for name in ("Lê Văn An", "Lê Văn An", "Trần Thị Bình", "Nguyễn Văn Anh", "Phạm Thị Em", "Võ Minh Đức", "Đỗ An"):
        testing.member(tree.c1, name)
    member_filter = MemberFilter(sort=sort)
    qs = member_filter.apply(Member.objects.all())
    expected = _ids(qs)
    small = member_filter.rows(qs, Total(len(expected)))
    assert "CONCAT" in str(small.query).upper() or "||" in str(small.query)
    for start in range(len(expected)):
        assert _ids(small[start : start + 3]) == expected[start : start + 3]
    # from the threshold, or when the total is an estimate, the page reads along the index as before
    assert member_filter.rows(qs, Total(SORTED_BY_INDEX_FROM)) is qs
    assert member_filter.rows(qs, Total(10, estimated=True)) is qs
    assert member_filter.rows(qs) is qs
