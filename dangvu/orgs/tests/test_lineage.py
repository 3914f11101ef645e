"""Lineage on the organisation pages (issue 9 item 13): a merged organisation is not a subordinate of its
successor; the successor shows what it was formed from, the predecessor what it went into, and the parent's
reorganisation history includes its children's."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.orgs import services as s
from dangvu.orgs.models import OrgKind, ReorgKind

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)
DOC = s.Document(number="45-QĐ/ĐU", date=dt.date(2025, 6, 20), issuer="Ban Thường vụ Đảng ủy")


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.TWO_FACTOR_REQUIRED = False


def page(client, user, org, query=""):
    client.force_login(user)
    response = client.get(reverse("orgs:detail", args=[org.pk]) + query)
    assert response.status_code == 200
    return response


def codes(items):
    return [getattr(item, "org", item).code for item in items]


def merge_into_new(tree):
    spec = s.OrgSpec("A1-C12", "Chi bộ Phòng Một Hai", OrgKind.CELL)
    return s.merge([tree.c1, tree.c2], DAY, DOC, None, new=spec).created[0]


def test_merged_cells_are_lineage_of_the_new_cell_not_its_subordinates(client, cast, tree):
    new = merge_into_new(tree)
    response = page(client, cast.office, new)
    assert response.context["children"] == []
    [step] = response.context["formed_from"]
    assert step.reorganisation.kind == ReorgKind.MERGE and codes(step.orgs) == ["A1-C2", "A1-C1"]  # in name order
    body = response.content.decode()
    assert "Quá trình hình thành" in body and "Hình thành từ" in body
    assert "Không có tổ chức trực thuộc" in body  # the subordinate section is empty
    lineage = body[body.index('id="lineage"') : body.index('id="members-on"')]
    for old in (tree.c1, tree.c2):
        assert reverse("orgs:detail", args=[old.pk]) in lineage
    assert "45-QĐ/ĐU" in lineage and "01/07/2025" in lineage


def test_a_merged_cell_says_what_it_was_merged_into(client, cast, tree):
    new = merge_into_new(tree)
    response = page(client, cast.office, tree.c2)
    [step] = response.context["became"]
    assert codes(step.orgs) == ["A1-C12"]
    assert response.context["formed_from"] == []
    assert response.context["ended"] == "đã hợp nhất, sáp nhập vào Chi bộ Phòng Một Hai ngày 01/07/2025"
    body = response.content.decode()
    assert "Đã hợp nhất, sáp nhập vào" in body and reverse("orgs:detail", args=[new.pk]) in body


def test_the_parent_lists_the_new_cell_and_the_merged_ones_as_former_subordinates(client, cast, tree):
    merge_into_new(tree)
    response = page(client, cast.office, tree.a_base)
    children = response.context["children"]
    assert codes(children) == ["A1-C12", "A1-C2", "A1-C1"]  # in force first, then in name order
    assert children[0].ended == ""
    assert all("vào Chi bộ Phòng Một Hai" in node.ended for node in children[1:])


def test_the_parents_history_shows_the_merge_of_its_children(client, cast, tree):
    merge_into_new(tree)
    response = page(client, cast.office, tree.a_base)
    rows = response.context["reorganisations"]
    merge = [r for r, _before, _after in rows if r.kind == ReorgKind.MERGE]
    assert len(merge) == 1 and merge[0].concerns_child
    [(_r, before, after)] = [row for row in rows if row[0].kind == ReorgKind.MERGE]
    assert before == "Chi bộ Phòng Hai, Chi bộ Phòng Một" and after == "Chi bộ Phòng Một Hai"
    assert "của tổ chức trực thuộc" in response.content.decode()
    # Its own establishment is not "of a subordinate".
    own = [r for r, _b, _a in rows if r.kind == ReorgKind.CREATE and not r.concerns_child]
    assert [link.successor.code for r in own for link in r.links.all()] == ["A1"]
    # The grandparent lists its children's reorganisations only, not its grandchildren's.
    above = page(client, cast.office, tree.a).context["reorganisations"]
    assert not [r for r, _b, _a in above if r.kind == ReorgKind.MERGE]


def test_a_split_shows_both_ways_and_in_the_parents_history(client, cast, tree):
    specs = [
        s.OrgSpec("A1-C1a", "Chi bộ Phòng Một A", OrgKind.CELL),
        s.OrgSpec("A1-C1b", "Chi bộ Phòng Một B", OrgKind.CELL),
    ]
    first, second = s.split(tree.c1, specs, DAY, DOC, None).created
    old = page(client, cast.office, tree.c1)
    [step] = old.context["became"]
    assert codes(step.orgs) == ["A1-C1a", "A1-C1b"]
    assert "chia tách thành Chi bộ Phòng Một A, Chi bộ Phòng Một B" in old.context["ended"]
    assert "Đã chia tách thành" in old.content.decode()
    new = page(client, cast.office, second)
    [step] = new.context["formed_from"]
    assert step.reorganisation.kind == ReorgKind.SPLIT and codes(step.orgs) == ["A1-C1"]
    parent = page(client, cast.office, tree.a_base)
    assert ReorgKind.SPLIT in [r.kind for r, _b, _a in parent.context["reorganisations"]]
    assert {"A1-C1a", "A1-C1b", "A1-C1"} <= set(codes(parent.context["children"]))
    assert first.pk != second.pk


def test_a_child_moved_away_and_renamed_shows_in_the_parents_history(client, cast, tree):
    s.rename(tree.c2, "Chi bộ Phòng Hai mới", DAY, s.Document(number="50-QĐ/ĐU"), None)
    other = testing.org(tree.a, "A3", "Đảng bộ Sở Ba", OrgKind.GRASSROOTS_COMMITTEE)
    s.move(tree.c2, other, DAY, s.Document(number="51-QĐ/ĐU"), None)
    rows = page(client, cast.office, tree.a_base).context["reorganisations"]
    numbers = {r.document_number: (before, after) for r, before, after in rows if r.concerns_child}
    assert numbers["50-QĐ/ĐU"] == ("Chi bộ Phòng Hai", "Chi bộ Phòng Hai mới")
    assert numbers["51-QĐ/ĐU"][0].startswith("Chi bộ Phòng Hai mới, ")  # which child moved
    assert "51-QĐ/ĐU" in {
        r.document_number for r, _b, _a in page(client, cast.office, other).context["reorganisations"]
    }


def test_merge_into_an_existing_cell_in_the_tree(client, cast, tree):
    s.merge([tree.c2], DAY, DOC, None, into=tree.c1)
    client.force_login(cast.office)
    level = client.get(reverse("orgs:children", args=[tree.a_base.pk]))
    [node] = level.context["nodes"]
    assert node.org.code == "A1-C1" and not node.expandable  # no arrow leading to an empty list
    assert reverse("orgs:children", args=[tree.c1.pk]) not in level.content.decode()
    former = client.get(reverse("orgs:children", args=[tree.a_base.pk]) + "?former=1")
    assert codes(former.context["nodes"]) == ["A1-C1", "A1-C2"]
    response = page(client, cast.office, tree.c1)
    assert response.context["children"] == [] and codes(response.context["formed_from"][0].orgs) == ["A1-C2"]


def test_lineage_respects_scope(client, cast, tree):
    merge_into_new(tree)
    new = tree.c1.__class__.objects.get(code="A1-C12")
    client.force_login(cast.outsider)  # committee B's office
    assert client.get(reverse("orgs:detail", args=[new.pk])).status_code == 404
    rows = page(client, cast.outsider, tree.b_base).context["reorganisations"]
    assert ReorgKind.MERGE not in [r.kind for r, _b, _a in rows]
    # A predecessor outside the viewer's scope is named, never linked: the secretary of a cell born of a split.
    specs = [
        s.OrgSpec("B1-C3a", "Chi bộ Phân xưởng Ba A", OrgKind.CELL),
        s.OrgSpec("B1-C3b", "Chi bộ Phân xưởng Ba B", OrgKind.CELL),
    ]
    first, _second = s.split(tree.c3, specs, DAY, DOC, None).created
    secretary = testing.user("sec-b1c3a", Role.CELL_SECRETARY, first)
    response = page(client, secretary, first)
    [old] = response.context["formed_from"][0].orgs
    assert old.code == "B1-C3" and not old.visible
    lineage = response.content.decode().split('id="lineage"')[1].split("</section>")[0]
    assert "Chi bộ Phân xưởng Ba" in lineage and reverse("orgs:detail", args=[tree.c3.pk]) not in lineage
    assert client.get(reverse("orgs:detail", args=[tree.c3.pk])).status_code == 404


def test_lineage_query_count_is_constant(client, cast, tree):
    merge_into_new(tree)
    client.force_login(cast.office)
    urls = [
        reverse("orgs:detail", args=[tree.a_base.pk]),
        reverse("orgs:children", args=[tree.a_base.pk]) + "?former=1",
    ]

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = [count(url) for url in urls]
    for i in range(3):
        cells = [testing.org(tree.a_base, f"A1-M{i}{j}", f"Chi bộ Ghép {i}{j}", OrgKind.CELL, DAY) for j in range(3)]
        s.merge(cells[1:], DAY, DOC, None, into=cells[0])
    assert [count(url) for url in urls] == before
