"""The member list: access per role, scope, filters, diacritic-free search, Vietnamese order, pagination,
the HTMX fragment and a query budget that does not grow with the number of rows."""

import datetime as dt
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu import testing
from dangvu.members.models import EventKind
from dangvu.members.services import record_event

pytestmark = pytest.mark.django_db
LIST = reverse("members:list")


def names(response) -> list[str]:
    return [m.full_name for m in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("office", 200),
        ("inspector", 200),
        ("leader", 200),
        ("secretary", 200),
        ("outsider", 200),
        ("member", 403),  # a plain member sees their own record, not a list
        ("nobody", 403),
    ],
)
def test_list_access_per_role(client, cast, role, status):
    client.force_login(getattr(cast, role))
    assert client.get(LIST).status_code == status


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_list_is_limited_to_scope(client, cast):
    client.force_login(cast.office)
    assert sorted(names(client.get(LIST))) == ["Lê Minh Đức", "Nguyễn Văn An", "Trần Thị Bình"]
    client.force_login(cast.secretary)
    assert sorted(names(client.get(LIST))) == ["Nguyễn Văn An", "Trần Thị Bình"]
    client.force_login(cast.outsider)
    page = client.get(LIST)
    assert names(page) == ["Phạm Thị Em"]
    assert "Nguyễn Văn An".encode() not in page.content


def test_organisation_select_offers_only_the_users_organisations(client, cast, tree):
    client.force_login(cast.office)
    offered = {pk for pk, _label in client.get(LIST).context["org_options"]}
    assert {tree.a.pk, tree.a_base.pk, tree.c1.pk, tree.c2.pk, tree.a_cell_base.pk} == offered
    client.force_login(cast.outsider)
    offered = {pk for pk, _label in client.get(LIST).context["org_options"]}
    assert tree.c1.pk not in offered and tree.c3.pk in offered


def test_filters_organisation_status_sex(client, cast, tree, people):
    client.force_login(cast.office)
    assert names(client.get(LIST, {"organisation": tree.c2.pk})) == ["Lê Minh Đức"]
    assert names(client.get(LIST, {"sex": "F"})) == ["Trần Thị Bình"]
    # An organisation outside the scope gives nothing, not B's members.
    assert names(client.get(LIST, {"organisation": tree.c3.pk})) == []
    record_event(people["duc"], kind=EventKind.DEATH, date=dt.date(2024, 1, 2), actor=cast.office)
    assert "Lê Minh Đức" not in names(client.get(LIST))  # default: in the Party only
    assert "Lê Minh Đức" in names(client.get(LIST, {"status": ""}))
    assert names(client.get(LIST, {"status": "deceased"})) == ["Lê Minh Đức"]


def test_search_without_diacritics_and_with_nfd_input(client, cast):
    client.force_login(cast.office)
    assert names(client.get(LIST, {"q": "nguyen van an"})) == ["Nguyễn Văn An"]
    assert names(client.get(LIST, {"q": "NGUYEN an"})) == ["Nguyễn Văn An"]
    assert names(client.get(LIST, {"q": "duc"})) == ["Lê Minh Đức"]  # đ folds to d
    nfd = unicodedata.normalize("NFD", "Trần Thị Bình")
    assert nfd != "Trần Thị Bình"
    assert names(client.get(LIST, {"q": nfd})) == ["Trần Thị Bình"]
    assert names(client.get(LIST, {"q": "phạm thị em"})) == []  # committee B: out of scope


def test_vietnamese_sort_order_on_the_page(client, cast, tree):
    for name in ["Võ Thị Ân", "Hồ Văn Ăn", "Phan Văn Dũng", "Đỗ Thị Anh"]:
        testing.member(tree.c1, name)
    client.force_login(cast.secretary)
    # By given name, letter by letter in Vietnamese alphabet order (a < ă < â, d < đ), not by family name.
    expected = ["Nguyễn Văn An", "Đỗ Thị Anh", "Hồ Văn Ăn", "Võ Thị Ân", "Trần Thị Bình", "Phan Văn Dũng"]
    page = client.get(LIST)
    assert names(page) == expected
    html = page.content.decode()
    positions = [html.index(name) for name in expected]
    assert positions == sorted(positions)  # rendered in that order too
    assert names(client.get(LIST, {"sort": "-name"})) == list(reversed(expected))


def test_sort_by_birth_and_admission(client, cast, tree):
    testing.member(tree.c1, "Mai Văn Cả", birth=dt.date(1970, 1, 1), admitted=dt.date(2000, 1, 1))
    client.force_login(cast.secretary)
    assert names(client.get(LIST, {"sort": "birth"}))[0] == "Mai Văn Cả"
    assert names(client.get(LIST, {"sort": "admission"}))[0] == "Mai Văn Cả"
    assert names(client.get(LIST, {"sort": "-birth"}))[-1] == "Mai Văn Cả"


def test_pagination_shows_total_and_page_size(client, cast, settings):
    settings.PAGE_SIZE = 2
    client.force_login(cast.office)
    first = client.get(LIST)
    assert first.context["page"].paginator.count == 3
    assert len(names(first)) == 2
    assert 'rel="next"' in first.content.decode()
    second = client.get(LIST, {"page": 2})
    assert len(names(second)) == 1
    assert set(names(first)) | set(names(second)) == {"Lê Minh Đức", "Nguyễn Văn An", "Trần Thị Bình"}
    assert client.get(LIST, {"page": "999"}).context["page"].number == 2  # out of range: last page


def test_htmx_request_gets_the_results_fragment(client, cast):
    client.force_login(cast.office)
    fragment = client.get(LIST, {"q": "nguyen van an"}, headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in body and 'id="result-count"' in body and "Nguyễn Văn An" in body
    assert "Trần Thị Bình" not in body
    assert "HX-Request" in fragment["Vary"]
    full = client.get(LIST, {"q": "nguyen van an"})  # without JavaScript: the whole page
    assert "<html" in full.content.decode() and 'hx-get="' in full.content.decode()


def test_export_link_carries_the_filters_and_only_for_export_capability(client, cast):
    client.force_login(cast.office)
    body = client.get(LIST, {"q": "an", "sex": "M", "page": 1}).content.decode()
    assert f'href="{reverse("members:export")}?q=an&amp;sex=M"' in body  # the page is not part of it


def test_list_query_count_is_constant_in_rows(client, cast, tree, django_assert_max_num_queries):
    client.force_login(cast.office)
    client.get(LIST)  # warm the session

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for _ in range(20):
        testing.member(tree.c2)
    with django_assert_max_num_queries(18):  # session, user, one per capability asked, count, page, orgs
        client.get(LIST)
    assert count() == small
