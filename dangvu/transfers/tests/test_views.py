"""Transfer pages: issuing a letter (sending side), the transfer page and its actions (acknowledge by the
receiving side, cancel, end of a temporary transfer), registering a member arriving from outside, the list
with its tabs and filters, and the links on the member page. Each page and action is checked allowed and
denied; a refusal by the rules is shown and writes nothing."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangvu import testing
from dangvu.members.models import Member, MemberEvent, Status
from dangvu.transfers import services
from dangvu.transfers.models import Transfer, TransferKind, TransferState

pytestmark = pytest.mark.django_db
LIST = reverse("transfers:list")
RECEIVE = reverse("transfers:receive")


def today() -> dt.date:
    return timezone.localdate()


def vn(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def letter(member, actor, *, to=None, external="", kind=TransferKind.OFFICIAL, days_ago=3, number="12-GT/ĐU"):
    return services.issue(
        member,
        actor,
        kind=kind,
        letter_number=number,
        letter_date=today() - dt.timedelta(days=days_ago),
        to_organisation=to,
        to_external=external,
    )


def detail_url(t) -> str:
    return reverse("transfers:detail", args=[t.pk])


def issue_url(m) -> str:
    return reverse("transfers:issue", args=[m.pk])


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def to_c3(cast, people, tree):
    """The office of committee A sends Bình (cell C1) to cell C3 of committee B."""
    return letter(people["binh"], cast.office, to=tree.c3)


@pytest.fixture
def internal(cast, people, tree):
    """A transfer inside committee A: Đức from C2 to C1."""
    return letter(people["duc"], cast.office, to=tree.c1, number="5-GT/ĐU")


# --- issuing the letter ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("office", 200),
        ("inspector", 403),
        ("leader", 403),
        ("secretary", 403),
        ("member", 403),
        ("nobody", 403),
        ("outsider", 404),  # office of B: Bình of committee A is outside its scope
    ],
)
def test_issue_page_access_per_role(client, cast, people, role, status):
    client.force_login(getattr(cast, role))
    assert client.get(issue_url(people["binh"])).status_code == status
    response = client.post(
        issue_url(people["binh"]),
        {"kind": "official", "to_external": "Đảng bộ tỉnh Hậu Giang", "letter_number": "1", "letter_date": vn(today())},
    )
    assert response.status_code == (302 if status == 200 else status)
    assert Transfer.objects.count() == (1 if status == 200 else 0)


def test_destination_select_offers_every_cell_of_the_system(client, cast, tree, people):
    client.force_login(cast.office)
    options = dict(client.get(issue_url(people["binh"])).context["form"].fields["to_organisation"].widget.choices)
    # C3 belongs to committee B, outside the office's scope, and may still receive the member.
    assert {tree.c1.pk, tree.c2.pk, tree.a_cell_base.pk, tree.c3.pk} <= set(options)
    assert tree.a.pk not in options and tree.b_base.pk not in options  # not cells
    assert options[tree.c3.pk] == f"{tree.c3.name} — {tree.b_base.name}"


def test_cell_search_narrows_the_options_without_accents(client, cast, tree):
    client.force_login(cast.office)
    page = client.get(reverse("transfers:cells"), {"q": "phan xuong"})
    assert page.status_code == 200
    assert [pk for pk, _label in page.context["options"]] == [tree.c3.pk]
    # By the name of an organisation above the cells.
    by_parent = client.get(reverse("transfers:cells"), {"q": "so mot"}).context["options"]
    assert [pk for pk, _label in by_parent] == [tree.c1.pk, tree.c2.pk]
    client.force_login(cast.secretary)
    assert client.get(reverse("transfers:cells"), {"q": "x"}).status_code == 403


def test_office_issues_a_transfer_to_a_cell_of_another_committee(client, cast, people, tree):
    binh = people["binh"]
    client.force_login(cast.office)
    response = client.post(
        issue_url(binh),
        {
            "kind": "official",
            "to_organisation": tree.c3.pk,
            "letter_number": "45-GT/ĐU",
            "letter_date": vn(today() - dt.timedelta(days=2)),
            "issuer": "Đảng ủy Sở Một",
            "reason": "Chuyển công tác",
        },
    )
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(transfer)
    assert (transfer.state, transfer.to_organisation, transfer.from_organisation) == (
        TransferState.IN_TRANSIT,
        tree.c3,
        tree.c1,
    )
    assert transfer.due_on == services.present_by(transfer.letter_date)
    binh = fresh(binh)
    assert binh.status == Status.IN_TRANSIT and binh.organisation == tree.c1
    assert transfer.history.earliest().history_user == cast.office


def test_rule_violation_shows_a_message_and_changes_nothing(client, cast, people, tree):
    binh = people["binh"]
    client.force_login(cast.office)
    before = (Transfer.objects.count(), MemberEvent.objects.count())
    base = {"kind": "official", "letter_number": "9", "letter_date": vn(today())}
    # Domain rule: the member is already in this cell.
    response = client.post(issue_url(binh), {**base, "to_organisation": tree.c1.pk})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    # Domain rule: a letter dated in the future.
    response = client.post(
        issue_url(binh), {**base, "to_organisation": tree.c2.pk, "letter_date": vn(today() + dt.timedelta(days=3))}
    )
    assert response.context["form"].non_field_errors()
    # Form: both a cell and an outside organisation; a committee is not a cell.
    response = client.post(issue_url(binh), {**base, "to_organisation": tree.c2.pk, "to_external": "Tỉnh X"})
    assert response.context["form"].errors["to_external"]
    response = client.post(issue_url(binh), {**base, "to_organisation": tree.b.pk})
    assert response.context["form"].errors["to_organisation"]
    # Neither: the service says which is missing.
    response = client.post(issue_url(binh), base)
    assert response.context["form"].non_field_errors()
    assert (Transfer.objects.count(), MemberEvent.objects.count()) == before
    assert fresh(binh).status == Status.OFFICIAL


def test_member_already_in_transit_cannot_get_a_second_letter(client, cast, people, tree, to_c3):
    client.force_login(cast.office)
    response = client.post(
        issue_url(people["binh"]),
        {"kind": "official", "to_organisation": tree.c2.pk, "letter_number": "2", "letter_date": vn(today())},
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Transfer.objects.count() == 1


# --- the transfer page -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("office", 200),  # sending side
        ("inspector", 200),
        ("leader", 200),
        ("secretary", 200),  # Bình's cell
        ("outsider", 200),  # receiving side (C3 is in committee B)
        ("member", 404),  # An: not their transfer
        ("nobody", 404),
    ],
)
def test_detail_access_per_role(client, cast, to_c3, role, status):
    client.force_login(getattr(cast, role))
    assert client.get(detail_url(to_c3)).status_code == status


def test_outsider_cannot_open_a_transfer_inside_committee_a(client, cast, internal, to_c3):
    client.force_login(cast.outsider)
    assert client.get(detail_url(internal)).status_code == 404
    assert client.get(detail_url(to_c3)).status_code == 200


def test_plain_member_opens_their_own_transfer_without_actions(client, cast, people, tree):
    own = letter(people["an"], cast.office, to=tree.c2)
    client.force_login(cast.member)
    page = client.get(detail_url(own))
    assert page.status_code == 200
    assert page.context["actions"] == {"acknowledge": False, "cancel": False, "end": False}
    assert client.post(reverse("transfers:acknowledge", args=[own.pk]), {"date": vn(today())}).status_code == 403


def test_actions_offered_to_each_side(client, cast, to_c3):
    client.force_login(cast.office)
    page = client.get(detail_url(to_c3))
    assert page.context["actions"] == {"acknowledge": False, "cancel": True, "end": False}
    assert reverse("transfers:cancel", args=[to_c3.pk]).encode() in page.content
    assert reverse("transfers:acknowledge", args=[to_c3.pk]).encode() not in page.content
    client.force_login(cast.outsider)
    page = client.get(detail_url(to_c3))
    assert page.context["actions"] == {"acknowledge": True, "cancel": False, "end": False}
    assert page.context["member_visible"] is False  # Bình is still recorded in C1 (committee A)
    client.force_login(cast.secretary)
    assert client.get(detail_url(to_c3)).context["actions"] == {"acknowledge": False, "cancel": False, "end": False}


def test_receiving_side_acknowledges_and_the_member_moves(client, cast, people, tree, to_c3):
    ack = reverse("transfers:acknowledge", args=[to_c3.pk])
    data = {"date": vn(today()), "acknowledgment": "Phiếu báo 7"}
    # The sending office cannot acknowledge its own letter; the secretary has no transfer capability.
    for user in (cast.office, cast.secretary):
        client.force_login(user)
        assert client.post(ack, data).status_code == 403
    assert fresh(to_c3).state == TransferState.IN_TRANSIT
    client.force_login(cast.outsider)
    response = client.post(ack, data)
    assert response.status_code == 302 and response["Location"] == detail_url(to_c3)
    transfer = fresh(to_c3)
    assert (transfer.state, transfer.acknowledgment, transfer.acknowledged_by) == (
        TransferState.ACKNOWLEDGED,
        "Phiếu báo 7",
        cast.outsider,
    )
    binh = fresh(people["binh"])
    assert binh.status == Status.OFFICIAL and binh.organisation == tree.c3
    page = client.get(detail_url(to_c3))
    assert page.context["member_visible"] is True  # now a member of committee B
    assert [row["state"] for row in page.context["history"]] == [
        TransferState.IN_TRANSIT.label,
        TransferState.ACKNOWLEDGED.label,
    ]
    assert page.context["actions"]["acknowledge"] is False
    # The sending side still sees the transfer, no longer the member.
    client.force_login(cast.office)
    assert client.get(detail_url(to_c3)).status_code == 200
    assert client.get(reverse("members:detail", args=[binh.pk])).status_code == 404


def test_acknowledgment_refused_by_the_rules_changes_nothing(client, cast, people, to_c3):
    client.force_login(cast.outsider)
    before = MemberEvent.objects.count()
    ack = reverse("transfers:acknowledge", args=[to_c3.pk])
    response = client.post(ack, {"date": vn(to_c3.letter_date - dt.timedelta(days=1))})
    assert response.status_code == 200 and response.context["acknowledge_form"].non_field_errors()
    response = client.post(ack, {"date": "31/02/2024"})  # not a date
    assert response.context["acknowledge_form"].errors["date"]
    assert fresh(to_c3).state == TransferState.IN_TRANSIT and MemberEvent.objects.count() == before
    assert fresh(people["binh"]).status == Status.IN_TRANSIT


def test_sending_side_cancels_the_letter(client, cast, people, tree, to_c3):
    cancel = reverse("transfers:cancel", args=[to_c3.pk])
    client.force_login(cast.outsider)
    assert client.post(cancel, {"reason": "x"}).status_code == 403
    client.force_login(cast.office)
    response = client.post(cancel, {"reason": ""})
    assert response.status_code == 200 and response.context["cancel_form"].errors["reason"]
    assert fresh(to_c3).state == TransferState.IN_TRANSIT
    response = client.post(cancel, {"reason": "Đơn vị nhận không đồng ý"})
    assert response.status_code == 302
    assert fresh(to_c3).state == TransferState.CANCELLED
    binh = fresh(people["binh"])
    assert binh.status == Status.OFFICIAL and binh.organisation == tree.c1
    # Nothing more to do with a cancelled letter.
    assert client.post(cancel, {"reason": "again"}).status_code == 403


def test_temporary_transfer_and_its_end(client, cast, people, tree):
    binh = people["binh"]
    client.force_login(cast.office)
    response = client.post(
        issue_url(binh),
        {
            "kind": "temporary",
            "to_organisation": tree.c3.pk,
            "letter_number": "3-GT/ĐU",
            "letter_date": vn(today() - dt.timedelta(days=10)),
        },
    )
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and transfer.kind == TransferKind.TEMPORARY
    binh = fresh(binh)
    assert binh.is_away and binh.organisation == tree.c1 and binh.status == Status.OFFICIAL
    # The host cell's office acknowledges; it cannot end the transfer (the home side does).
    client.force_login(cast.outsider)
    page = client.get(detail_url(transfer))
    assert page.context["actions"] == {"acknowledge": True, "cancel": False, "end": False}
    client.post(reverse("transfers:acknowledge", args=[transfer.pk]), {"date": vn(today() - dt.timedelta(days=8))})
    assert fresh(transfer).state == TransferState.ACKNOWLEDGED
    end = reverse("transfers:end", args=[transfer.pk])
    assert client.post(end, {"date": vn(today())}).status_code == 403
    client.force_login(cast.office)
    assert client.get(detail_url(transfer)).context["actions"]["end"] is True
    response = client.post(end, {"date": vn(today()), "note": "Hết thời hạn"})
    assert response.status_code == 302
    transfer = fresh(transfer)
    assert transfer.state == TransferState.RETURNED and transfer.returned_on == today()
    assert not fresh(binh).is_away


def test_transfer_out_of_the_system_slip_recorded_by_the_sending_side(client, cast, people):
    out = letter(people["binh"], cast.office, external="Đảng bộ tỉnh Hậu Giang")
    assert fresh(people["binh"]).status == Status.TRANSFERRED_OUT
    client.force_login(cast.outsider)
    assert client.get(detail_url(out)).status_code == 404
    client.force_login(cast.office)
    assert client.get(detail_url(out)).context["actions"] == {"acknowledge": True, "cancel": True, "end": False}
    response = client.post(
        reverse("transfers:acknowledge", args=[out.pk]), {"date": vn(today()), "acknowledgment": "Phiếu 3"}
    )
    assert response.status_code == 302 and fresh(out).state == TransferState.ACKNOWLEDGED
    assert fresh(people["binh"]).status == Status.TRANSFERRED_OUT


# --- arriving from outside -------------------------------------------------------------------------


def _arrival(cell, **extra) -> dict:
    data = {
        "full_name": "Võ Văn Đến",
        "sex": "M",
        "birth_date": "02/04/1990",
        "ethnicity": "Kinh",
        "citizen_id": "092090000777",
        "cell": cell.pk,
        "from_external": "Đảng bộ tỉnh Hậu Giang",
        "letter_number": "88-GT/TU",
        "letter_date": vn(today() - dt.timedelta(days=20)),
        "issuer": "Ban Tổ chức Tỉnh ủy Hậu Giang",
        "admission_date": "03/02/2015",
        "official_date": "03/02/2016",
        "date": vn(today() - dt.timedelta(days=5)),
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("office", 200),
        ("outsider", 200),
        ("inspector", 403),
        ("leader", 403),
        ("secretary", 403),
        ("member", 403),
        ("nobody", 403),
    ],
)
def test_receive_page_access_per_role(client, cast, role, status):
    client.force_login(getattr(cast, role))
    assert client.get(RECEIVE).status_code == status


def test_receive_a_member_from_outside(client, cast, tree):
    client.force_login(cast.outsider)
    offered = set(client.get(RECEIVE).context["form"].fields["cell"].queryset)
    assert offered == {tree.c3}  # cells of committee B only
    response = client.post(RECEIVE, _arrival(tree.c3))
    created = Member.objects.get(citizen_id="092090000777")
    transfer = created.transfers.get()
    assert response.status_code == 302 and response["Location"] == detail_url(transfer)
    assert created.organisation == tree.c3 and created.status == Status.OFFICIAL
    assert (transfer.state, transfer.from_external, transfer.to_organisation) == (
        TransferState.ACKNOWLEDGED,
        "Đảng bộ tỉnh Hậu Giang",
        tree.c3,
    )
    assert transfer.acknowledged_by == cast.outsider


def test_receive_refusals_write_nothing(client, cast, tree):
    before = (Member.objects.count(), Transfer.objects.count(), MemberEvent.objects.count())
    client.force_login(cast.office)
    # A cell outside the office's scope is not a valid choice.
    response = client.post(RECEIVE, _arrival(tree.c3))
    assert response.status_code == 200 and response.context["form"].errors["cell"]
    # The rules: arrival before the letter.
    response = client.post(RECEIVE, _arrival(tree.c1, date=vn(today() - dt.timedelta(days=30))))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    # The rules: official before the end of probation.
    response = client.post(RECEIVE, _arrival(tree.c1, official_date="03/03/2015"))
    assert response.context["form"].non_field_errors()
    assert (Member.objects.count(), Transfer.objects.count(), MemberEvent.objects.count()) == before


# --- the list ---------------------------------------------------------------------------------------


def rows(response) -> set[int]:
    return {t.pk for t in response.context["page"].object_list}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("office", 200),
        ("inspector", 200),
        ("leader", 200),
        ("secretary", 200),
        ("outsider", 200),
        ("member", 403),
        ("nobody", 403),
    ],
)
def test_list_access_per_role(client, cast, role, status):
    client.force_login(getattr(cast, role))
    assert client.get(LIST).status_code == status


def test_list_scope_tabs_and_filters(client, cast, people, tree, to_c3, internal):
    old = letter(people["em"], cast.outsider, to=tree.c2, days_ago=150, number="1-GT/ĐU")  # B → A, overdue
    client.force_login(cast.office)
    assert rows(client.get(LIST)) == {to_c3.pk, internal.pk, old.pk}
    assert rows(client.get(LIST, {"tab": "outgoing"})) == {to_c3.pk, internal.pk}
    assert rows(client.get(LIST, {"tab": "incoming"})) == {internal.pk, old.pk}
    assert rows(client.get(LIST, {"tab": "overdue"})) == {old.pk}
    page = client.get(LIST)
    assert f'data-overdue="{old.pk}"'.encode() in page.content
    assert f'data-overdue="{to_c3.pk}"'.encode() not in page.content
    assert {value: n for value, _label, n in page.context["tabs"]} == {
        None: 3,  # "All": no tab parameter
        "outgoing": 2,
        "incoming": 2,
        "awaiting": 3,
        "overdue": 1,
    }
    assert rows(client.get(LIST, {"organisation": tree.c2.pk})) == {internal.pk, old.pk}
    # The outsider sees what concerns committee B only: not the transfer inside A.
    client.force_login(cast.outsider)
    assert rows(client.get(LIST)) == {to_c3.pk, old.pk}
    assert rows(client.get(LIST, {"tab": "incoming"})) == {to_c3.pk}
    # An organisation outside the scope is ignored rather than revealed.
    assert rows(client.get(LIST, {"organisation": tree.c1.pk})) == {to_c3.pk, old.pk}
    # The secretary of C1: transfers from or to C1.
    client.force_login(cast.secretary)
    assert rows(client.get(LIST)) == {to_c3.pk, internal.pk}
    # Acknowledged transfers leave "awaiting"; kinds filter.
    services.acknowledge(to_c3, cast.outsider, date=today())
    temp = letter(people["an"], cast.office, external="Đảng bộ tỉnh X", kind=TransferKind.TEMPORARY)
    client.force_login(cast.office)
    assert rows(client.get(LIST, {"tab": "awaiting"})) == {internal.pk, old.pk, temp.pk}
    assert rows(client.get(LIST, {"kind": "temporary"})) == {temp.pk}


def test_list_query_count_does_not_grow_with_rows(client, cast, tree, django_assert_max_num_queries):
    client.force_login(cast.office)
    client.get(LIST)  # warm the session

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    letter(testing.member(tree.c1), cast.office, to=tree.c3)
    small = count()
    for _ in range(12):
        letter(testing.member(tree.c2), cast.office, to=tree.c3)
    with django_assert_max_num_queries(15):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 13
    assert count() == small


# --- the member page --------------------------------------------------------------------------------


def test_member_page_offers_the_transfer_link_to_the_sending_office(client, cast, people):
    binh_url = reverse("members:detail", args=[people["binh"].pk])
    link = issue_url(people["binh"]).encode()
    client.force_login(cast.office)
    page = client.get(binh_url)
    assert page.context["can_transfer"] and link in page.content
    for role in ("secretary", "inspector", "admin"):
        client.force_login(getattr(cast, role))
        page = client.get(binh_url)
        assert (link in page.content) == (role == "admin"), role


def test_member_page_lists_transfers_and_shows_the_transit(client, cast, people, tree, to_c3):
    client.force_login(cast.office)
    page = client.get(reverse("members:detail", args=[people["binh"].pk]))
    assert page.context["member"].status == Status.IN_TRANSIT
    assert page.context["transfers"] == [to_c3] and page.context["open_transfer"] == to_c3
    assert detail_url(to_c3).encode() in page.content
    # In transit: no second letter.
    assert not page.context["can_transfer"] and issue_url(people["binh"]).encode() not in page.content
    assert page.context["candidate_url"] is None  # no admission file


def test_member_page_shows_the_end_of_probation(client, cast, tree):
    newcomer = testing.member(tree.c1, "Đỗ Thị Mới", admitted=dt.date(2025, 3, 1), official=False)
    client.force_login(cast.office)
    page = client.get(reverse("members:detail", args=[newcomer.pk]))
    assert newcomer.probation_end is not None
    assert f'id="probation-end">{newcomer.probation_end:%d/%m/%Y}'.encode() in page.content


def test_member_page_links_the_admission_file_for_those_who_may_open_it(client, cast, tree):
    from dangvu.admission import services as admission
    from dangvu.admission.models import Candidate

    newcomer = testing.member(tree.c1, "Đỗ Thị Mới", admitted=dt.date(2025, 3, 1), official=False)
    candidate = admission.create_candidate(
        {"full_name": "Đỗ Thị Mới", "sex": "F", "birth_date": dt.date(1995, 1, 1)},
        tree.c1,
        cast.secretary,
        date=dt.date(2024, 1, 10),
    )
    Candidate.objects.filter(pk=candidate.pk).update(member=newcomer)  # as after the ceremony
    member_url = reverse("members:detail", args=[newcomer.pk])
    file_url = reverse("admission:candidate", args=[candidate.pk])
    for role in ("office", "secretary"):
        client.force_login(getattr(cast, role))
        page = client.get(member_url)
        assert page.context["candidate_url"] == file_url and file_url.encode() in page.content
    client.force_login(cast.outsider)
    assert client.get(member_url).status_code == 404
