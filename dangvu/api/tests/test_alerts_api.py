"""GET /alerts: the deadlines of dangvu.alerts.sources.due_items within the caller's scope; a plain member
gets their own items only, a user without a role an empty list, no token a 401."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.admission import services as admission
from dangvu.admission.models import Stage
from dangvu.alerts.sources import Kind
from dangvu.lib.dates import add_months
from dangvu.testing import keep_alert_sources
from dangvu.transfers import services as transfers
from dangvu.transfers.models import TransferKind


@pytest.fixture(autouse=True)
def _admission_and_transfer_alerts_only(monkeypatch):
    """The meeting sources are tested in dangvu/meetings/tests/test_notify_and_alerts.py."""
    keep_alert_sources(monkeypatch, "dangvu.alerts.sources")


pytestmark = pytest.mark.django_db
LONG_AGO = dt.date(2024, 1, 10)


def candidate_due(cell, name: str, people):
    """An open file whose admission decision is recorded: the ceremony is due (long overdue)."""
    candidate = admission.create_candidate(
        {"full_name": name, "sex": "F", "birth_date": dt.date(1998, 4, 12)}, cell, None, date=dt.date(2023, 2, 1)
    )
    steps = [
        (Stage.COURSE, {"document_number": "125-GCN/TTCT"}),
        (Stage.APPLICATION, {}),
        (Stage.VERIFICATION, {"document_number": "17-BC/ĐU"}),
        (
            Stage.INTRODUCTION,
            {"introducers": [(people["an"], dt.date(2021, 1, 1)), (people["binh"], dt.date(2021, 1, 1))]},
        ),
        (Stage.CELL_RESOLUTION, {"votes_for": 2, "votes_against": 0}),
        (Stage.COMMITTEE_RESOLUTION, {"votes_for": 7, "votes_eligible": 7}),
        (Stage.DECISION, {"document_number": "301-QĐ/ĐU", "issuer": "Đảng ủy Sở Một"}),
    ]
    day = dt.date(2023, 2, 1)
    for stage, data in steps:
        day += dt.timedelta(days=20)
        admission.record_step(candidate, stage, None, date=day, **data)
    candidate.refresh_from_db()
    return candidate


def on_probation(cell, name: str, ends_in_days: int = 10):
    """A probationary member (admitted, no ceremony recorded) whose probation ends in `ends_in_days` days."""
    admitted = add_months(timezone.localdate(), -12) + dt.timedelta(days=ends_in_days)
    return testing.member(cell, name, admitted=admitted, official=False)


@pytest.fixture
def world(tree, people, cast):
    probationer = on_probation(tree.c2, "Hà Văn Dự Bị")
    return {
        "candidate": candidate_due(tree.c1, "Võ Thị Một", people),
        "probationer": probationer,
        "probationer_user": testing.user("probationer", Role.MEMBER, tree.c2, member_record=probationer),
        "cross": transfers.issue(
            people["duc"],
            None,
            kind=TransferKind.OFFICIAL,
            letter_number="12-GGT/ĐU",
            letter_date=LONG_AGO,
            to_organisation=tree.c3,
        ),
        "an_away": transfers.issue(
            people["an"],
            None,
            kind=TransferKind.TEMPORARY,
            letter_number="14-GGT/ĐU",
            letter_date=LONG_AGO,
            to_external="Chi bộ Trường Chính trị",
        ),
    }


def items(response) -> set[tuple[str, int]]:
    assert response.status_code == 200, response.content
    return {(a["kind"], a["object_id"]) for a in response.json()}


def test_alerts_are_scoped_for_every_role(api, cast, world):
    admission_step = (Kind.ADMISSION_STEP, world["candidate"].pk)
    probation = (Kind.PROBATION_ENDING, world["probationer"].pk)
    cross = (Kind.TRANSFER_UNACKNOWLEDGED, world["cross"].pk)
    an_away = (Kind.TRANSFER_UNACKNOWLEDGED, world["an_away"].pk)
    expected = {
        "admin": {admission_step, probation, cross, an_away},
        "office": {admission_step, probation, cross, an_away},
        "inspector": {admission_step, probation, cross, an_away},
        "leader": {admission_step, probation, cross, an_away},
        "secretary": {admission_step, an_away},  # cell C1 only
        "outsider": {cross},  # the transfer comes to committee B
        "member": {an_away},  # own transfer only
        "nobody": set(),
    }
    for name, user in cast.all().items():
        assert items(api(user).get("/alerts")) == expected[name], name
    assert items(api(world["probationer_user"]).get("/alerts")) == {probation}


def test_alert_fields_and_order(api, cast, world, tree):
    body = api(cast.office).get("/alerts").json()
    # Overdue first (by date), then due soon.
    assert [a["overdue"] for a in body] == [True, True, True, False]
    assert [a["due"] for a in body[:3]] == sorted(a["due"] for a in body[:3])
    by_kind = {a["kind"]: a for a in body if a["kind"] != Kind.TRANSFER_UNACKNOWLEDGED}
    step = by_kind[Kind.ADMISSION_STEP]
    candidate = world["candidate"]
    assert step["subject"] == "Võ Thị Một" and step["detail"] and step["kind_label"]
    assert step["organisation_id"] == tree.c1.pk and step["organisation_name"] == tree.c1.name
    assert step["due"] == candidate.due_on.isoformat() and candidate.due_stage == Stage.CEREMONY
    assert step["url"] == reverse("admission:candidate", args=[candidate.pk])
    probation = by_kind[Kind.PROBATION_ENDING]
    assert probation["subject"] == "Hà Văn Dự Bị" and probation["overdue"] is False
    assert probation["due"] == world["probationer"].probation_end.isoformat()
    assert probation["url"] == reverse("members:detail", args=[world["probationer"].pk])
    cross = next(a for a in body if a["object_id"] == world["cross"].pk and a["kind"] == Kind.TRANSFER_UNACKNOWLEDGED)
    assert cross["subject"] == "Lê Minh Đức" and cross["organisation_id"] == tree.c3.pk
    assert cross["url"] == reverse("transfers:detail", args=[world["cross"].pk]) and cross["overdue"] is True


def test_alerts_need_a_token(api, world):
    response = api().get("/alerts")
    assert response.status_code == 401
    assert api(key="not-a-token").get("/alerts").status_code == 401


def test_alerts_query_budget_does_not_grow_with_rows(api, cast, world, tree, people, django_assert_max_num_queries):
    office = api(cast.office)
    with django_assert_max_num_queries(8) as first:
        assert len(office.get("/alerts").json()) == 4
    for i in range(3):
        candidate_due(tree.c1, f"Lê Thị Ứng Viên {i}", people)
        on_probation(tree.c2, f"Trần Văn Dự Bị {i}", ends_in_days=5 + i)
        transfers.issue(
            testing.member(tree.c2),
            None,
            kind=TransferKind.TEMPORARY,
            letter_number=f"{40 + i}-GGT",
            letter_date=LONG_AGO,
            to_external="X",
        )
    office = api(cast.office)
    with django_assert_max_num_queries(len(first)):
        assert len(office.get("/alerts").json()) == 4 + 9
