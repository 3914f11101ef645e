import datetime as dt

import pytest

from dangvu.rules.models import RuleSet
from dangvu.rules.registry import rule, rules_on

pytestmark = pytest.mark.django_db


def test_newer_rule_set_overrides_only_its_keys_from_its_date():
    RuleSet.objects.create(
        effective_from=dt.date(2026, 3, 1), name="test", values={"admission.max_age": {"years": 65, "unit": "month"}}
    )
    before, after = rules_on(dt.date(2026, 2, 28)), rules_on(dt.date(2026, 3, 1))
    assert (before["admission.max_age"]["years"], after["admission.max_age"]["years"]) == (60, 65)
    assert after["admission.min_age"] == before["admission.min_age"] == {"years": 18, "unit": "month"}
    assert all(rule(name, dt.date(2026, 3, 1)) == value for name, value in after.items())
