"""The dashboard counts only what the user may see."""

import pytest

from dangvu import testing

pytestmark = pytest.mark.django_db


def test_dashboard_counts_are_scoped(client, cast):
    client.force_login(cast.office)
    page = client.get("/")
    assert page.status_code == 200
    assert page.context["in_party"] == 3  # committee A: An, Bình, Đức — not Em of committee B
    client.force_login(cast.outsider)
    assert client.get("/").context["in_party"] == 1
    client.force_login(cast.admin)
    assert client.get("/").context["in_party"] == 4


def test_dashboard_changes_this_year_and_by_organisation(client, cast, tree):
    from django.utils import timezone

    from dangvu.members.models import EventKind
    from dangvu.members.services import record_event

    an = cast.member.member
    record_event(an, kind=EventKind.EXEMPTION, date=timezone.localdate(), actor=cast.office)
    client.force_login(cast.office)
    context = client.get("/").context
    assert dict(context["changes"])[EventKind.EXEMPTION.label] == 1
    top, children = context["org_rows"][0]
    assert top == tree.a and dict(children)[tree.a_base] == 3


def test_member_and_nobody_have_no_dashboard(client, cast):
    client.force_login(cast.member)
    response = client.get("/")  # the member's home (dangvu/web/tests/test_member_home.py)
    assert response.status_code == 200 and "deadlines" not in response.context and "in_party" not in response.context
    client.force_login(cast.nobody)
    assert client.get("/").status_code == 403


def test_dashboard_query_count_does_not_grow_with_members(client, cast, tree, django_assert_max_num_queries):
    client.force_login(cast.office)
    client.get("/")  # warm the session
    # 25: a few per alert source (reviews: issue 11; password requests: issue 9 item 17; inspection
    # remediation: issue 12 item 1; the open issues of review suggestions, one query: issue 12 item 5; the
    # targets' early warnings, one query while no resolution of a running term has targets: issue 13 item 7)
    with django_assert_max_num_queries(25) as first:
        client.get("/")
    for _ in range(15):
        testing.member(tree.c2)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/")
