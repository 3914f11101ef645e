"""Rule sets written through dangvu.rules.services: a new regulation applies only from its effective date,
one in force is never rewritten, and every invalid value is refused with nothing written."""

import datetime as dt

import pytest
from django.utils import timezone

from dangvu.lib.errors import DomainError
from dangvu.rules import services
from dangvu.rules.models import RuleSet
from dangvu.rules.registry import KEYS, rule, rules_on
from dangvu.testing import user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    from dangvu.accounts.models import Role

    return user("admin", Role.ADMIN)


def today() -> dt.date:
    return timezone.localdate()


def future(days: int = 30) -> dt.date:
    return today() + dt.timedelta(days=days)


def test_future_rule_set_applies_from_its_date_only(admin):
    before_today = rules_on()
    rule_set = services.create_rule_set(
        admin,
        future(),
        "Quy định mới",
        "Quy định 999-QĐ/TW",
        {
            "admission.max_age": {"years": 62, "unit": "year"},
            "admission.cell_vote_threshold": "3/4",
            "member.badge_years": [80, 30, 30],
        },
    )
    rule_set.refresh_from_db()
    assert rule_set.values == {
        "admission.max_age": {"years": 62, "unit": "year"},
        "admission.cell_vote_threshold": "3/4",
        "member.badge_years": [30, 80],  # sorted, duplicates dropped
    }
    on_date = rules_on(future())
    assert on_date["admission.max_age"] == {"years": 62, "unit": "year"}
    assert on_date["admission.cell_vote_threshold"] == "3/4"
    assert on_date["admission.min_age"] == before_today["admission.min_age"]  # not set: earlier value stays
    assert rules_on() == before_today
    assert rules_on(future() - dt.timedelta(days=1)) == before_today
    assert rule("admission.max_age", future()) == {"years": 62, "unit": "year"}
    record = rule_set.history.get()
    assert (record.history_type, record.history_user) == ("+", admin)


def test_calendar_dates_are_stored_as_iso(admin):
    day_off = future(60)
    rule_set = services.create_rule_set(
        admin, future(), "Lịch nghỉ", "", {"calendar.extra_days_off": [day_off, day_off.isoformat()]}
    )
    assert rule_set.values == {"calendar.extra_days_off": [day_off.isoformat()]}


def test_a_rule_set_in_force_cannot_be_changed(admin):
    rule_set = services.create_rule_set(admin, today(), "Hôm nay", "", {"admission.max_age": 61})
    with pytest.raises(DomainError) as refused:
        services.update_rule_set(rule_set, admin, future(), "Sửa", "", {"admission.max_age": 70})
    assert refused.value.code == "in_force"
    rule_set.refresh_from_db()
    kept = {"admission.max_age": {"years": 61, "unit": "month"}}  # a bare number is counted in months
    assert (rule_set.effective_from, rule_set.name, rule_set.values) == (today(), "Hôm nay", kept)
    assert rule_set.history.count() == 1
    first = RuleSet.objects.get(effective_from=dt.date(2000, 1, 1))  # the data migration's defaults
    with pytest.raises(DomainError):
        services.update_rule_set(
            first, admin, first.effective_from, first.name, first.source, {"admission.min_age": 16}
        )


def test_a_future_rule_set_can_be_corrected_with_history(admin):
    rule_set = services.create_rule_set(admin, future(), "Dự thảo", "", {"admission.max_age": 62})
    services.update_rule_set(rule_set, admin, future(40), "Quy định mới", "QĐ 1", {"admission.probation_months": 18})
    rule_set.refresh_from_db()
    assert (rule_set.effective_from, rule_set.name, rule_set.source) == (future(40), "Quy định mới", "QĐ 1")
    assert rule_set.values == {"admission.probation_months": 18}  # the values replace the stored ones
    assert rules_on(future(30))["admission.max_age"] == KEYS["admission.max_age"].default
    assert rules_on(future(40))["admission.probation_months"] == 18
    assert [h.history_type for h in rule_set.history.order_by("history_date", "history_id")] == ["+", "~"]
    assert all(h.history_user == admin for h in rule_set.history.all())


def _refused(admin, effective_from, values, name="Sai") -> DomainError:
    count = RuleSet.objects.count()
    with pytest.raises(DomainError) as refused:
        services.create_rule_set(admin, effective_from, name, "", values)
    assert RuleSet.objects.count() == count
    return refused.value


@pytest.mark.parametrize("threshold", ["3/2", "0", "-1/2", "abc", "1/0", ""])
def test_bad_threshold_is_refused(admin, threshold):
    error = _refused(admin, future(), {"admission.cell_vote_threshold": threshold})
    assert "admission.cell_vote_threshold" in error.error_dict


@pytest.mark.parametrize("threshold", ["2/3", "1/2", "1", "0.75", " 3 / 4 "])
def test_good_thresholds(threshold):
    assert 0 < services.parse_threshold(threshold) <= 1


def test_min_age_not_below_max_age_is_refused(admin):
    error = _refused(admin, future(), {"admission.min_age": 40, "admission.max_age": 30})
    assert "admission.min_age" in error.error_dict
    # Only one of the two set: compared with the other in force on that date (max 60 by default).
    error = _refused(admin, future(), {"admission.min_age": 60})
    assert "admission.min_age" in error.error_dict
    error = _refused(admin, future(), {"admission.max_age": 500})
    assert "admission.max_age" in error.error_dict


def test_ages_are_checked_against_later_rule_sets(admin):
    services.create_rule_set(admin, future(60), "Sau", "", {"admission.max_age": 30})
    # Earlier one raising min_age to 35 would leave min 35 / max 30 from the later date on.
    error = _refused(admin, future(30), {"admission.min_age": 35})
    assert "admission.min_age" in error.error_dict


def test_duplicate_date_is_refused(admin):
    services.create_rule_set(admin, future(), "Một", "", {"admission.max_age": 62})
    error = _refused(admin, future(), {"admission.max_age": 63}, name="Hai")
    assert "effective_from" in error.error_dict


def test_unknown_key_and_wrong_types_are_refused(admin):
    error = _refused(admin, future(), {"admission.no_such_rule": 3})
    assert "values" in error.error_dict
    error = _refused(admin, future(), {"admission.probation_months": "12"})
    assert "admission.probation_months" in error.error_dict
    error = _refused(admin, future(), {"admission.probation_months": True})
    assert "admission.probation_months" in error.error_dict
    error = _refused(admin, future(), {"admission.introducers": -1})
    assert "admission.introducers" in error.error_dict
    error = _refused(admin, future(), {"member.badge_years": ["30"]})
    assert "member.badge_years" in error.error_dict
    error = _refused(admin, future(), {"calendar.extra_days_off": ["31/02/2030"]})
    assert "calendar.extra_days_off" in error.error_dict
    error = _refused(admin, future(), {"admission.exception_steps": ["source", "no_such_step"]})
    assert "admission.exception_steps" in error.error_dict
    error = _refused(admin, future(), {})
    assert "values" in error.error_dict


def test_past_date_and_missing_name_are_refused(admin):
    error = _refused(admin, today() - dt.timedelta(days=1), {"admission.max_age": 62})
    assert "effective_from" in error.error_dict
    error = _refused(admin, future(), {"admission.max_age": 62}, name="  ")
    assert "name" in error.error_dict


@pytest.mark.parametrize(
    "value",
    [
        {"years": 62, "unit": "week"},
        {"years": "62", "unit": "month"},
        {"years": 62, "unit": "month", "x": 1},
        True,
        "62",
    ],
)
def test_an_age_limit_needs_whole_years_and_a_known_unit(admin, value):
    error = _refused(admin, future(), {"admission.max_age": value})
    assert "admission.max_age" in error.error_dict
    assert not RuleSet.objects.filter(effective_from=future()).exists()
