"""GET /orgs, /orgs/tree, /orgs/{id}, /orgs/{id}/history, /orgs/{id}/lineage, /orgs/{id}/members-count."""

import datetime as dt

import pytest

from dangvu import testing
from dangvu.orgs import services as s
from dangvu.orgs.models import Organisation, OrgKind

pytestmark = pytest.mark.django_db
DOC = s.Document(number="45-QĐ/TU", date=dt.date(2025, 6, 20), issuer="Ban Thường vụ Thành ủy", note="Theo đề án")
SPLIT_DAY = dt.date(2025, 3, 1)
MERGE_DAY = dt.date(2025, 7, 1)
BEFORE = dt.date(2025, 1, 1)
AFTER = dt.date(2025, 8, 1)

# Organisation codes each cast user sees in the list (None: 403, no orgs.view capability).
VISIBLE = {
    "admin": {"TP", "A", "A1", "A1-C1", "A1-C2", "A2", "B", "B1", "B1-C3"},
    "office": {"A", "A1", "A1-C1", "A1-C2", "A2"},
    "inspector": {"A", "A1", "A1-C1", "A1-C2", "A2"},
    "leader": {"A", "A1", "A1-C1", "A1-C2", "A2"},
    "secretary": {"A1-C1"},
    "outsider": {"B", "B1", "B1-C3"},
    "member": None,
    "nobody": None,
}


def codes(response) -> list[str]:
    return [o["code"] for o in response.json()["items"]]


def test_list_is_scoped_for_every_role(api, cast):
    for name, user in cast.all().items():
        response = api(user).get("/orgs")
        if VISIBLE[name] is None:
            assert response.status_code == 403, name
        else:
            assert response.status_code == 200, name
            assert set(codes(response)) == VISIBLE[name], name
            assert response.json()["count"] == len(VISIBLE[name]), name


def test_list_filters_search_and_pagination(api, cast, tree):
    office = api(cast.office)
    children = office.get("/orgs", parent_id=tree.a_base.pk).json()
    assert children["count"] == 2 and {o["code"] for o in children["items"]} == {"A1-C1", "A1-C2"}
    assert {o["parent_id"] for o in children["items"]} == {tree.a_base.pk}
    assert set(codes(office.get("/orgs", kind=OrgKind.CELL))) == {"A1-C1", "A1-C2"}
    # Diacritic- and case-free search on the name.
    assert set(codes(office.get("/orgs", q="chi bo"))) == {"A1-C1", "A1-C2", "A2"}
    assert codes(office.get("/orgs", q="PHONG hai")) == ["A1-C2"]
    assert codes(office.get("/orgs", q="Phòng Hai")) == ["A1-C2"]
    # Out-of-scope parent: nothing, not B's children.
    assert office.get("/orgs", parent_id=tree.b_base.pk).json() == {"count": 0, "items": []}
    assert office.get("/orgs", active=False).json()["count"] == 0

    admin = api(cast.admin)
    first = admin.get("/orgs", limit=4).json()
    rest = admin.get("/orgs", limit=4, offset=4).json()
    last = admin.get("/orgs", limit=4, offset=8).json()
    assert first["count"] == rest["count"] == last["count"] == 9
    assert len(first["items"]) == 4 and len(rest["items"]) == 4 and len(last["items"]) == 1
    assert len({o["id"] for o in first["items"] + rest["items"] + last["items"]}) == 9
    top = first["items"][0]
    assert top["code"] == "TP" and top["parent_id"] is None and top["depth"] == 1 and top["active"]
    assert admin.get("/orgs", limit=501).status_code == 422
    assert admin.get("/orgs", limit=0).status_code == 422
    assert admin.get("/orgs", offset=-1).status_code == 422


def test_list_and_tree_query_budgets_do_not_grow_with_rows(api, cast, tree, django_assert_max_num_queries):
    admin = api(cast.admin)
    budget_list, budget_tree = 4, 5  # token, scope, (count | roots), rows (+ member counts)
    with django_assert_max_num_queries(budget_list):
        assert admin.get("/orgs").status_code == 200
    with django_assert_max_num_queries(budget_tree):
        assert admin.get("/orgs/tree", depth=5).status_code == 200
    for i in range(8):
        cell = testing.org(tree.a_base, f"A1-X{i}", f"Chi bộ Thêm {i}", OrgKind.CELL)
        testing.member(cell)
        testing.member(cell)
    admin = api(cast.admin)  # fresh user object: no scope cache carried over
    with django_assert_max_num_queries(budget_list):
        assert admin.get("/orgs").json()["count"] == 17
    with django_assert_max_num_queries(budget_tree):
        tree_json = admin.get("/orgs/tree", depth=5).json()
    assert tree_json[0]["member_count"] == 4 + 16


def _node(nodes: list[dict], code: str) -> dict:
    for node in nodes:
        if node["code"] == code:
            return node
        found = _node(node["children"], code)
        if found:
            return found
    return {}


def test_tree_counts_and_depth(api, cast, tree):
    full = api(cast.admin).get("/orgs/tree").json()
    assert [n["code"] for n in full] == ["TP"]
    assert {c["code"]: c["member_count"] for c in full[0]["children"]} == {"A": 3, "B": 1}
    assert _node(full, "A1")["member_count"] == 3
    assert _node(full, "A1-C1")["member_count"] == 2
    assert _node(full, "A1-C2")["member_count"] == 1 and _node(full, "A2")["member_count"] == 0

    office = api(cast.office).get("/orgs/tree").json()
    assert [n["code"] for n in office] == ["A"] and office[0]["member_count"] == 3
    assert {c["code"] for c in office[0]["children"]} == {"A1", "A2"}

    shallow = api(cast.office).get("/orgs/tree", depth=1).json()
    a1 = _node(shallow, "A1")
    assert a1["children"] == [] and a1["member_count"] == 3  # counts cover the whole subtree

    rooted = api(cast.office).get("/orgs/tree", root_id=tree.a_base.pk).json()
    assert [n["code"] for n in rooted] == ["A1"] and {c["code"] for c in rooted[0]["children"]} == {"A1-C1", "A1-C2"}

    secretary = api(cast.secretary).get("/orgs/tree").json()
    assert [(n["code"], n["member_count"]) for n in secretary] == [("A1-C1", 2)]


def test_tree_denied(api, cast, tree):
    assert api(cast.outsider).get("/orgs/tree", root_id=tree.a.pk).status_code == 404
    assert api(cast.secretary).get("/orgs/tree", root_id=tree.a_base.pk).status_code == 404
    assert api(cast.member).get("/orgs/tree").status_code == 403
    assert api(cast.nobody).get("/orgs/tree").status_code == 403
    assert api(cast.admin).get("/orgs/tree", depth=0).status_code == 422


def test_detail_allowed_and_denied(api, cast, tree):
    response = api(cast.office).get(f"/orgs/{tree.a_base.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "A1" and body["kind"] == OrgKind.GRASSROOTS_COMMITTEE
    assert body["parent"]["code"] == "A" and body["parent_id"] == tree.a.pk
    assert body["member_count"] == 3 and body["children_count"] == 2
    assert body["valid_from"] == "2015-01-01" and body["valid_to"] is None and body["active"]
    assert api(cast.admin).get(f"/orgs/{tree.city.pk}").json()["parent"] is None
    assert api(cast.secretary).get(f"/orgs/{tree.c1.pk}").json()["member_count"] == 2
    for user in (cast.outsider, cast.secretary, cast.member, cast.nobody):
        response = api(user).get(f"/orgs/{tree.a_base.pk}")
        assert response.status_code == 404 and "detail" in response.json()
    assert api(cast.admin).get("/orgs/999999").status_code == 404


def test_history_lists_reorganisations_with_documents(api, cast, tree):
    s.split(
        tree.a_base,
        [
            s.OrgSpec("A1x", "Đảng bộ Sở Một (x)", OrgKind.GRASSROOTS_COMMITTEE),
            s.OrgSpec("A1y", "Đảng bộ Sở Một (y)", OrgKind.GRASSROOTS_COMMITTEE),
        ],
        SPLIT_DAY,
        DOC,
        None,
        children={tree.c2.pk: 1},
    )
    response = api(cast.office).get(f"/orgs/{tree.a_base.pk}/history")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    split, created = body["items"]
    assert split["kind"] == "split" and split["date"] == "2025-03-01"
    assert (split["document_number"], split["document_date"], split["issuer"]) == (
        "45-QĐ/TU",
        "2025-06-20",
        "Ban Thường vụ Thành ủy",
    )
    assert [o["code"] for o in split["predecessors"]] == ["A1"]
    assert {o["code"] for o in split["successors"]} == {"A1x", "A1y"}
    assert split["details"]["successors"] == ["A1x", "A1y"]
    assert created["kind"] == "create"
    assert api(cast.office).get(f"/orgs/{tree.a_base.pk}/history", limit=1).json()["items"][0]["id"] == split["id"]
    assert api(cast.outsider).get(f"/orgs/{tree.a_base.pk}/history").status_code == 404
    assert api(cast.member).get(f"/orgs/{tree.a_base.pk}/history").status_code == 404


def test_merge_into_new_committee_lineage_and_counts(api, cast, tree):
    effects = s.merge(
        [tree.a, tree.b], MERGE_DAY, DOC, None, new=s.OrgSpec("AB", "Đảng bộ các cơ quan Đảng", OrgKind.DIRECT)
    )
    ab = effects.created[0]
    admin = api(cast.admin)
    lineage = admin.get(f"/orgs/{ab.pk}/lineage").json()
    assert lineage["organisation"]["code"] == "AB"
    assert {o["code"] for o in lineage["predecessors"]} == {"A", "B"}
    assert all(o["valid_to"] == "2025-07-01" and o["in_scope"] for o in lineage["predecessors"])
    assert lineage["successors"] == []
    assert [o["code"] for o in admin.get(f"/orgs/{tree.a.pk}/lineage").json()["successors"]] == ["AB"]
    # The tree shows the current shape; the dissolved predecessors kept under AB only on request.
    current = _node(admin.get("/orgs/tree").json(), "AB")
    assert {c["code"] for c in current["children"]} == {"A1", "A2", "B1"} and current["member_count"] == 4
    with_old = _node(admin.get("/orgs/tree", include_inactive=True).json(), "AB")
    assert {c["code"]: c["active"] for c in with_old["children"]} == {
        "A1": True,
        "A2": True,
        "B1": True,
        "A": False,
        "B": False,
    }

    def count(user, org, day, lineage):
        return api(user).get(f"/orgs/{org.pk}/members-count", date=day.isoformat(), lineage=lineage)

    assert count(cast.admin, ab, BEFORE, False).json()["count"] == 0
    with_lineage = count(cast.admin, ab, BEFORE, True).json()
    assert with_lineage == {"organisation_id": ab.pk, "date": "2025-01-01", "lineage": True, "count": 4}
    assert count(cast.admin, ab, AFTER, False).json()["count"] == 4
    assert api(cast.admin).get(f"/orgs/{ab.pk}/members-count").json()["count"] == 4  # today
    assert count(cast.admin, tree.a, BEFORE, False).json()["count"] == 3

    # The office of A keeps A (dissolved, kept under AB) but not the new committee above it.
    office = api(cast.office)
    assert office.get(f"/orgs/{ab.pk}/lineage").status_code == 404
    assert office.get(f"/orgs/{ab.pk}/members-count").status_code == 404
    a_lineage = office.get(f"/orgs/{tree.a.pk}/lineage").json()
    assert [(o["code"], o["in_scope"]) for o in a_lineage["successors"]] == [("AB", False)]
    assert count(cast.office, tree.a, BEFORE, False).json()["count"] == 3
    assert count(cast.outsider, tree.a, BEFORE, False).status_code == 404
    assert api(cast.admin).get(f"/orgs/{ab.pk}/members-count", date="01/01/2025").status_code == 422


def test_lineage_is_transitive_across_a_split_and_a_merge(api, cast, tree):
    split = s.split(
        tree.a_base,
        [
            s.OrgSpec("A1x", "Đảng bộ Sở Một (x)", OrgKind.GRASSROOTS_COMMITTEE),
            s.OrgSpec("A1y", "Đảng bộ Sở Một (y)", OrgKind.GRASSROOTS_COMMITTEE),
        ],
        SPLIT_DAY,
        DOC,
        None,
        children={tree.c2.pk: 1},
    )
    a1x, a1y = split.created
    merged = s.merge(
        [a1y, tree.b_base], MERGE_DAY, DOC, None, new=s.OrgSpec("N", "Đảng bộ Hợp Nhất", OrgKind.GRASSROOTS_COMMITTEE)
    )
    new = merged.created[0]
    admin = api(cast.admin)
    lineage = admin.get(f"/orgs/{new.pk}/lineage").json()
    assert {o["code"] for o in lineage["predecessors"][:2]} == {"A1y", "B1"}  # nearest first
    assert [o["code"] for o in lineage["predecessors"][2:]] == ["A1"]
    assert {o["code"] for o in admin.get(f"/orgs/{tree.a_base.pk}/lineage").json()["successors"]} == {
        "A1x",
        "A1y",
        "N",
    }
    # Before the split, the lineage of N is A1 (an, binh, duc) and B1 (em); after the merger, C2 and C3.
    count = admin.get(f"/orgs/{new.pk}/members-count", date=BEFORE.isoformat(), lineage="true").json()["count"]
    assert count == 4
    assert admin.get(f"/orgs/{new.pk}/members-count", date=BEFORE.isoformat()).json()["count"] == 0
    assert admin.get(f"/orgs/{new.pk}/members-count", date=AFTER.isoformat()).json()["count"] == 2
    assert admin.get(f"/orgs/{a1x.pk}/members-count", date=AFTER.isoformat()).json()["count"] == 2
    # N sits under A, so A's office sees it, and B1 which the merger brought under it.
    office = api(cast.office)
    assert office.get(f"/orgs/{new.pk}").json()["member_count"] == 2
    assert {o["code"] for o in office.get("/orgs", parent_id=new.pk).json()["items"]} >= {"B1-C3", "A1-C2"}
    assert api(cast.outsider).get(f"/orgs/{new.pk}/lineage").status_code == 404
    assert Organisation.objects.get(pk=tree.b_base.pk).valid_to == MERGE_DAY
