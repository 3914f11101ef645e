"""GET /members (shared filters, search, Vietnamese sort, pagination), /members/{id}, /events, /periods."""

import datetime as dt

import pytest

from dangvu import testing
from dangvu.members import services as member_services
from dangvu.members.models import EventKind, Status
from dangvu.orgs.models import OrgKind

pytestmark = pytest.mark.django_db

# In-party members each cast user sees (None: 403, neither members.view nor an own record).
VISIBLE = {
    "admin": {"an", "binh", "duc", "em"},
    "office": {"an", "binh", "duc"},
    "inspector": {"an", "binh", "duc"},
    "leader": {"an", "binh", "duc"},
    "secretary": {"an", "binh"},
    "member": {"an"},
    "outsider": {"em"},
    "nobody": None,
}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [m["id"] for m in response.json()["items"]]


def test_list_is_scoped_for_every_role(api, cast, people):
    for name, user in cast.all().items():
        response = api(user).get("/members")
        if VISIBLE[name] is None:
            assert response.status_code == 403, name
            continue
        expected = {people[key].pk for key in VISIBLE[name]}
        assert set(ids(response)) == expected, name
        assert response.json()["count"] == len(expected), name


def test_list_item_fields(api, cast, people, tree):
    item = api(cast.secretary).get("/members", q="an").json()["items"][0]
    assert item["id"] == people["an"].pk and item["full_name"] == "Nguyễn Văn An"
    assert item["organisation"] == {"id": tree.c1.pk, "code": "A1-C1", "name": "Chi bộ Phòng Một", "kind": "cell"}
    assert item["status"] == Status.OFFICIAL and item["status_label"]
    assert item["admission_date"] == "2016-03-01" and item["official_date"] == "2017-03-01"
    assert "citizen_id" not in item


def test_search_is_diacritic_free(api, cast, people):
    office = api(cast.office)
    assert ids(office.get("/members", q="nguyen van an")) == [people["an"].pk]
    assert ids(office.get("/members", q="NGUYỄN VĂN AN")) == [people["an"].pk]
    assert ids(office.get("/members", q="duc")) == [people["duc"].pk]  # Đức: đ folds to d
    assert ids(office.get("/members", q="thi")) == [people["binh"].pk]  # em (Phạm Thị Em) is out of scope
    assert ids(office.get("/members", q="nguyen van xyz")) == []
    assert ids(api(cast.outsider).get("/members", q="nguyen van an")) == []


def test_filters_match_the_member_filter(api, cast, people, tree):
    office = api(cast.office)
    assert ids(office.get("/members", organisation_id=tree.c2.pk)) == [people["duc"].pk]
    assert set(ids(office.get("/members", organisation_id=tree.a_base.pk))) == {
        people[k].pk for k in ("an", "binh", "duc")
    }
    assert ids(office.get("/members", organisation_id=tree.c3.pk)) == []  # out of scope: nothing
    assert ids(office.get("/members", sex="F")) == [people["binh"].pk]
    member_services.record_event(people["duc"], kind=EventKind.DEATH, date=dt.date(2024, 5, 1))
    assert people["duc"].pk not in ids(office.get("/members"))  # default: in the Party only
    assert people["duc"].pk in ids(office.get("/members", status=""))
    assert ids(office.get("/members", status=Status.DECEASED)) == [people["duc"].pk]
    assert ids(office.get("/members", status="no-such-status")) == ids(office.get("/members"))


def test_vietnamese_sort_and_pagination(api, cast, tree):
    cell = testing.org(tree.a_base, "A1-C9", "Chi bộ Sắp Xếp", OrgKind.CELL)
    names = ["Lê Văn Đông", "Hồ Văn Ân", "Trần Văn Dũng", "Phạm Văn Anh", "Võ Thị Bảo"]
    created = {name: testing.member(cell, name).pk for name in names}
    office = api(cast.office)
    # Given name first, Vietnamese alphabet: a < â, d < đ (plain ASCII order would put Ân before Anh).
    expected = [created[n] for n in ["Phạm Văn Anh", "Hồ Văn Ân", "Võ Thị Bảo", "Trần Văn Dũng", "Lê Văn Đông"]]
    assert ids(office.get("/members", organisation_id=cell.pk)) == expected
    assert ids(office.get("/members", organisation_id=cell.pk, sort="-name")) == expected[::-1]

    page1 = office.get("/members", organisation_id=cell.pk, limit=2).json()
    page3 = office.get("/members", organisation_id=cell.pk, limit=2, offset=4).json()
    assert page1["count"] == page3["count"] == 5
    assert [m["id"] for m in page1["items"]] == expected[:2] and [m["id"] for m in page3["items"]] == expected[4:]
    assert office.get("/members", limit=501).status_code == 422
    assert office.get("/members").json()["count"] == 3 + 5


def test_list_query_budget_does_not_grow_with_rows(api, cast, tree, django_assert_max_num_queries):
    budget = 5  # token, scope, organisation filter path, count, rows
    office = api(cast.office)
    with django_assert_max_num_queries(budget):
        assert office.get("/members", organisation_id=tree.a.pk).json()["count"] == 3
    for i in range(20):
        testing.member(tree.c2 if i % 2 else tree.c1)
    office = api(cast.office)
    with django_assert_max_num_queries(budget):
        body = office.get("/members", organisation_id=tree.a.pk, limit=500).json()
    assert body["count"] == 23 and len(body["items"]) == 23


def test_detail_and_sensitive_fields(api, cast, people):
    an = people["an"]
    office = api(cast.office).get(f"/members/{an.pk}").json()
    assert office["full_name"] == "Nguyễn Văn An" and office["citizen_id"] == an.citizen_id
    assert office["party_age"] >= 9 and office["ethnicity"] == "Kinh"
    assert api(cast.admin).get(f"/members/{an.pk}").json()["citizen_id"] == an.citizen_id
    # The member themself sees their own citizen ID.
    assert api(cast.member).get(f"/members/{an.pk}").json()["citizen_id"] == an.citizen_id
    # View-only roles get the record without it.
    for user in (cast.inspector, cast.leader, cast.secretary):
        body = api(user).get(f"/members/{an.pk}").json()
        assert body["full_name"] == "Nguyễn Văn An" and body["citizen_id"] is None
    # The secretary's view of a colleague hides it too.
    assert api(cast.secretary).get(f"/members/{people['binh'].pk}").json()["citizen_id"] is None


def test_detail_denied(api, cast, people):
    assert api(cast.member).get(f"/members/{people['binh'].pk}").status_code == 404
    assert api(cast.secretary).get(f"/members/{people['duc'].pk}").status_code == 404
    for user in (cast.outsider, cast.nobody):
        response = api(user).get(f"/members/{people['an'].pk}")
        assert response.status_code == 404 and "detail" in response.json()
    assert api(cast.office).get(f"/members/{people['em'].pk}").status_code == 404
    assert api(cast.outsider).get(f"/members/{people['em'].pk}").status_code == 200
    assert api(cast.admin).get("/members/999999").status_code == 404


def test_events_with_documents_and_annulment(api, cast, people, tree):
    duc = people["duc"]
    transfer = member_services.record_event(
        duc,
        kind=EventKind.TRANSFER,
        date=dt.date(2020, 1, 10),
        organisation=tree.c1,
        document_number="7-QĐ/ĐU",
        document_date=dt.date(2020, 1, 5),
        issuer="Đảng ủy Sở Một",
    )
    member_services.annul_event(transfer, None, "Nhầm chi bộ")
    response = api(cast.office).get(f"/members/{duc.pk}/events")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    admission, official, moved, annulment = body["items"]
    assert admission["kind"] == EventKind.ADMISSION and admission["label"]
    assert admission["organisation"]["code"] == "A1-C2" and admission["document_number"].endswith("-QĐ/ĐU")
    assert official["kind"] == EventKind.OFFICIAL and not official["annulled"]
    assert moved["kind"] == EventKind.TRANSFER and moved["annulled"]
    assert (moved["document_number"], moved["document_date"], moved["issuer"]) == (
        "7-QĐ/ĐU",
        "2020-01-05",
        "Đảng ủy Sở Một",
    )
    assert moved["organisation"]["code"] == "A1-C1" and moved["external_organisation"] == ""
    assert annulment["kind"] == EventKind.ANNULMENT and annulment["annuls_id"] == moved["id"]
    assert annulment["note"] == "Nhầm chi bộ" and not annulment["annulled"]
    assert (
        api(cast.office).get(f"/members/{duc.pk}/events", limit=1, offset=3).json()["items"][0]["id"]
        == (annulment["id"])
    )
    # Denied: outside the secretary's cell, another member's record, nobody.
    assert api(cast.secretary).get(f"/members/{duc.pk}/events").status_code == 404
    assert api(cast.member).get(f"/members/{duc.pk}/events").status_code == 404
    assert api(cast.nobody).get(f"/members/{duc.pk}/events").status_code == 404
    assert api(cast.member).get(f"/members/{people['an'].pk}/events").json()["count"] == 2


def test_events_query_budget(api, cast, people, tree, django_assert_max_num_queries):
    duc = people["duc"]
    for day in range(1, 11):
        member_services.record_event(duc, kind=EventKind.EXEMPTION, date=dt.date(2020, day, 1))
        member_services.record_event(duc, kind=EventKind.EXEMPTION_END, date=dt.date(2020, day, 15))
    office = api(cast.office)
    with django_assert_max_num_queries(5):  # token, scope, member, count, rows
        assert office.get(f"/members/{duc.pk}/events").json()["count"] == 22


def test_periods(api, cast, people, tree):
    response = api(cast.member).get(f"/members/{people['an'].pk}/periods")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    probation, official = body["items"]
    assert (probation["status"], probation["valid_from"], probation["valid_to"]) == (
        Status.PROBATIONARY,
        "2016-03-01",
        "2017-03-01",
    )
    assert (official["status"], official["valid_from"], official["valid_to"]) == (Status.OFFICIAL, "2017-03-01", None)
    assert official["organisation"]["code"] == "A1-C1"
    assert api(cast.office).get(f"/members/{people['an'].pk}/periods").json()["count"] == 2
    assert api(cast.outsider).get(f"/members/{people['an'].pk}/periods").status_code == 404
    assert api(cast.member).get(f"/members/{people['binh'].pk}/periods").status_code == 404


def test_search_by_card_number_and_citizen_id_follows_who_may_read_it(api, cast, tree, people):
    """The API's q finds a party card number for everyone who sees the member, a citizen ID only for those
    who may read citizen IDs (members.edit on the member's organisation) — the same rule as the detail."""
    found = testing.member(tree.c2, "Phan Thị Thẻ", sex="F", card_number="090123456", citizen_id="092185000111")
    assert ids(api(cast.office).get("/members", q="090.123.456")) == [found.pk]
    assert ids(api(cast.leader).get("/members", q="090123456")) == [found.pk]
    assert ids(api(cast.office).get("/members", q="092185000111")) == [found.pk]
    assert ids(api(cast.admin).get("/members", q="092 185 000 111")) == [found.pk]
    for denied in (cast.leader, cast.inspector, cast.outsider):
        assert ids(api(denied).get("/members", q="092185000111")) == [], denied.username
    assert ids(api(cast.outsider).get("/members", q="090123456")) == []  # out of scope


def test_search_ranks_exact_name_then_given_name(api, cast, tree, people):
    names = ["Nguyễn Văn Anh", "Trần Văn An", "Nguyễn An Khang", "Nguyễn Văn Toàn"]
    for name in names:
        testing.member(tree.c2, name)
    response = api(cast.office).get("/members", q="nguyen van an")
    assert [m["full_name"] for m in response.json()["items"]] == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    response = api(cast.office).get("/members", q="an")
    assert [m["full_name"] for m in response.json()["items"]] == [
        "Nguyễn Văn An",  # given name An, in name order
        "Trần Văn An",
        "Nguyễn Văn Anh",  # the rest in name order (Anh, then Khang)
        "Nguyễn An Khang",
    ]
