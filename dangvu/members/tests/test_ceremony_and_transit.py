"""The member-record side of issue 3: the admission ceremony (probation runs from it, party age from the
decision) and the state "in transit" between an official transfer's letter and its acknowledgment."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.lib.errors import DomainError
from dangvu.members import services
from dangvu.members.models import EventKind, Member, MemberEvent, Status
from dangvu.orgs.queries import cell_on
from dangvu.rules.models import RuleSet

pytestmark = pytest.mark.django_db
D = dt.date
DECISION, CEREMONY = D(2023, 11, 10), D(2023, 12, 1)


def admitted_with_ceremony(cell, *events: dict) -> Member:
    return services.create_member(
        {"full_name": "Tạ Văn Mới", "sex": "M", "birth_date": D(1999, 1, 1)},
        [
            {"kind": EventKind.ADMISSION, "date": DECISION, "organisation": cell},
            {"kind": EventKind.CEREMONY, "date": CEREMONY, "organisation": cell},
            *events,
        ],
    )


def test_probation_runs_from_the_ceremony_and_party_age_from_the_decision(tree):
    m = admitted_with_ceremony(tree.c1)
    assert (m.status, m.admission_date, m.probation_end, m.official_date) == (
        Status.PROBATIONARY,
        DECISION,
        D(2024, 12, 1),
        None,
    )
    assert m.party_age(D(2024, 11, 10)) == 1
    # Twelve months after the decision is not enough: the probation ends twelve months after the ceremony.
    with pytest.raises(DomainError, match="01/12/2024"):
        services.record_event(m, kind=EventKind.OFFICIAL, date=D(2024, 11, 20), organisation=tree.c1)
    services.record_event(m, kind=EventKind.OFFICIAL, date=D(2025, 2, 3), organisation=tree.c1)  # approved late
    m.refresh_from_db()
    assert (m.status, m.official_date, m.probation_end) == (Status.OFFICIAL, D(2024, 12, 1), None)
    assert list(m.periods.values_list("status", "valid_from", "valid_to")) == [
        (Status.PROBATIONARY, DECISION, CEREMONY),
        (Status.PROBATIONARY, CEREMONY, D(2025, 2, 3)),
        (Status.OFFICIAL, D(2025, 2, 3), None),
    ]


def test_probation_length_is_the_rule_at_the_decision(tree):
    RuleSet.objects.create(effective_from=D(2023, 1, 1), name="test", values={"admission.probation_months": 18})
    m = admitted_with_ceremony(tree.c1)
    assert m.probation_end == D(2025, 6, 1)


def test_annulled_ceremony_puts_probation_back_on_the_decision(tree):
    m = admitted_with_ceremony(tree.c1)
    services.annul_event(m.events.get(kind=EventKind.CEREMONY), None, "Nhập nhầm ngày")
    m.refresh_from_db()
    assert m.probation_end == D(2024, 11, 10)


@pytest.mark.parametrize(
    "events",
    [
        # a second ceremony
        [{"kind": EventKind.CEREMONY, "date": D(2023, 12, 20)}],
        # a ceremony after official membership
        [
            {"kind": EventKind.OFFICIAL, "date": D(2025, 1, 5)},
            {"kind": EventKind.CEREMONY, "date": D(2025, 2, 1)},
        ],
    ],
)
def test_ceremony_is_once_and_follows_the_admission(tree, events):
    with pytest.raises(DomainError):
        admitted_with_ceremony(tree.c1, *events)
    assert not Member.objects.exists()


def test_ceremony_before_the_decision_is_refused(tree):
    with pytest.raises(DomainError):
        services.create_member(
            {"full_name": "Tạ Văn Sớm", "sex": "M", "birth_date": D(1999, 1, 1)},
            [
                {"kind": EventKind.CEREMONY, "date": D(2023, 11, 1)},
                {"kind": EventKind.ADMISSION, "date": DECISION, "organisation": tree.c1},
            ],
        )
    assert not Member.objects.exists()


def test_second_ceremony_refused_even_when_the_first_was_on_the_decision_day(tree):
    m = services.create_member(
        {"full_name": "Tạ Văn Cùng", "sex": "M", "birth_date": D(1999, 1, 1)},
        [
            {"kind": EventKind.ADMISSION, "date": DECISION, "organisation": tree.c1},
            {"kind": EventKind.CEREMONY, "date": DECISION},  # the ceremony the same day as the decision
        ],
    )
    events = MemberEvent.objects.count()
    with pytest.raises(DomainError):
        services.record_event(m, kind=EventKind.CEREMONY, date=D(2023, 12, 20))
    m.refresh_from_db()
    assert (MemberEvent.objects.count(), m.probation_end) == (events, D(2024, 11, 10))


def test_readmission_allows_a_new_ceremony(tree):
    m = admitted_with_ceremony(tree.c1, {"kind": EventKind.REMOVAL, "date": D(2024, 6, 1)})
    services.record_event(m, kind=EventKind.ADMISSION, date=D(2025, 3, 3), organisation=tree.c2)
    services.record_event(m, kind=EventKind.CEREMONY, date=D(2025, 3, 20))
    m.refresh_from_db()
    assert (m.status, m.organisation, m.admission_date, m.probation_end) == (
        Status.PROBATIONARY,
        tree.c2,
        D(2025, 3, 3),
        D(2026, 3, 20),
    )


# --- In transit ---------------------------------------------------------------------------------------


def test_in_transit_between_the_letter_and_the_acknowledgment(tree):
    m = testing.member(tree.c1)
    services.record_event(m, kind=EventKind.TRANSFER_OUT, date=D(2024, 5, 6), organisation=tree.c3)
    m.refresh_from_db()
    assert (m.status, m.organisation, m.in_party) == (Status.IN_TRANSIT, tree.c1, False)
    assert cell_on(m, D(2024, 5, 5)) == tree.c1 and cell_on(m, D(2024, 5, 6)) is None
    events = MemberEvent.objects.count()
    with pytest.raises(DomainError):  # received by another cell than the letter names
        services.record_event(m, kind=EventKind.TRANSFER_IN, date=D(2024, 5, 20), organisation=tree.c2)
    with pytest.raises(DomainError):  # no move between cells while in transit
        services.record_event(m, kind=EventKind.TRANSFER, date=D(2024, 5, 20), organisation=tree.c2)
    assert MemberEvent.objects.count() == events
    services.record_event(m, kind=EventKind.TRANSFER_IN, date=D(2024, 5, 20), organisation=tree.c3)
    m.refresh_from_db()
    assert (m.status, m.organisation) == (Status.OFFICIAL, tree.c3)
    assert list(m.periods.order_by("valid_from").values_list("organisation_id", "valid_from", "valid_to")) == [
        (tree.c1.pk, D(2016, 3, 1), D(2017, 3, 1)),
        (tree.c1.pk, D(2017, 3, 1), D(2024, 5, 6)),
        (tree.c3.pk, D(2024, 5, 20), None),
    ]


def test_in_transit_member_can_still_leave_the_party(tree):
    m = testing.member(tree.c1)
    services.record_event(m, kind=EventKind.TRANSFER_OUT, date=D(2024, 5, 6), organisation=tree.c3)
    services.record_event(m, kind=EventKind.DEATH, date=D(2024, 5, 10))
    m.refresh_from_db()
    assert (m.status, m.organisation) == (Status.DECEASED, tree.c1)
    with pytest.raises(DomainError):
        services.record_event(m, kind=EventKind.TRANSFER_IN, date=D(2024, 5, 20), organisation=tree.c3)


def test_transfer_out_of_the_system_is_not_in_transit(tree):
    m = testing.member(tree.c1)
    services.record_event(m, kind=EventKind.TRANSFER_OUT, date=D(2024, 5, 6), external_organisation="Tỉnh khác")
    m.refresh_from_db()
    assert m.status == Status.TRANSFERRED_OUT
    services.record_event(m, kind=EventKind.TRANSFER_IN, date=D(2025, 1, 6), organisation=tree.c2)  # back later
    m.refresh_from_db()
    assert (m.status, m.organisation) == (Status.OFFICIAL, tree.c2)
