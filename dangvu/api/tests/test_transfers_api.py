"""Transfer endpoints: GET/POST /transfers, GET /transfers/{id}, acknowledge, cancel, end — each side of a
transfer sees it, only the right side acts, refusals are 422 and write nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from dangvu import testing
from dangvu.members.models import Member, MemberEvent, Status
from dangvu.transfers import services
from dangvu.transfers.models import Transfer, TransferKind, TransferState

pytestmark = pytest.mark.django_db
LONG_AGO = dt.date(2024, 1, 10)


def recent() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=5)


@pytest.fixture
def transfers(tree, people):
    """cross: Đức C2 → C3 (committee A to B), overdue; temp_binh: Bình (C1) temporarily outside the system;
    em_in: Em C3 → C1 (B to A); an_temp: An (the cast's plain member) temporarily outside."""
    return {
        "cross": services.issue(
            people["duc"],
            None,
            kind=TransferKind.OFFICIAL,
            letter_number="12-GGT/ĐU",
            letter_date=LONG_AGO,
            to_organisation=tree.c3,
        ),
        "temp_binh": services.issue(
            people["binh"],
            None,
            kind=TransferKind.TEMPORARY,
            letter_number="13-GGT/ĐU",
            letter_date=recent(),
            to_external="Đảng bộ xã Mỹ Khánh",
        ),
        "em_in": services.issue(
            people["em"],
            None,
            kind=TransferKind.OFFICIAL,
            letter_number="7-GGT/ĐU",
            letter_date=recent(),
            to_organisation=tree.c1,
        ),
        "an_temp": services.issue(
            people["an"],
            None,
            kind=TransferKind.TEMPORARY,
            letter_number="14-GGT/ĐU",
            letter_date=recent(),
            to_external="Chi bộ Trường Chính trị",
        ),
    }


# Transfers each cast user sees (None: 403).
VISIBLE = {
    "admin": {"cross", "temp_binh", "em_in", "an_temp"},
    "office": {"cross", "temp_binh", "em_in", "an_temp"},
    "inspector": {"cross", "temp_binh", "em_in", "an_temp"},
    "leader": {"cross", "temp_binh", "em_in", "an_temp"},
    "secretary": {"temp_binh", "em_in", "an_temp"},  # C1's members and what comes to C1
    "outsider": {"cross", "em_in"},  # what comes to or leaves committee B
    "member": {"an_temp"},  # own transfers only
    "nobody": None,
}


def names(response, transfers) -> set[str]:
    assert response.status_code == 200, response.content
    by_id = {t.pk: key for key, t in transfers.items()}
    return {by_id[t["id"]] for t in response.json()["items"]}


def test_list_is_scoped_for_every_role(api, cast, transfers):
    for name, user in cast.all().items():
        response = api(user).get("/transfers")
        if VISIBLE[name] is None:
            assert response.status_code == 403 and "detail" in response.json(), name
            continue
        assert names(response, transfers) == VISIBLE[name], name
        assert response.json()["count"] == len(VISIBLE[name]), name


def test_list_filters(api, cast, transfers, tree, people):
    office, outsider = api(cast.office), api(cast.outsider)
    assert names(office.get("/transfers", direction="incoming"), transfers) == {"em_in"}
    assert names(office.get("/transfers", direction="outgoing"), transfers) == {"cross", "temp_binh", "an_temp"}
    assert names(outsider.get("/transfers", direction="incoming"), transfers) == {"cross"}
    assert names(outsider.get("/transfers", direction="outgoing"), transfers) == {"em_in"}
    assert names(office.get("/transfers", organisation_id=tree.c2.pk), transfers) == {"cross"}
    assert names(office.get("/transfers", organisation_id=tree.c2.pk, direction="incoming"), transfers) == set()
    assert names(office.get("/transfers", organisation_id=tree.c1.pk, direction="incoming"), transfers) == {"em_in"}
    assert names(office.get("/transfers", organisation_id=tree.c3.pk), transfers) == set()  # outside the scope
    assert names(api(cast.admin).get("/transfers", direction="incoming"), transfers) == {"cross", "em_in"}
    assert names(office.get("/transfers", kind=TransferKind.TEMPORARY), transfers) == {"temp_binh", "an_temp"}
    assert names(office.get("/transfers", overdue="true"), transfers) == {"cross"}
    assert names(office.get("/transfers", overdue="false"), transfers) == {"temp_binh", "em_in", "an_temp"}
    assert names(office.get("/transfers", member_id=people["binh"].pk), transfers) == {"temp_binh"}
    services.cancel(transfers["cross"], None, reason="Nhầm")
    assert names(office.get("/transfers", state=TransferState.CANCELLED), transfers) == {"cross"}
    assert names(office.get("/transfers", overdue="true"), transfers) == set()
    assert office.get("/transfers", direction="sideways").status_code == 422
    assert office.get("/transfers", state="lost").status_code == 422

    page = office.get("/transfers", limit=3).json()
    rest = office.get("/transfers", limit=3, offset=3).json()
    assert page["count"] == rest["count"] == 4 and len(page["items"]) == 3 and len(rest["items"]) == 1
    # Latest letter first.
    assert [t["letter_date"] for t in page["items"] + rest["items"]][-1] == LONG_AGO.isoformat()


def test_list_item_fields(api, cast, transfers, tree, people):
    body = api(cast.outsider).get(f"/transfers/{transfers['cross'].pk}").json()
    assert body["member"] == {"id": people["duc"].pk, "full_name": "Lê Minh Đức"}
    assert body["from_organisation"]["code"] == "A1-C2" and body["to_organisation"]["code"] == "B1-C3"
    assert body["kind"] == TransferKind.OFFICIAL and body["kind_label"] and body["state_label"]
    assert body["state"] == TransferState.IN_TRANSIT and body["overdue"] is True
    assert body["letter_number"] == "12-GGT/ĐU" and body["letter_date"] == "2024-01-10"
    assert body["due_on"] == services.present_by(LONG_AGO).isoformat()
    temp = api(cast.secretary).get(f"/transfers/{transfers['temp_binh'].pk}").json()
    assert temp["to_organisation"] is None and temp["to_external"] == "Đảng bộ xã Mỹ Khánh"
    assert temp["overdue"] is False


def test_list_query_budget_does_not_grow_with_rows(api, cast, transfers, tree, django_assert_max_num_queries):
    budget = 5  # token, scope, organisation path, count, rows
    office = api(cast.office)
    with django_assert_max_num_queries(budget):
        assert office.get("/transfers", organisation_id=tree.a.pk).json()["count"] == 4
    for i in range(10):
        member = testing.member(tree.c2 if i % 2 else tree.c1)
        services.issue(
            member,
            None,
            kind=TransferKind.TEMPORARY,
            letter_number=f"{20 + i}-GGT",
            letter_date=recent(),
            to_external="X",
        )
    office = api(cast.office)
    with django_assert_max_num_queries(budget):
        body = office.get("/transfers", organisation_id=tree.a.pk, limit=500).json()
    assert body["count"] == 14 and len(body["items"]) == 14


def test_detail_denied(api, cast, transfers):
    assert api(cast.secretary).get(f"/transfers/{transfers['cross'].pk}").status_code == 404
    assert api(cast.outsider).get(f"/transfers/{transfers['temp_binh'].pk}").status_code == 404
    assert api(cast.member).get(f"/transfers/{transfers['temp_binh'].pk}").status_code == 404
    assert api(cast.member).get(f"/transfers/{transfers['an_temp'].pk}").status_code == 200
    response = api(cast.nobody).get(f"/transfers/{transfers['cross'].pk}")
    assert response.status_code == 404 and "detail" in response.json()
    assert api(cast.admin).get("/transfers/999999").status_code == 404


def test_issue(api, cast, tree):
    mover = testing.member(tree.c2, "Hồ Văn Chuyển")
    payload = {
        "member_id": mover.pk,
        "kind": "official",
        "to_organisation_id": tree.c3.pk,  # another committee's cell: allowed though outside the scope
        "letter_number": "21-GGT/ĐU",
        "letter_date": recent().isoformat(),
        "issuer": "Đảng ủy Sở Một",
        "reason": "Chuyển công tác",
    }
    response = api(cast.office).post("/transfers", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    transfer = Transfer.objects.get(pk=body["id"])
    assert transfer.from_organisation == tree.c2 and transfer.to_organisation == tree.c3
    assert body["state"] == TransferState.IN_TRANSIT and body["due_on"] and body["reason"] == "Chuyển công tác"
    assert Member.objects.get(pk=mover.pk).status == Status.IN_TRANSIT
    assert transfer.history.first().history_user == cast.office

    # A second letter while the first awaits acknowledgment: refused.
    again = api(cast.office).post("/transfers", {**payload, "letter_number": "22-GGT/ĐU"})
    assert again.status_code == 422 and again.json()["detail"]


def test_issue_denied_and_refused(api, cast, tree, people):
    def attempt(user, member, **overrides):
        payload = {
            "member_id": member.pk,
            "kind": "official",
            "to_organisation_id": tree.c2.pk,
            "letter_number": "30-GGT/ĐU",
            "letter_date": recent().isoformat(),
            **overrides,
        }
        return api(user).post("/transfers", payload)

    binh = people["binh"]
    assert attempt(cast.secretary, binh).status_code == 403  # sees the member, may not transfer
    assert attempt(cast.inspector, binh).status_code == 403
    assert attempt(cast.member, people["an"]).status_code == 403  # own record
    for user in (cast.outsider, cast.nobody):
        assert attempt(user, binh).status_code == 404
    assert attempt(cast.member, binh).status_code == 404
    assert attempt(cast.office, people["em"]).status_code == 404
    assert attempt(cast.office, binh, to_organisation_id=999999).status_code == 404

    events = MemberEvent.objects.count()
    refusals = [
        attempt(cast.office, binh, to_external="Đảng bộ xã X"),  # both destinations
        attempt(cast.office, binh, to_organisation_id=None),  # neither
        attempt(cast.office, binh, to_organisation_id=tree.a_base.pk),  # not a cell
        attempt(cast.office, binh, to_organisation_id=tree.c1.pk),  # already there
        attempt(cast.office, binh, letter_number=" "),
        attempt(cast.office, binh, letter_date=(timezone.localdate() + dt.timedelta(days=3)).isoformat()),
    ]
    for response in refusals:
        assert response.status_code == 422, response.content
        assert response.json()["code"] == "refused" and all(
            isinstance(e["message"], str) for e in response.json()["errors"]
        )
    assert attempt(cast.office, binh, kind="forever").status_code == 422
    assert not Transfer.objects.exists() and MemberEvent.objects.count() == events
    assert Member.objects.get(pk=binh.pk).status == Status.OFFICIAL


def test_acknowledge(api, cast, transfers, tree, people):
    url = f"/transfers/{transfers['cross'].pk}/acknowledge"
    ack = {"date": "2024-02-01", "acknowledgment": "Phiếu 5"}
    assert api(cast.office).post(url, ack).status_code == 403  # the sending side
    assert api(cast.secretary).post(url, ack).status_code == 404
    assert api(cast.member).post(url, ack).status_code == 404
    early = api(cast.outsider).post(url, {"date": "2024-01-01"})
    assert early.status_code == 422 and early.json()["detail"]
    assert Transfer.objects.get(pk=transfers["cross"].pk).state == TransferState.IN_TRANSIT

    response = api(cast.outsider).post(url, ack)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == TransferState.ACKNOWLEDGED and response.json()["acknowledged_on"] == "2024-02-01"
    assert response.json()["acknowledgment"] == "Phiếu 5"
    duc = Member.objects.get(pk=people["duc"].pk)
    assert duc.organisation == tree.c3 and duc.status == Status.OFFICIAL
    assert api(cast.outsider).post(url, ack).status_code == 422  # once

    # Incoming to C1: the secretary may not, the office of A may.
    em_url = f"/transfers/{transfers['em_in'].pk}/acknowledge"
    today = {"date": timezone.localdate().isoformat()}
    assert api(cast.secretary).post(em_url, today).status_code == 403
    assert api(cast.outsider).post(em_url, today).status_code == 403
    assert api(cast.office).post(em_url, today).status_code == 200
    # Outside the system: the sending side records the returned slip.
    temp_url = f"/transfers/{transfers['temp_binh'].pk}/acknowledge"
    assert api(cast.office).post(temp_url, today).status_code == 200


def test_cancel(api, cast, transfers, people):
    url = f"/transfers/{transfers['cross'].pk}/cancel"
    assert api(cast.outsider).post(url, {"reason": "Sai"}).status_code == 403  # the receiving side
    assert api(cast.leader).post(url, {"reason": "Sai"}).status_code == 403
    assert api(cast.member).post(url, {"reason": "Sai"}).status_code == 404
    assert api(cast.office).post(url, {"reason": " "}).status_code == 422
    assert api(cast.office).post(url, {}).status_code == 422
    assert Member.objects.get(pk=people["duc"].pk).status == Status.IN_TRANSIT

    response = api(cast.office).post(url, {"reason": "Sai đơn vị nhận"})
    assert response.status_code == 200 and response.json()["state"] == TransferState.CANCELLED
    duc = Member.objects.get(pk=people["duc"].pk)
    assert duc.status == Status.OFFICIAL and duc.organisation.code == "A1-C2"
    assert api(cast.office).post(url, {"reason": "Lần nữa"}).status_code == 422


def test_end_temporary(api, cast, transfers):
    url = f"/transfers/{transfers['temp_binh'].pk}/end"
    back = {"date": timezone.localdate().isoformat(), "note": "Về chi bộ"}
    assert api(cast.secretary).post(url, back).status_code == 403
    assert api(cast.outsider).post(url, back).status_code == 404
    assert api(cast.office).post(url, {"note": "no date"}).status_code == 422
    official = api(cast.office).post(f"/transfers/{transfers['cross'].pk}/end", back)
    assert official.status_code == 422 and official.json()["detail"]
    assert Transfer.objects.get(pk=transfers["cross"].pk).state == TransferState.IN_TRANSIT

    response = api(cast.office).post(url, back)
    assert response.status_code == 200
    assert response.json()["state"] == TransferState.RETURNED and response.json()["returned_on"] == back["date"]
    assert api(cast.office).post(url, back).status_code == 422
