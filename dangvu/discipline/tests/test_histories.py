"""Expulsion ends the membership through a member event, dissolution through a reorganisation, removal from
post ends the committee seat; an appeal annulling an expulsion annuls the event; each write is audited."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.discipline import services
from dangvu.discipline.models import AppealOutcome, Case, Form, Organ
from dangvu.discipline.tests.conftest import DECIDED, decision, open_member_case
from dangvu.lib.errors import DomainError
from dangvu.members.models import EventKind, Member, MemberEvent, Status
from dangvu.orgs.models import Organisation, ReorgKind
from dangvu.rules import presentation

pytestmark = pytest.mark.django_db


def test_expulsion_through_the_member_history(tree, people, cast):
    case = open_member_case(people["binh"], cast.inspector, Form.EXPULSION)
    case = services.decide(
        case, decision(Form.EXPULSION, tree.a_base, Organ.COMMITTEE, number="7-QĐ/ĐU"), cast.inspector
    )
    member = Member.objects.get(pk=people["binh"].pk)
    assert member.status == Status.EXPELLED
    event = member.events.get(kind=EventKind.EXPULSION)
    assert (event.date, event.document_number, event.recorded_by) == (DECIDED, "7-QĐ/ĐU", cast.inspector)
    assert case.member_event == event
    assert case.history.first().history_user == cast.inspector
    assert not member.periods.filter(valid_to__isnull=True).exists()  # the membership ended
    # A second decision on the expelled member is refused.
    other = Case.objects.create(
        subject_kind="member",
        member=member,
        organisation=tree.c1,
        category="other",
        facts="x",
        violation_date=dt.date(2026, 1, 1),
        proposed_form=Form.WARNING,
        opened_on=dt.date(2026, 6, 1),
    )
    with pytest.raises(DomainError):
        services.decide(other, decision(Form.WARNING, tree.c1), cast.inspector)


def test_appeal_annulling_an_expulsion_restores_the_membership(tree, people, cast):
    case = open_member_case(people["binh"], cast.inspector, Form.EXPULSION)
    case = services.decide(case, decision(Form.EXPULSION, tree.a_base, Organ.COMMITTEE), cast.inspector)
    with pytest.raises(DomainError) as error:
        services.lodge_appeal(case, dt.date(2026, 8, 2), "Ủy ban Kiểm tra Đảng ủy A", cast.inspector)
    assert presentation.label("discipline.appeal_months") in error.value.message_dict["appeal_lodged_on"][0]
    case = services.lodge_appeal(case, dt.date(2026, 8, 1), "Ủy ban Kiểm tra Đảng ủy A", cast.inspector)
    assert case.appeal_due > dt.date(2026, 8, 1)
    case = services.settle_appeal(
        case, AppealOutcome.CHANGED, dt.date(2026, 9, 15), "3-QĐ/UBKT", cast.inspector, new_form=Form.WARNING
    )
    member = Member.objects.get(pk=people["binh"].pk)
    assert member.status == Status.OFFICIAL and case.final_form == Form.WARNING
    annulment = MemberEvent.objects.get(member=member, kind=EventKind.ANNULMENT)
    assert annulment.annuls_id == case.member_event_id
    assert [h.history_change_reason for h in case.history.order_by("history_id")][-1] == "appeal settled"


def test_dissolution_through_a_reorganisation(tree, people, cast):
    case = services.open_case(
        organisation=tree.c2,
        category="democratic_centralism",
        facts="Mất sức chiến đấu.",
        violation_date=dt.date(2026, 1, 5),
        proposed_form=Form.DISSOLUTION,
        opened_on=dt.date(2026, 6, 1),
        actor=cast.inspector,
    )
    d = decision(Form.DISSOLUTION, tree.a_base, Organ.COMMITTEE, number="20-QĐ/ĐU")
    with pytest.raises(DomainError) as error:  # Đức is still in C2: the orgs service refuses, nothing written
        services.decide(case, d, cast.inspector)
    assert "member" in str(error.value).lower() or "đảng viên" in str(error.value).lower()
    case.refresh_from_db()
    assert case.state == "open"
    from dangvu.members import services as member_services

    member_services.record_event(
        people["duc"], cast.office, kind=EventKind.TRANSFER, date=dt.date(2026, 6, 20), organisation=tree.c1
    )
    case = services.decide(case, d, cast.inspector)
    c2 = Organisation.objects.get(pk=tree.c2.pk)
    assert c2.valid_to == DECIDED
    assert case.reorganisation.kind == ReorgKind.DISSOLVE and case.reorganisation.document_number == "20-QĐ/ĐU"


def test_removal_from_post_ends_the_seat(tree, people, cast, seat):
    case = open_member_case(people["duc"], cast.inspector, Form.REMOVAL)
    with pytest.raises(DomainError) as error:
        services.decide(case, decision(Form.REMOVAL, tree.a, Organ.STANDING), cast.inspector)
    assert "seat" in error.value.message_dict
    case = services.decide(case, decision(Form.REMOVAL, tree.a, Organ.STANDING, seat_id=seat.pk), cast.inspector)
    seat.refresh_from_db()
    assert seat.valid_to == DECIDED and case.committee_member and case.seat == seat


def test_state_notice(tree, people, cast):
    with pytest.raises(DomainError) as error:
        services.record_state_notice(
            people["an"],
            body="Sở Tài chính",
            form="Khiển trách",
            document_number="5/QĐ-STC",
            document_date=dt.date(2026, 5, 10),
            notified_on=dt.date(2026, 5, 1),
            actor=cast.inspector,
        )
    assert "notified_on" in error.value.message_dict
    notice = services.record_state_notice(
        people["an"],
        body="Sở Tài chính",
        form="Khiển trách",
        document_number="5/QĐ-STC",
        document_date=dt.date(2026, 5, 10),
        notified_on=dt.date(2026, 5, 20),
        actor=cast.inspector,
    )
    assert services.notice_due(notice) == dt.date(2026, 5, 15)
    assert notice.organisation == tree.c1 and notice.history.first().history_user == cast.inspector


def test_dropped_case(tree, people, cast):
    case = open_member_case(people["an"], cast.inspector)
    with pytest.raises(DomainError):
        services.drop(case, "", dt.date(2026, 7, 1), cast.inspector)
    case = services.drop(case, "Không có căn cứ", dt.date(2026, 7, 1), cast.inspector)
    assert case.state == "dropped"
    with pytest.raises(DomainError):
        services.decide(case, decision(Form.REPRIMAND, tree.c1), cast.inspector)
