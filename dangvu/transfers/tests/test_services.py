"""Transfers of party activity through dangvu.transfers.services (issue 3 acceptance): the letter, the
member in transit, the acknowledgment, the overdue alert on both sides, cancel, temporary transfers and
members arriving from outside the system. The member's timeline (MemberPeriod) is checked day by day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dangvu.admission.counts import admission_counts, year_range
from dangvu.alerts.sources import Kind, due_items
from dangvu.lib.errors import DomainError
from dangvu.members.models import EventKind, Member, MemberEvent, Status
from dangvu.orgs.queries import cell_on
from dangvu.transfers import services
from dangvu.transfers.access import can_acknowledge, can_manage_sending_side
from dangvu.transfers.models import Transfer, TransferKind, TransferState

pytestmark = pytest.mark.django_db
D = dt.date


def periods(member: Member) -> list[tuple]:
    return list(
        member.periods.order_by("valid_from").values_list(
            "organisation__code", "status", "is_away", "valid_from", "valid_to"
        )
    )


def transfer_alerts(user) -> list[tuple[int, bool]]:
    return [(a.object_id, a.overdue) for a in due_items(user) if a.kind == Kind.TRANSFER_UNACKNOWLEDGED]


def issue(member, actor, **kw) -> Transfer:
    data = {"kind": TransferKind.OFFICIAL, "letter_number": "45-GT/ĐU", "letter_date": D(2026, 1, 20)}
    data.update(kw)
    return services.issue(member, actor, **data)


def test_present_by_counts_working_days_across_tet():
    # Letter Tue 20/01/2026: 21–23/01 (3), 26–30 (8), 2–6/02 (13), 9–13/02 (18), Tết 16–20/02,
    # 23–27/02 (23), 2–6/03 (28), Mon 9 (29), Tue 10/03/2026 (30).
    assert services.present_by(D(2026, 1, 20)) == D(2026, 3, 10)


def test_unacknowledged_transfer_is_overdue_on_both_sides_until_acknowledged(tree, people, cast):
    binh = people["binh"]
    t = issue(binh, cast.office, to_organisation=tree.c3, issuer="Đảng ủy Sở Một", reason="Chuyển công tác")
    assert (t.state, t.due_on, t.from_organisation, t.to_organisation) == (
        TransferState.IN_TRANSIT,
        D(2026, 3, 10),
        tree.c1,
        tree.c3,
    )
    assert t.history.get().history_user == cast.office
    binh.refresh_from_db()
    assert binh.status == Status.IN_TRANSIT
    out = t.out_event
    assert (out.kind, out.date, out.organisation, out.document_number) == (
        EventKind.TRANSFER_OUT,
        D(2026, 1, 20),
        tree.c3,
        "45-GT/ĐU",
    )

    # Nobody acknowledged by 10/03/2026: overdue for the sending office (A) and the receiving one (B).
    assert can_manage_sending_side(cast.office, t) and not can_acknowledge(cast.office, t)
    assert can_acknowledge(cast.outsider, t) and not can_manage_sending_side(cast.outsider, t)
    assert transfer_alerts(cast.office) == [(t.pk, True)]
    assert transfer_alerts(cast.outsider) == [(t.pk, True)]
    alert = next(a for a in due_items(cast.outsider) if a.object_id == t.pk)
    assert (alert.organisation_id, alert.due, alert.subject) == (tree.c3.pk, D(2026, 3, 10), "Trần Thị Bình")
    assert alert.url == f"/transfers/{t.pk}/"
    assert transfer_alerts(cast.member) == []  # An does not see Bình's transfer

    with pytest.raises(DomainError):  # before the letter
        services.acknowledge(t, cast.outsider, date=D(2026, 1, 19))
    with pytest.raises(DomainError):
        services.acknowledge(t, cast.outsider, date=timezone.localdate() + dt.timedelta(days=1))
    services.acknowledge(t, cast.outsider, date=D(2026, 3, 20), acknowledgment="Phiếu số 12")
    t.refresh_from_db()
    assert (t.state, t.acknowledged_on, t.acknowledged_by, t.acknowledgment) == (
        TransferState.ACKNOWLEDGED,
        D(2026, 3, 20),
        cast.outsider,
        "Phiếu số 12",
    )
    assert t.in_event.kind == EventKind.TRANSFER_IN and t.in_event.organisation == tree.c3
    assert transfer_alerts(cast.office) == [] and transfer_alerts(cast.outsider) == []
    with pytest.raises(DomainError):
        services.acknowledge(t, cast.outsider, date=D(2026, 3, 21))

    # The timeline: in C1 until the letter, in no cell while in transit, in C3 from the acknowledgment.
    binh.refresh_from_db()
    assert (binh.status, binh.organisation) == (Status.OFFICIAL, tree.c3)
    assert periods(binh) == [
        ("A1-C1", Status.PROBATIONARY, False, D(2016, 3, 1), D(2017, 3, 1)),
        ("A1-C1", Status.OFFICIAL, False, D(2017, 3, 1), D(2026, 1, 20)),
        ("B1-C3", Status.OFFICIAL, False, D(2026, 3, 20), None),
    ]
    assert cell_on(binh, D(2026, 1, 19)) == tree.c1
    assert cell_on(binh, D(2026, 1, 20)) is None
    assert cell_on(binh, D(2026, 3, 19)) is None
    assert cell_on(binh, D(2026, 3, 20)) == tree.c3


def test_member_in_transit_does_not_vote_in_the_sending_cell(tree, people, cast):
    from dangvu.admission.services import official_members_on

    issue(people["binh"], cast.office, to_organisation=tree.c2)
    assert official_members_on(tree.c1, D(2026, 1, 19)) == 2
    assert official_members_on(tree.c1, D(2026, 2, 1)) == 1
    assert official_members_on(tree.c2, D(2026, 2, 1)) == 1  # Đức only, until C2 acknowledges


def test_cancel_restores_the_member_to_the_sending_cell(tree, people, cast):
    binh = people["binh"]
    before = periods(binh)
    t = issue(binh, cast.office, to_organisation=tree.c2, letter_date=D(2026, 5, 4))
    binh.refresh_from_db()
    assert binh.status == Status.IN_TRANSIT
    with pytest.raises(DomainError):
        services.cancel(t, cast.office, reason=" ")
    services.cancel(t, cast.office, reason="Đồng chí không chuyển công tác nữa")
    t.refresh_from_db()
    binh.refresh_from_db()
    assert t.state == TransferState.CANCELLED and "không chuyển" in t.note
    assert (binh.status, binh.organisation) == (Status.OFFICIAL, tree.c1)
    assert periods(binh) == before
    assert cell_on(binh, D(2026, 5, 4)) == tree.c1
    # The letter stays in the audit trail, annulled.
    assert MemberEvent.objects.filter(annuls=t.out_event, kind=EventKind.ANNULMENT).exists()
    with pytest.raises(DomainError):
        services.cancel(t, cast.office, reason="again")
    with pytest.raises(DomainError):
        services.acknowledge(t, cast.office, date=D(2026, 5, 6))
    assert transfer_alerts(cast.office) == []
    issue(binh, cast.office, to_organisation=tree.c2, letter_date=D(2026, 6, 1))  # a new letter is possible


def test_temporary_transfer_and_return(tree, people, cast):
    binh = people["binh"]
    t = issue(binh, cast.office, kind=TransferKind.TEMPORARY, to_organisation=tree.c3, letter_date=D(2026, 4, 1))
    binh.refresh_from_db()
    assert (binh.status, binh.organisation, binh.is_away) == (Status.OFFICIAL, tree.c1, True)
    assert t.out_event.kind == EventKind.TEMP_TRANSFER_OUT and t.out_event.organisation is None
    services.acknowledge(t, cast.outsider, date=D(2026, 4, 6))
    t.refresh_from_db()
    assert (t.state, t.in_event) == (TransferState.ACKNOWLEDGED, None)
    services.end_temporary(t, cast.office, date=D(2026, 7, 1), note="Hết thời hạn")
    t.refresh_from_db()
    binh.refresh_from_db()
    assert (t.state, t.returned_on) == (TransferState.RETURNED, D(2026, 7, 1))
    assert t.in_event.kind == EventKind.TEMP_TRANSFER_RETURN
    assert (binh.organisation, binh.is_away) == (tree.c1, False)
    assert periods(binh) == [
        ("A1-C1", Status.PROBATIONARY, False, D(2016, 3, 1), D(2017, 3, 1)),
        ("A1-C1", Status.OFFICIAL, False, D(2017, 3, 1), D(2026, 4, 1)),
        ("A1-C1", Status.OFFICIAL, True, D(2026, 4, 1), D(2026, 7, 1)),
        ("A1-C1", Status.OFFICIAL, False, D(2026, 7, 1), None),
    ]
    assert cell_on(binh, D(2026, 5, 1)) == tree.c1  # still a member of the home cell
    with pytest.raises(DomainError):
        services.end_temporary(t, cast.office, date=D(2026, 7, 2))
    official = issue(people["an"], cast.office, to_organisation=tree.c2, letter_date=D(2026, 4, 1))
    with pytest.raises(DomainError):  # only a temporary transfer ends with a return
        services.end_temporary(official, cast.office, date=D(2026, 5, 1))


def test_transfer_out_of_the_system(tree, people, cast):
    duc = people["duc"]
    t = issue(duc, cast.office, to_external="Đảng bộ tỉnh Sóc Trăng", letter_date=D(2026, 2, 2))
    duc.refresh_from_db()
    assert duc.status == Status.TRANSFERRED_OUT
    assert cell_on(duc, D(2026, 2, 1)) == tree.c2 and cell_on(duc, D(2026, 2, 2)) is None
    assert can_acknowledge(cast.office, t)  # the sending side records the returned slip
    services.acknowledge(t, cast.office, date=D(2026, 3, 2), acknowledgment="Phiếu báo đã nhận")
    duc.refresh_from_db()
    t.refresh_from_db()
    assert (t.state, t.in_event, duc.status) == (TransferState.ACKNOWLEDGED, None, Status.TRANSFERRED_OUT)


def test_receive_from_outside(tree, cast):
    t = services.receive_from_outside(
        {"full_name": "Lâm Văn Đến", "sex": "M", "birth_date": D(1990, 2, 3), "citizen_id": "094090001122"},
        tree.c2,
        cast.office,
        date=D(2026, 5, 10),
        from_external="Đảng bộ tỉnh Hậu Giang",
        letter_number="7-GT/TU",
        letter_date=D(2026, 5, 2),
        admission_date=D(2015, 6, 1),
        official_date=D(2016, 6, 1),
        issuer="Tỉnh ủy Hậu Giang",
    )
    assert (t.state, t.kind, t.from_organisation, t.from_external, t.acknowledged_on) == (
        TransferState.ACKNOWLEDGED,
        TransferKind.OFFICIAL,
        None,
        "Đảng bộ tỉnh Hậu Giang",
        D(2026, 5, 10),
    )
    m = t.member
    assert (m.status, m.organisation, m.admission_date, m.official_date) == (
        Status.OFFICIAL,
        tree.c2,
        D(2015, 6, 1),
        D(2016, 6, 1),
    )
    assert list(m.events.values_list("kind", flat=True)) == [
        EventKind.ADMISSION,
        EventKind.OFFICIAL,
        EventKind.TRANSFER_IN,
    ]
    assert t.in_event.kind == EventKind.TRANSFER_IN
    assert periods(m) == [("A1-C2", Status.OFFICIAL, False, D(2026, 5, 10), None)]
    assert cell_on(m, D(2026, 5, 9)) is None and cell_on(m, D(2026, 5, 10)) == tree.c2
    # Admitted elsewhere: not an admission of this committee.
    assert admission_counts(tree.a, *year_range(2015)).total.admissions == 0

    members = Member.objects.count()
    fields = {"full_name": "Lâm Văn Sau", "sex": "M", "birth_date": D(1990, 2, 3)}
    common = {"letter_number": "8-GT/TU", "letter_date": D(2026, 5, 2), "admission_date": D(2015, 6, 1)}
    with pytest.raises(DomainError):  # acknowledged before the letter
        services.receive_from_outside(fields, tree.c2, None, date=D(2026, 5, 1), from_external="X", **common)
    with pytest.raises(DomainError):  # sender not named
        services.receive_from_outside(fields, tree.c2, None, date=D(2026, 5, 3), from_external=" ", **common)
    with pytest.raises(DomainError):  # a committee does not hold members
        services.receive_from_outside(fields, tree.a_base, None, date=D(2026, 5, 3), from_external="X", **common)
    assert Member.objects.count() == members and Transfer.objects.count() == 1


def test_refused_letters_change_nothing(tree, people, cast):
    binh = people["binh"]
    snapshot = (Transfer.objects.count(), MemberEvent.objects.count(), periods(binh))
    bad = [
        {"to_organisation": tree.a_base},  # not a cell
        {"to_organisation": tree.c1},  # the member's own cell
        {"to_organisation": tree.c2, "to_external": "Tỉnh khác"},  # both
        {},  # neither
        {"to_organisation": tree.c2, "letter_number": " "},
        {"to_organisation": tree.c2, "letter_date": timezone.localdate() + dt.timedelta(days=1)},
        {"to_organisation": tree.c2, "kind": "forever"},
    ]
    for kw in bad:
        with pytest.raises(DomainError):
            issue(binh, cast.office, **kw)
    assert (Transfer.objects.count(), MemberEvent.objects.count(), periods(binh)) == snapshot

    issue(binh, cast.office, to_organisation=tree.c2)
    with pytest.raises(DomainError):  # one open letter at a time
        issue(binh, cast.office, to_organisation=tree.c3, letter_date=D(2026, 2, 1))
    assert Transfer.objects.filter(member=binh).count() == 1
