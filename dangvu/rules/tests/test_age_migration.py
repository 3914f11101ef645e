"""The data migration giving age limits their unit (issue 8 item 4): stored numbers become month-counted
limits, other keys and values already with a unit are untouched, and the reverse gives the numbers back."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from dangvu.rules.models import RuleSet
from dangvu.rules.registry import rules_on

pytestmark = pytest.mark.django_db
migration = importlib.import_module("dangvu.rules.migrations.0003_age_limits_with_unit")


def test_stored_numbers_become_limits_counted_in_months():
    old = RuleSet.objects.create(
        effective_from=dt.date(2024, 1, 1),
        name="Cũ",
        values={"admission.min_age": 18, "admission.max_age": 62, "admission.probation_months": 12},
    )
    kept = RuleSet.objects.create(
        effective_from=dt.date(2025, 1, 1), name="Mới", values={"admission.max_age": {"years": 65, "unit": "year"}}
    )
    assert rules_on(dt.date(2024, 6, 1))["admission.max_age"] == 62  # read as it is before the migration
    migration.with_unit(apps, None)
    old.refresh_from_db()
    kept.refresh_from_db()
    assert old.values == {
        "admission.min_age": {"years": 18, "unit": "month"},
        "admission.max_age": {"years": 62, "unit": "month"},
        "admission.probation_months": 12,
    }
    assert kept.values == {"admission.max_age": {"years": 65, "unit": "year"}}
    first = RuleSet.objects.get(effective_from=dt.date(2000, 1, 1))  # written from the registry's defaults
    assert first.values["admission.max_age"] == {"years": 60, "unit": "month"}
    migration.as_numbers(apps, None)
    old.refresh_from_db()
    assert (old.values["admission.min_age"], old.values["admission.max_age"]) == (18, 62)
