"""Organisation pages: the tree, its HTMX children, the organisation page and its past-date counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu import testing
from dangvu.members.models import Member
from dangvu.orgs import services as s
from dangvu.orgs.models import Committee, CommitteeSeat, LeadershipAssignment, OrgKind, Position, Term

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)
DOC = s.Document(number="45-QĐ/ĐU", date=dt.date(2025, 6, 20), issuer="Ban Thường vụ Đảng ủy")


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.TWO_FACTOR_REQUIRED = False


def as_user(client, user):
    client.force_login(user)
    return client


def codes(nodes):
    return [n.org.code for n in nodes]


# --- tree ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "root", "children"),
    [
        ("admin", "TP", ["A", "B"]),
        ("office", "A", ["A2", "A1"]),
        ("inspector", "A", ["A2", "A1"]),
        ("leader", "A", ["A2", "A1"]),
        ("secretary", "A1-C1", []),
        ("outsider", "B", ["B1"]),
    ],
)
def test_tree_starts_at_the_users_home(client, cast, who, root, children):
    response = as_user(client, getattr(cast, who)).get(reverse("orgs:tree"))
    assert response.status_code == 200
    [(top, kids)] = response.context["sections"]
    assert top.org.code == root
    assert sorted(codes(kids)) == sorted(children)


def test_tree_counts_members_of_each_subtree(client, cast, tree):
    response = as_user(client, cast.office).get(reverse("orgs:tree"))
    [(top, kids)] = response.context["sections"]
    counts = {n.org.code: n.members for n in kids}
    assert top.members == Member.objects.filter(organisation__path__startswith=tree.a.path).count() == 3
    assert counts == {"A1": 3, "A2": 0}
    body = response.content.decode()
    assert "Đảng bộ Sở Một" in body and "Đảng bộ khối B" not in body
    assert reverse("orgs:children", args=[tree.a_base.pk]) in body  # expandable, loaded by HTMX


@pytest.mark.parametrize("who", ["member", "nobody"])
def test_tree_denied_without_a_staff_role(client, cast, who):
    assert as_user(client, getattr(cast, who)).get(reverse("orgs:tree")).status_code == 403


def test_tree_needs_login(client, tree):
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_children_partial_and_scope(client, cast, tree):
    url = reverse("orgs:children", args=[tree.a_base.pk])
    response = as_user(client, cast.office).get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert sorted(codes(response.context["nodes"])) == ["A1-C1", "A1-C2"]
    assert {n.org.code: n.members for n in response.context["nodes"]} == {"A1-C1": 2, "A1-C2": 1}
    assert "<html" not in response.content.decode()
    for who in ("outsider", "secretary", "member", "nobody"):
        assert as_user(client, getattr(cast, who)).get(url).status_code == 404, who
    client.logout()
    assert client.get(url).status_code == 302


def test_former_organisations_hidden_behind_a_toggle(client, cast, tree):
    s.merge([tree.c2], DAY, DOC, None, into=tree.c1)
    s.dissolve(tree.a_cell_base, DAY, DOC, None)
    c = as_user(client, cast.office)
    response = c.get(reverse("orgs:tree"))
    [(_top, kids)] = response.context["sections"]
    assert codes(kids) == ["A1"]
    response = c.get(reverse("orgs:tree") + "?former=1")
    [(_top, kids)] = response.context["sections"]
    assert codes(kids) == ["A1", "A2"]  # former ones last
    former = kids[1]
    assert "01/07/2025" in former.ended and "org-former" in response.content.decode()
    children = c.get(reverse("orgs:children", args=[tree.a_base.pk]))
    assert codes(children.context["nodes"]) == ["A1-C1"]
    # A merged cell is not a subordinate of its successor: it shows, greyed, where it was, merged into C1.
    children = c.get(reverse("orgs:children", args=[tree.c1.pk]) + "?former=1")
    assert codes(children.context["nodes"]) == []
    children = c.get(reverse("orgs:children", args=[tree.a_base.pk]) + "?former=1")
    assert codes(children.context["nodes"]) == ["A1-C1", "A1-C2"]
    merged, dissolved = children.context["nodes"][1].ended, former.ended
    assert "01/07/2025" in merged and merged != dissolved  # merged and dissolved are told apart
    assert "Chi bộ Phòng Một" in merged
    assert children.context["nodes"][1].members == 0


def _grow(tree, n):
    """More grassroots organisations, cells and members under A (and more reorganisation history)."""
    for i in range(n):
        base = testing.org(tree.a, f"AX{n}{i}", f"Đảng bộ thêm {n}{i}", OrgKind.GRASSROOTS_COMMITTEE)
        for j in range(2):
            cell = testing.org(base, f"AX{n}{i}-{j}", f"Chi bộ thêm {n}{i}{j}", OrgKind.CELL)
            testing.member(cell)
            testing.member(cell)
        testing.org(tree.a_base, f"A1X{n}{i}", f"Chi bộ A1 thêm {n}{i}", OrgKind.CELL)
        testing.member(tree.c1)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_tree_query_budget_is_constant(client, cast, tree, django_assert_max_num_queries):
    s.dissolve(testing.org(tree.a, "AZ", "Chi bộ cũ", OrgKind.GRASSROOTS_CELL), DAY, DOC, None)
    c = as_user(client, cast.office)
    urls = [reverse("orgs:tree"), reverse("orgs:tree") + "?former=1", reverse("orgs:children", args=[tree.a_base.pk])]
    before = [_count(c, url) for url in urls]
    _grow(tree, 4)
    s.dissolve(testing.org(tree.a, "AZ2", "Chi bộ cũ 2", OrgKind.GRASSROOTS_CELL), DAY, DOC, None)
    s.dissolve(testing.org(tree.a_base, "A1Z", "Chi bộ cũ 3", OrgKind.CELL), DAY, DOC, None)
    for url, budget in zip(urls, before, strict=True):
        with django_assert_max_num_queries(budget):
            response = c.get(url)
        assert response.status_code == 200
    assert len(c.get(urls[0]).context["sections"][0][1]) == 2 + 4


# --- organisation page -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "org", "status"),
    [
        ("admin", "a_base", 200),
        ("office", "a_base", 200),
        ("inspector", "a_base", 200),
        ("leader", "a_base", 200),
        ("secretary", "c1", 200),
        ("secretary", "a_base", 404),
        ("outsider", "a_base", 404),
        ("outsider", "c3", 200),
        ("member", "c1", 404),
        ("nobody", "c1", 404),
    ],
)
def test_detail_access(client, cast, tree, who, org, status):
    response = as_user(client, getattr(cast, who)).get(reverse("orgs:detail", args=[getattr(tree, org).pk]))
    assert response.status_code == status


def test_detail_needs_login(client, tree):
    response = client.get(reverse("orgs:detail", args=[tree.a.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def _committee(tree, people):
    term = Term.objects.create(code="2025-2030", start=dt.date(2025, 9, 1), end=dt.date(2030, 9, 1))
    committee = Committee.objects.create(organisation=tree.a, term=term, elected_on=dt.date(2025, 9, 20))
    seat = CommitteeSeat.objects.create(
        committee=committee, member=people["an"], position=Position.SECRETARY, valid_from=dt.date(2025, 9, 20)
    )
    LeadershipAssignment.objects.create(
        seat=seat, organisation=tree.a_base, valid_from=dt.date(2025, 10, 1), document_number="7-QĐ/ĐU"
    )
    return committee


def test_detail_shows_facts_committee_leadership_and_members_link(client, cast, tree, people):
    _committee(tree, people)
    c = as_user(client, cast.office)
    page = c.get(reverse("orgs:detail", args=[tree.a.pk]))
    body = page.content.decode()
    assert page.context["members"] == 3
    assert [a.code for a in page.context["ancestors"]] == ["TP"]
    assert not page.context["ancestors"][0].visible  # the city is outside the office's scope: no link
    assert reverse("orgs:detail", args=[tree.city.pk]) not in body
    assert f"{reverse('members:list')}?organisation={tree.a.pk}" in body
    assert "Nguyễn Văn An" in body and "2025-2030" in body
    [committee] = page.context["committees"]
    [seat] = committee.ordered_seats
    assert [a.organisation.code for a in seat.assignments.all()] == ["A1"]
    assert sorted(codes(page.context["children"])) == ["A1", "A2"]
    # The other way round: who is in charge of A1.
    page = c.get(reverse("orgs:detail", args=[tree.a_base.pk]))
    assert [a.seat.member.full_name for a in page.context["in_charge"]] == ["Nguyễn Văn An"]
    assert "7-QĐ/ĐU" in page.content.decode()
    assert [a.code for a in page.context["ancestors"]] == ["TP", "A"]
    assert page.context["ancestors"][1].visible


def test_detail_reorganisation_history_and_lineage(client, cast, tree):
    s.merge([tree.c2], DAY, DOC, None, into=tree.c1)
    s.rename(tree.c1, "Chi bộ Phòng Một Hai", DAY, s.Document(number="46-QĐ/ĐU"), None)
    c = as_user(client, cast.office)
    page = c.get(reverse("orgs:detail", args=[tree.c1.pk]))
    body = page.content.decode()
    rows = page.context["reorganisations"]
    assert {r.document_number for r, _before, _after in rows} >= {"45-QĐ/ĐU", "46-QĐ/ĐU"}
    assert [r.kind for r, _before, _after in rows][-1] == "create"  # the establishment comes last
    rename = next(row for row in rows if row[0].document_number == "46-QĐ/ĐU")
    assert rename[1:] == ("Chi bộ Phòng Một", "Chi bộ Phòng Một Hai")
    assert [p.code for p in page.context["predecessors"]] == ["A1-C2"]
    assert "Ban Thường vụ Đảng ủy" in body and "01/07/2025" in body
    former = c.get(reverse("orgs:detail", args=[tree.c2.pk]))
    assert [o.code for step in former.context["became"] for o in step.orgs] == ["A1-C1"]
    assert "01/07/2025" in former.context["ended"]
    assert not former.context["can_reorganise"]


def test_members_on_a_past_date_with_and_without_lineage(client, cast, tree):
    s.merge([tree.c2], DAY, DOC, None, into=tree.c1)
    c = as_user(client, cast.office)
    page = c.get(reverse("orgs:detail", args=[tree.c1.pk]), {"on": "01/01/2025"})
    assert page.context["count_result"]["own"] == 2
    assert page.context["count_result"]["lineage"] == 3
    partial = c.get(reverse("orgs:count_on", args=[tree.c1.pk]), {"on": "01/08/2025"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    assert partial.context["count_result"]["own"] == 3
    bad = c.get(reverse("orgs:count_on", args=[tree.c1.pk]), {"on": "31/02/2025"}, HTTP_HX_REQUEST="true")
    assert bad.context["count_result"] is None and bad.context["count_form"].errors
    # Without HTMX the form falls back to the organisation page.
    plain = c.get(reverse("orgs:count_on", args=[tree.c1.pk]), {"on": "01/01/2025"})
    assert plain.status_code == 302 and plain.url.startswith(reverse("orgs:detail", args=[tree.c1.pk]))
    assert as_user(client, cast.outsider).get(reverse("orgs:count_on", args=[tree.c1.pk])).status_code == 404


def test_audit_history_only_with_the_audit_capability(client, cast, tree):
    s.rename(tree.c1, "Chi bộ Phòng Một mới", DAY, DOC, cast.office)
    url = reverse("orgs:detail", args=[tree.c1.pk])
    for who in ("admin", "office", "inspector", "leader"):
        audit = as_user(client, getattr(cast, who)).get(url).context["audit"]
        assert audit is not None and len(audit) == 2, who
        assert audit[0]["record"].history_user == cast.office
        assert any(old == "Chi bộ Phòng Một" for _label, old, _new in audit[0]["changes"])
    page = as_user(client, cast.secretary).get(url)
    assert page.status_code == 200 and page.context["audit"] is None


def test_detail_query_budget_is_constant(client, cast, tree, people, django_assert_max_num_queries):
    _committee(tree, people)
    c = as_user(client, cast.admin)
    urls = [reverse("orgs:detail", args=[tree.a.pk]), reverse("orgs:detail", args=[tree.a_base.pk]) + "?on=01/01/2025"]
    before = [_count(c, url) for url in urls]
    _grow(tree, 4)
    committee = Committee.objects.get(organisation=tree.a)
    for i, member in enumerate(Member.objects.filter(organisation=tree.c1)[:3]):
        seat = CommitteeSeat.objects.create(
            committee=committee, member=member, position=Position.COMMITTEE_MEMBER, valid_from=dt.date(2025, 9, 20)
        )
        LeadershipAssignment.objects.create(seat=seat, organisation=tree.c2, valid_from=dt.date(2025, 10, 1))
        LeadershipAssignment.objects.create(seat=seat, organisation=tree.a_base, valid_from=dt.date(2025, 10, i + 1))
    s.rename(tree.a, "Đảng bộ các cơ quan A mới", DAY, DOC, None)
    s.rename(tree.a_base, "Đảng bộ Sở Một mới", DAY, DOC, None)
    for url, budget in zip(urls, before, strict=True):
        with django_assert_max_num_queries(budget):
            response = c.get(url)
        assert response.status_code == 200
    assert len(c.get(urls[0]).context["children"]) == 2 + 4
