"""The monthly due from the rule set (Quy định 01-QĐ/TW): each category, exemptions, reductions ending, a salary
change during the year, party age, the rounding rule, a later rule set, and the refusals at the limits."""

import datetime as dt

import pytest

from dangvu import testing
from dangvu.fees import calc, services
from dangvu.fees.calc import dues_for
from dangvu.fees.models import Due, DueReason, FeeBasis
from dangvu.fees.tests.conftest import M, basis
from dangvu.lib.errors import DomainError
from dangvu.rules.models import RuleSet

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("category", "amount", "due"),
    [
        ("insured", 10_000_000, 100_000),  # 1% of the previous month's insured salary
        ("benefit", 6_543_210, 65_432),  # 1% of a sickness or maternity benefit: 65,432.1 → 65,432
        ("pension", 7_654_321, 38_272),  # 0.5% of a pension: 38,271.605 → 38,272
        ("pension", 1_000_100, 5_001),  # 5,000.5: halves up
        ("pension", 1_000_099, 5_000),  # 5,000.495: down
        ("student", 0, 5_000),  # fixed
        ("other", 0, 10_000),  # fixed (the committee's value)
        ("social_pension", 0, 0),  # exempt
    ],
)
def test_each_category(people, category, amount, due):
    an = people["an"]
    basis(an, category, amount, M(2026, 2, 1))
    assert dues_for(an, M(2026, 3, 1)) == due
    assert isinstance(dues_for(an, M(2026, 3, 1)), int)


def test_category_reason_recorded(people):
    basis(people["an"], "social_pension", 0)
    assert calc.compute_member(people["an"], M(2026, 3, 1)).reason == DueReason.CATEGORY
    assert calc.compute_member(people["binh"], M(2026, 3, 1)).reason == DueReason.NO_DATA
    assert dues_for(people["binh"], M(2026, 3, 1)) == 0


def test_salary_change_mid_year_counts_from_the_month_after(people):
    an = people["an"]
    basis(an, "insured", 10_000_000, M(2026, 1, 1))
    basis(an, "insured", 12_000_000, M(2026, 7, 1))
    assert dues_for(an, M(2026, 6, 1)) == 100_000
    assert dues_for(an, M(2026, 7, 1)) == 100_000  # July's due is 1% of June's salary
    assert dues_for(an, M(2026, 8, 1)) == 120_000
    rows = list(FeeBasis.objects.filter(member=an).order_by("valid_from"))
    assert [(r.valid_from, r.valid_to) for r in rows] == [(M(2026, 1, 1), M(2026, 7, 1)), (M(2026, 7, 1), None)]


def test_first_month_of_a_category_uses_its_own_amount(people):
    an = people["an"]
    basis(an, "student", 0, M(2026, 1, 1))
    basis(an, "insured", 9_000_000, M(2026, 6, 1))  # first job: no earlier insured salary recorded
    assert dues_for(an, M(2026, 5, 1)) == 5_000
    assert dues_for(an, M(2026, 6, 1)) == 90_000


def test_retirement_switches_to_the_pension_rate(people):
    an = people["an"]
    basis(an, "insured", 20_000_000, M(2026, 1, 1))
    basis(an, "pension", 15_000_000, M(2026, 9, 1))
    assert dues_for(an, M(2026, 8, 1)) == 200_000
    assert dues_for(an, M(2026, 9, 1)) == 75_000


def test_exemption_on_application(people, cast):
    an = people["an"]
    basis(an)
    services.grant_relief(
        an,
        kind="exemption",
        percent=None,
        reason="poor",
        first_month=M(2026, 4, 1),
        last_month=M(2026, 9, 1),
        actor=cast.secretary,
    )
    assert dues_for(an, M(2026, 3, 1)) == 100_000
    assert dues_for(an, M(2026, 4, 1)) == 0
    assert calc.compute_member(an, M(2026, 4, 1)).reason == DueReason.EXEMPTION
    assert dues_for(an, M(2026, 9, 1)) == 0
    assert dues_for(an, M(2026, 10, 1)) == 100_000


@pytest.mark.parametrize(("percent", "due"), [(30, 70_000), (50, 50_000), (70, 30_000)])
def test_reductions(people, cast, percent, due):
    an = people["an"]
    basis(an)
    services.grant_relief(
        an,
        kind="reduction",
        percent=percent,
        reason="hardship",
        first_month=M(2026, 3, 1),
        last_month=M(2026, 5, 1),
        actor=cast.secretary,
    )
    assert dues_for(an, M(2026, 2, 1)) == 100_000
    assert dues_for(an, M(2026, 3, 1)) == due
    assert dues_for(an, M(2026, 5, 1)) == due  # last month included
    assert dues_for(an, M(2026, 6, 1)) == 100_000  # the month after it ends


def test_reduction_ended_early(people, cast):
    an = people["an"]
    basis(an)
    relief = services.grant_relief(
        an,
        kind="reduction",
        percent=50,
        reason="illness",
        first_month=M(2026, 3, 1),
        last_month=M(2027, 2, 1),
        actor=cast.secretary,
    )
    services.run_month(an.organisation, M(2026, 6, 1))
    assert Due.objects.get(member=an, month=M(2026, 6, 1)).amount == 50_000
    services.end_relief(relief, last_month=M(2026, 5, 1), actor=cast.secretary)
    assert dues_for(an, M(2026, 5, 1)) == 50_000  # the month before the end: still reduced
    assert dues_for(an, M(2026, 6, 1)) == 100_000  # the month after: full
    assert Due.objects.get(member=an, month=M(2026, 6, 1)).amount == 100_000  # stored due recomputed
    assert relief.history.first().history_user == cast.secretary


def test_rounding_of_a_reduction_is_done_once(people, cast):
    an = people["an"]
    basis(an, "pension", 1_000_100, M(2026, 1, 1))  # 5,000.5 before the reduction
    services.grant_relief(
        an,
        kind="reduction",
        percent=30,
        reason="hardship",
        first_month=M(2026, 3, 1),
        last_month=M(2026, 3, 1),
        actor=cast.secretary,
    )
    # 1,000,100 × 0.5% × 70% = 3,500.35 → 3,500 (rounding 5,000.5 first would give 5,001 × 70% = 3,500.7 → 3,501)
    assert dues_for(an, M(2026, 3, 1)) == 3_500


def test_party_age_exemption_from_the_month_reached(tree):
    veteran = testing.member(tree.c1, "Trần Văn Lão", birth=dt.date(1950, 1, 1), admitted=dt.date(1976, 6, 15))
    basis(veteran, "pension", 8_000_000)
    assert dues_for(veteran, M(2026, 5, 1)) == 40_000  # 49 years
    assert dues_for(veteran, M(2026, 6, 1)) == 0  # reaches 50 years on 15/06/2026
    assert calc.compute_member(veteran, M(2026, 6, 1)).reason == DueReason.PARTY_AGE


def test_a_later_rule_set_applies_from_its_month(people):
    binh = people["binh"]
    basis(binh, "student", 0)
    values = calc.rules_for(M(2026, 8, 1)).categories
    values = {**values, "student": {**values["student"], "amount": 6000}}
    RuleSet.objects.create(effective_from=dt.date(2026, 9, 1), name="Thử", values={"fees.categories": values})
    assert dues_for(binh, M(2026, 8, 1)) == 5_000
    assert dues_for(binh, M(2026, 9, 1)) == 6_000


def test_regulation_rule_set_is_recorded():
    rule_set = RuleSet.objects.get(effective_from=dt.date(2026, 2, 1))
    assert "01-QĐ/TW" in rule_set.source
    assert rule_set.values["fees.categories"]["student"]["amount"] == 5000
    assert rule_set.values["fees.removal_unpaid_months"] == 3


def test_relief_limits(people, cast):
    an = people["an"]
    basis(an)
    grant = dict(kind="reduction", percent=50, reason="hardship", actor=cast.secretary)
    with pytest.raises(DomainError) as refused:
        services.grant_relief(an, first_month=M(2026, 1, 1), last_month=M(2027, 1, 1), **grant)  # 13 months
    assert "last_month" in refused.value.message_dict
    services.grant_relief(an, first_month=M(2026, 1, 1), last_month=M(2026, 12, 1), **grant)  # 12 months
    with pytest.raises(DomainError) as refused:
        services.grant_relief(an, first_month=M(2026, 12, 1), last_month=M(2027, 1, 1), **grant)
    assert "first_month" in refused.value.message_dict  # overlaps
    with pytest.raises(DomainError) as refused:
        services.grant_relief(
            an, kind="reduction", percent=40, reason="hardship", first_month=M(2027, 1, 1), last_month=M(2027, 1, 1)
        )
    assert "percent" in refused.value.message_dict


def test_fee_data_refusals(people):
    an = people["an"]
    with pytest.raises(DomainError) as refused:
        services.set_basis(an, category="insured", base_amount=0, from_month=M(2026, 1, 1))
    assert "base_amount" in refused.value.message_dict
    with pytest.raises(DomainError) as refused:
        services.set_basis(an, category="nope", base_amount=1, from_month=M(2026, 1, 1))
    assert "category" in refused.value.message_dict
    basis(an, month=M(2026, 5, 1))
    with pytest.raises(DomainError) as refused:
        basis(an, month=M(2026, 4, 1))
    assert "from_month" in refused.value.message_dict
    basis(an, amount=11_000_000, month=M(2026, 5, 1))  # the same month: a correction
    assert FeeBasis.objects.filter(member=an).count() == 1
    assert FeeBasis.objects.get(member=an).history.count() == 2
