"""Inspection and supervision services: what is recorded, with its audit, and every refusal writing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from dangvu import testing
from dangvu.inspection import services
from dangvu.inspection.models import Activity, Kind, Mode, Organ, Programme, Remediation, Subject
from dangvu.inspection.tests.conftest import plan
from dangvu.lib.errors import DomainError

pytestmark = pytest.mark.django_db


def _programme(org, actor, year=2024, organ=Organ.INSPECTION):
    return services.create_programme(
        organisation=org,
        organ=organ,
        year=year,
        title=f"Chương trình kiểm tra, giám sát năm {year}",
        approved_on=dt.date(year, 1, 10),
        document_number="05-CTr/UBKT",
        actor=actor,
    )


def test_programme_activity_conclusion_and_remediation_to_closure(tree, cast):
    programme = _programme(tree.a, cast.inspector)
    member = testing.member(tree.c2, "Trần Thị Giám")
    activity = services.create_activity(
        plan(
            tree.a,
            organisations=[tree.a_base, tree.c1],
            members=[member],
            programme=programme,
            kind=Kind.SUPERVISION,
            mode=Mode.THEMATIC,
        ),
        cast.inspector,
    )
    subjects = {(s.organisation.code, s.member_id) for s in activity.subjects.all()}
    assert subjects == {("A1", None), ("A1-C1", None), ("A1-C2", member.pk)}  # the member by their cell
    services.conclude(
        activity,
        concluded_on=dt.date(2024, 3, 25),
        conclusion="Thực hiện tốt.",
        number="10-KL/UBKT",
        actor=cast.inspector,
    )
    item = services.add_remediation(
        activity,
        description="Bổ sung sổ ghi biên bản",
        owner="Chi ủy A1-C1",
        deadline=dt.date(2024, 6, 30),
        actor=cast.inspector,
    )
    services.close_remediation(item, closed_on=dt.date(2024, 6, 1), evidence="Biên bản số 3", actor=cast.inspector)
    item.refresh_from_db()
    activity.refresh_from_db()
    assert item.closed and item.evidence == "Biên bản số 3"
    assert activity.concluded_on == dt.date(2024, 3, 25) and activity.conclusion_number == "10-KL/UBKT"
    # Audit: every write has its history row with the acting user and reason.
    reasons = [h.history_change_reason for h in item.history.order_by("history_id")]
    assert reasons == ["remediation required", "remediation closed"]
    assert {h.history_user_id for h in activity.history.all()} == {cast.inspector.pk}
    assert programme.history.get().history_user_id == cast.inspector.pk


def _refused(fn, field):
    counts = (Activity.objects.count(), Subject.objects.count(), Remediation.objects.count())
    with pytest.raises(DomainError) as err:
        fn()
    assert field in err.value.message_dict, err.value.message_dict
    assert err.value.message_dict[field][0]
    assert (Activity.objects.count(), Subject.objects.count(), Remediation.objects.count()) == counts
    return err.value.message_dict[field]


def test_dates_out_of_order_are_refused(tree, cast):
    messages = _refused(
        lambda: services.create_activity(
            plan(tree.a, organisations=[tree.a_base], start=dt.date(2024, 3, 1), end=dt.date(2024, 2, 1)),
            cast.inspector,
        ),
        "end",
    )
    assert "Ngày kết thúc không được trước ngày bắt đầu." in messages  # Vietnamese by default
    activity = services.create_activity(plan(tree.a, organisations=[tree.a_base]), cast.inspector)
    _refused(
        lambda: services.conclude(activity, concluded_on=dt.date(2024, 3, 2), conclusion="x", actor=cast.inspector),
        "concluded_on",
    )
    _refused(
        lambda: services.add_remediation(
            activity, description="x", owner="y", deadline=dt.date(2024, 1, 1), actor=cast.inspector
        ),
        "deadline",
    )


def test_subject_outside_the_subtree_is_refused(tree, cast):
    # B1 and a member of B1's cell are under B, not under A; A1 is not under itself.
    outsider = testing.member(tree.c3)
    messages = _refused(
        lambda: services.create_activity(
            plan(tree.a, organisations=[tree.a_base, tree.b_base], members=[outsider]), cast.admin
        ),
        "subjects",
    )
    assert len(messages) == 2
    _refused(lambda: services.create_activity(plan(tree.a_base, organisations=[tree.a_base]), cast.admin), "subjects")
    _refused(lambda: services.create_activity(plan(tree.a, organisations=[]), cast.admin), "subjects")


def test_remediation_closed_without_evidence_is_refused(tree, cast):
    activity = services.create_activity(plan(tree.a, organisations=[tree.a_base]), cast.inspector)
    item = services.add_remediation(
        activity, description="Sửa quy chế", owner="Đảng ủy A1", deadline=dt.date(2024, 9, 1), actor=cast.inspector
    )
    _refused(
        lambda: services.close_remediation(item, closed_on=dt.date(2024, 8, 1), evidence="  ", actor=cast.inspector),
        "evidence",
    )
    item.refresh_from_db()
    assert item.closed_on is None and item.history.count() == 1
    services.close_remediation(item, closed_on=dt.date(2024, 8, 1), evidence="Quy chế mới", actor=cast.inspector)
    with pytest.raises(DomainError):
        services.close_remediation(item, closed_on=dt.date(2024, 8, 2), evidence="lại", actor=cast.inspector)


def test_modes_and_programmes(tree, cast):
    # A supervision is never "on signs of violation"; outside a programme only an inspection on signs.
    _refused(
        lambda: services.create_activity(
            plan(tree.a, organisations=[tree.a_base], kind=Kind.SUPERVISION, mode=Mode.SIGNS), cast.inspector
        ),
        "mode",
    )
    _refused(
        lambda: services.create_activity(plan(tree.a, organisations=[tree.a_base], mode=Mode.REGULAR), cast.inspector),
        "programme",
    )
    programme = _programme(tree.a, cast.inspector, year=2023)
    _refused(
        lambda: services.create_activity(
            plan(tree.a, organisations=[tree.a_base], mode=Mode.REGULAR, programme=programme), cast.inspector
        ),
        "start",
    )
    committee_programme = _programme(tree.a, cast.inspector, year=2024, organ=Organ.COMMITTEE)
    _refused(
        lambda: services.create_activity(
            plan(tree.a, organisations=[tree.a_base], mode=Mode.REGULAR, programme=committee_programme), cast.inspector
        ),
        "programme",
    )
    with pytest.raises(DomainError) as err:
        _programme(tree.a, cast.inspector, year=2023)
    assert "year" in err.value.message_dict
    assert Programme.objects.count() == 2


@pytest.mark.parametrize("who", ["office", "leader", "secretary", "member", "outsider", "nobody"])
def test_only_the_inspection_committee_and_admin_record(tree, cast, who):
    user = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        services.create_activity(plan(tree.a, organisations=[tree.a_base]), user)
    with pytest.raises(PermissionDenied):
        _programme(tree.a, user)
    assert not Activity.objects.exists() and not Programme.objects.exists()


def test_inspection_committee_records_within_its_subtree_only(tree, cast):
    assert services.create_activity(plan(tree.a, organisations=[tree.a_base]), cast.inspector).pk
    with pytest.raises(PermissionDenied):
        services.create_activity(plan(tree.b, organisations=[tree.b_base]), cast.inspector)
    assert services.create_activity(plan(tree.b, organisations=[tree.b_base]), cast.admin).pk
