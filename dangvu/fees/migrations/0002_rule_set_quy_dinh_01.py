"""The party-fee regulation as a rule set: Quy định 01-QĐ/TW of the Politburo (3/2/2026), applied from 1/2/2026,
replacing Quyết định 342-QĐ/TW (2010). Its values are the `fees.*` keys' defaults (dangvu.rules.registry); the
rule set dates them and names the regulation on the rules pages. When another rule set already has that date,
the fee values are added to it."""

import datetime

from django.db import migrations
from django.utils import timezone

EFFECTIVE = datetime.date(2026, 2, 1)
NAME = "Chế độ đảng phí"
SOURCE = "Quy định 01-QĐ/TW ngày 03/02/2026 của Bộ Chính trị"


def add_rule_set(apps, schema_editor):
    from dangvu.rules.registry import KEYS

    RuleSet = apps.get_model("rules", "RuleSet")
    HistoricalRuleSet = apps.get_model("rules", "HistoricalRuleSet")
    values = {name: key.default for name, key in KEYS.items() if name.startswith("fees.")}
    rule_set = RuleSet.objects.filter(effective_from=EFFECTIVE).first()
    if rule_set is None:
        rule_set = RuleSet.objects.create(effective_from=EFFECTIVE, name=NAME, source=SOURCE, values=values)
        kind = "+"
    else:
        rule_set.values = {**values, **rule_set.values}
        rule_set.save(update_fields=["values"])
        kind = "~"
    HistoricalRuleSet.objects.create(
        id=rule_set.id,
        effective_from=rule_set.effective_from,
        name=rule_set.name,
        source=rule_set.source,
        values=rule_set.values,
        created_at=rule_set.created_at,
        history_date=timezone.now(),
        history_type=kind,
        history_change_reason="Quy định 01-QĐ/TW về chế độ đảng phí (issue 15)",
        history_user=None,
    )


class Migration(migrations.Migration):
    dependencies = [("fees", "0001_fee_data_dues_payments"), ("rules", "0004_calendar_2026_new_year_swap")]
    operations = [migrations.RunPython(add_rule_set, migrations.RunPython.noop)]
