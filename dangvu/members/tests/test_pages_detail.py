"""The member record page: who may open it, what each role sees (audit history, edit buttons), the events
timeline with annulments, the membership periods, and a query budget independent of the history length."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.members import services
from dangvu.members.models import EventKind

pytestmark = pytest.mark.django_db


def url(member) -> str:
    return reverse("members:detail", args=[member.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("office", 200),
        ("inspector", 200),
        ("leader", 200),
        ("secretary", 200),
        ("member", 200),  # An is the plain member's own record
        ("outsider", 404),  # office of committee B: An is outside its scope
        ("nobody", 404),
    ],
)
def test_detail_access_per_role(client, cast, people, role, status):
    client.force_login(getattr(cast, role))
    assert client.get(url(people["an"])).status_code == status


def test_member_sees_only_own_record(client, cast, people):
    client.force_login(cast.member)
    assert client.get(url(people["an"])).status_code == 200
    assert client.get(url(people["binh"])).status_code == 404  # same cell, still not theirs
    assert client.get(url(people["em"])).status_code == 404


def test_secretary_sees_own_cell_only(client, cast, people):
    client.force_login(cast.secretary)
    assert client.get(url(people["binh"])).status_code == 200
    assert client.get(url(people["duc"])).status_code == 404  # cell C2


def test_unknown_id_is_404(client, cast):
    client.force_login(cast.admin)
    assert client.get(reverse("members:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("role", "audit", "edit"),
    [
        ("admin", True, True),
        ("office", True, True),
        ("inspector", True, False),
        ("leader", True, False),
        ("secretary", False, False),
        ("member", False, False),
    ],
)
def test_audit_history_and_edit_buttons_per_role(client, cast, people, role, audit, edit):
    an = people["an"]
    services.update_member(an, {"occupation": "Kỹ sư"}, cast.office, reason="QĐ 12-QĐ/ĐU")
    client.force_login(getattr(cast, role))
    page = client.get(url(an))
    body = page.content.decode()
    assert ('id="h-audit"' in body) is audit
    assert ("QĐ 12-QĐ/ĐU" in body) is audit  # the change reason is part of the audit history
    assert (reverse("members:edit", args=[an.pk]) in body) is edit
    assert (reverse("members:record_event", args=[an.pk]) in body) is edit


def test_record_groups_and_party_data(client, cast, people, tree):
    an = people["an"]
    client.force_login(cast.office)
    page = client.get(url(an))
    body = page.content.decode()
    for section in ("h-identity", "h-education", "h-party", "h-events", "h-periods"):
        assert f'id="{section}"' in body
    assert an.admission_date.strftime("%d/%m/%Y") in body
    assert an.official_date.strftime("%d/%m/%Y") in body
    assert an.birth_date.strftime("%d/%m/%Y") in body
    assert page.context["party_age"] == an.party_age(dt.date.today())
    assert page.context["party_age"] >= 9  # admitted 01/03/2016
    assert f'href="{reverse("orgs:detail", args=[tree.c1.pk])}"' in body


def test_events_timeline_with_annulment_and_periods(client, cast, people, tree):
    an = people["an"]
    transfer = services.record_event(
        an,
        actor=cast.office,
        kind=EventKind.TRANSFER,
        date=dt.date(2020, 6, 1),
        organisation=tree.c2,
        document_number="45-QĐ/ĐU",
        document_date=dt.date(2020, 5, 28),
        issuer="Đảng ủy Sở Một",
    )
    services.annul_event(transfer, cast.office, reason="Nhầm chi bộ")
    client.force_login(cast.office)
    page = client.get(url(an))
    body = page.content.decode()
    assert "45-QĐ/ĐU" in body and "28/05/2020" in body and "Đảng ủy Sở Một" in body
    assert '<tr class="annulled">' in body and "<s>01/06/2020</s>" in body and "Nhầm chi bộ" in body
    # The annulled transfer no longer shapes the timeline: one period in C1 (probationary, then official).
    periods = page.context["periods"]
    assert {p.organisation_id for p in periods} == {tree.c1.pk}
    assert [p.valid_from for p in periods] == [dt.date(2016, 3, 1), dt.date(2017, 3, 1)]


def test_transfer_out_to_an_external_organisation_is_shown(client, cast, people):
    duc = people["duc"]
    services.record_event(
        duc, actor=cast.office, kind=EventKind.TRANSFER_OUT, date=dt.date(2023, 2, 1), external_organisation="Đảng bộ X"
    )
    client.force_login(cast.office)
    body = client.get(url(duc)).content.decode()
    assert "Đảng bộ X" in body


def test_audit_shows_who_and_before_after(client, cast, people):
    an = people["an"]
    services.update_member(an, {"home_town": "Vĩnh Long"}, cast.office, reason="Đính chính theo lý lịch")
    client.force_login(cast.inspector)
    page = client.get(url(an))
    newest = page.context["audit"][0]
    assert newest["user"] == cast.office
    assert newest["reason"] == "Đính chính theo lý lịch"
    label = str(an._meta.get_field("home_town").verbose_name)  # in the active language
    changes = [(str(c["field"]), c["old"], c["new"]) for c in newest["changes"]]
    assert changes == [(label, "—", "Vĩnh Long")]
    assert "Vĩnh Long" in page.content.decode()


def test_audit_names_a_hidden_field_without_its_values(client, cast, people):
    """The inspection committee reads the change history but not the religion (personal-data table): the
    change is listed, its values are not."""
    an = people["an"]
    services.update_member(an, {"religion": "Phật giáo"}, cast.office, reason="Đính chính theo lý lịch")
    client.force_login(cast.inspector)
    page = client.get(url(an))
    change = page.context["audit"][0]["changes"][0]
    assert change["hidden"] and (change["old"], change["new"]) == ("", "")
    assert "Phật giáo" not in page.content.decode()
    client.force_login(cast.office)
    assert "Phật giáo" in client.get(url(an)).content.decode()


def test_audit_names_the_cells_of_a_transfer(client, cast, people, tree):
    an = people["an"]
    services.record_event(
        an, actor=cast.office, kind=EventKind.TRANSFER, date=dt.date(2021, 1, 4), organisation=tree.c2
    )
    client.force_login(cast.office)
    newest = client.get(url(an)).context["audit"][0]
    cell = next(c for c in newest["changes"] if c["field"] == an._meta.get_field("organisation").verbose_name)
    assert (cell["old"], cell["new"]) == (tree.c1.name, tree.c2.name)


def test_detail_query_count_is_constant_in_events_and_history(client, cast, people, django_assert_max_num_queries):
    an = people["an"]
    client.force_login(cast.office)
    client.get(url(an))  # warm the session

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url(an)).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for year in range(2018, 2024):
        services.record_event(an, actor=cast.office, kind=EventKind.EXEMPTION, date=dt.date(year, 1, 5))
        services.record_event(an, actor=cast.office, kind=EventKind.EXEMPTION_END, date=dt.date(year, 6, 5))
        services.update_member(an, {"position": f"Chức vụ {year}"}, cast.office, reason="test")
    with django_assert_max_num_queries(20):
        client.get(url(an))
    assert count() == small
