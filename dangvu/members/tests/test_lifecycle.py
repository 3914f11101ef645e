import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dangvu import testing
from dangvu.lib.errors import DomainError
from dangvu.members import services
from dangvu.members.models import EventKind, Member, MemberEvent, Status
from dangvu.orgs.queries import cell_on
from dangvu.rules.models import RuleSet

pytestmark = pytest.mark.django_db


def test_admission_then_official_from_end_of_probation_even_if_late(tree):
    m = testing.member(tree.c1, admitted=dt.date(2020, 3, 10), official=False)
    assert m.status == Status.PROBATIONARY
    services.record_event(m, kind=EventKind.OFFICIAL, date=dt.date(2021, 5, 2), organisation=tree.c1)
    m.refresh_from_db()
    assert m.status == Status.OFFICIAL
    assert m.official_date == dt.date(2021, 3, 10)  # end of the 12 months, not the late decision date


def test_official_before_end_of_probation_is_refused(tree):
    m = testing.member(tree.c1, admitted=dt.date(2020, 3, 10), official=False)
    with pytest.raises(DomainError, match="12"):
        services.record_event(m, kind=EventKind.OFFICIAL, date=dt.date(2021, 1, 2))
    assert MemberEvent.objects.filter(member=m).count() == 1


def test_age_rules_at_admission(tree):
    with pytest.raises(DomainError):
        testing.member(tree.c1, birth=dt.date(2004, 6, 1), admitted=dt.date(2021, 5, 1))  # 16
    with pytest.raises(DomainError):
        testing.member(tree.c1, birth=dt.date(1950, 1, 1), admitted=dt.date(2021, 5, 1))  # 71
    assert not Member.objects.exists()


def test_age_at_admission_is_counted_in_months(tree):
    # A record entered without its admission file is judged on the decision date. Born 15/05/1961: exactly
    # 60 on 15/05/2021, 60 years and 30 days on 14/06/2021 (still 60 counted in months), 60 years 1 month on
    # 15/06/2021 (over). Born 20/05/2003: 18 on 20/05/2021, not yet on 19/05/2021 (same month, later day).
    with translation.override("en"), pytest.raises(DomainError, match="aged 60 years 1 month: over the maximum"):
        testing.member(tree.c1, birth=dt.date(1961, 5, 15), admitted=dt.date(2021, 6, 15), official=False)
    with translation.override("en"), pytest.raises(DomainError, match="aged 17 years 11 months: under"):
        testing.member(tree.c1, birth=dt.date(2003, 5, 20), admitted=dt.date(2021, 5, 19), official=False)
    testing.member(tree.c1, birth=dt.date(1961, 5, 15), admitted=dt.date(2021, 6, 14), official=False)
    testing.member(tree.c1, birth=dt.date(2003, 5, 20), admitted=dt.date(2021, 5, 20), official=False)
    assert Member.objects.count() == 2


def test_rule_set_change_applies_from_its_effective_date(tree):
    RuleSet.objects.create(effective_from=dt.date(2022, 1, 1), name="test", values={"admission.max_age": 75})
    with pytest.raises(DomainError):
        testing.member(tree.c1, birth=dt.date(1950, 1, 1), admitted=dt.date(2021, 5, 1))
    m = testing.member(tree.c1, birth=dt.date(1950, 1, 1), admitted=dt.date(2022, 5, 1), official=False)
    assert m.status == Status.PROBATIONARY


def test_future_dates_and_bad_fields_are_refused(tree):
    with pytest.raises(DomainError):
        testing.member(tree.c1, admitted=dt.date.today() + dt.timedelta(days=3), official=False)
    with pytest.raises(ValidationError):
        testing.member(tree.c1, citizen_id="12345")
    with pytest.raises(ValidationError):
        testing.member(tree.c1, birth=dt.date.today() + dt.timedelta(days=1))
    assert not Member.objects.exists()


def test_unique_citizen_id_and_card_number(tree):
    number = testing.new_citizen_id("M", dt.date(1985, 5, 5), province="012")  # testing.member's default person
    testing.member(tree.c1, citizen_id=number, card_number="12345678")
    with pytest.raises(DomainError, match=number):
        testing.member(tree.c2, citizen_id=number)
    with pytest.raises(DomainError, match="12345678"):
        testing.member(tree.c2, card_number="12345678")


def test_members_only_in_cells(tree):
    with pytest.raises(DomainError):
        testing.member(tree.a_base)


def test_transfer_history_answers_which_cell_on_a_date(tree):
    m = testing.member(tree.c1, admitted=dt.date(2016, 3, 1))
    services.record_event(m, kind=EventKind.TRANSFER, date=dt.date(2020, 6, 1), organisation=tree.c3)
    m.refresh_from_db()
    assert m.organisation == tree.c3
    assert cell_on(m, dt.date(2019, 1, 1)) == tree.c1
    assert cell_on(m, dt.date(2020, 6, 1)) == tree.c3
    assert cell_on(m, dt.date(2010, 1, 1)) is None


def test_transfer_out_and_back_in(tree):
    m = testing.member(tree.c1)
    services.record_event(
        m, kind=EventKind.TRANSFER_OUT, date=dt.date(2021, 1, 1), external_organisation="Đảng bộ tỉnh X"
    )
    m.refresh_from_db()
    assert m.status == Status.TRANSFERRED_OUT and m.organisation == tree.c1
    assert cell_on(m, dt.date(2022, 1, 1)) is None
    services.record_event(m, kind=EventKind.TRANSFER_IN, date=dt.date(2023, 1, 1), organisation=tree.c2)
    m.refresh_from_db()
    assert m.status == Status.OFFICIAL and m.organisation == tree.c2


def test_member_admitted_elsewhere_arrives_by_transfer(tree):
    m = services.create_member(
        {"full_name": "Đỗ Văn Xa", "sex": "M", "birth_date": dt.date(1980, 1, 1)},
        [
            {"kind": EventKind.ADMISSION, "date": dt.date(2005, 1, 1), "external_organisation": "Chi bộ X, tỉnh Y"},
            {"kind": EventKind.OFFICIAL, "date": dt.date(2006, 1, 1)},
            {"kind": EventKind.TRANSFER_IN, "date": dt.date(2020, 1, 1), "organisation": tree.c1},
        ],
    )
    assert m.status == Status.OFFICIAL and m.organisation == tree.c1 and m.admission_date == dt.date(2005, 1, 1)
    assert cell_on(m, dt.date(2019, 1, 1)) is None


def test_terminal_events_and_out_of_order(tree):
    m = testing.member(tree.c1)
    services.record_event(m, kind=EventKind.DEATH, date=dt.date(2022, 1, 1))
    with pytest.raises(DomainError):
        services.record_event(m, kind=EventKind.EXEMPTION, date=dt.date(2023, 1, 1))
    m.refresh_from_db()
    assert m.status == Status.DECEASED


def test_annulment_corrects_a_mistake_without_deleting(tree):
    m = testing.member(tree.c1)
    wrong = services.record_event(m, kind=EventKind.REMOVAL, date=dt.date(2022, 1, 1))
    m.refresh_from_db()
    assert m.status == Status.REMOVED
    services.annul_event(wrong, actor=None, reason="Nhập nhầm người")
    m.refresh_from_db()
    assert m.status == Status.OFFICIAL
    assert MemberEvent.objects.filter(pk=wrong.pk).exists()
    with pytest.raises(DomainError):
        services.annul_event(wrong, actor=None, reason="again")


def test_stored_state_equals_replay_of_events(tree):
    m = testing.member(tree.c1)
    services.record_event(m, kind=EventKind.EXEMPTION, date=dt.date(2021, 1, 1))
    services.record_event(m, kind=EventKind.TRANSFER, date=dt.date(2021, 6, 1), organisation=tree.c2)
    m.refresh_from_db()
    state = services.rederive(m, list(m.events.all()), save_member=False)
    assert (state.status, state.organisation_id, state.is_exempt) == (m.status, m.organisation_id, m.is_exempt)
    assert [(p.organisation_id, p.valid_from, p.valid_to) for p in state.periods] == list(
        m.periods.order_by("valid_from").values_list("organisation_id", "valid_from", "valid_to")
    )


def test_every_write_is_audited_with_its_author(tree, cast):
    m = Member.objects.get(full_name="Lê Minh Đức")
    before = m.history.count()
    services.update_member(m, {"occupation": "Kỹ sư"}, actor=cast.office)
    services.record_event(m, actor=cast.office, kind=EventKind.EXEMPTION, date=dt.date(2022, 1, 1))
    newest = m.history.first()
    assert m.history.count() > before and newest.history_user == cast.office
    assert MemberEvent.history.filter(kind=EventKind.EXEMPTION).first().history_user == cast.office
    diff = newest.diff_against(m.history.all()[2])
    assert {c.field for c in diff.changes} >= {"is_exempt"}


def test_update_refuses_derived_fields(tree, people):
    with pytest.raises(DomainError):
        services.update_member(people["an"], {"status": Status.EXPELLED}, actor=None)


def test_party_age_and_age(tree):
    m = testing.member(tree.c1, birth=dt.date(1990, 7, 1), admitted=dt.date(2015, 7, 2))
    assert m.party_age(dt.date(2025, 7, 1)) == 9
    assert m.party_age(dt.date(2025, 7, 2)) == 10
    assert m.age(dt.date(2025, 6, 30)) == 34
