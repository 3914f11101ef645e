"""Age limits carry their unit (issue 8 item 4): a stored number becomes {"years": n, "unit": "month"}, the
regulation's reading ("đủ 18 tuổi đến đủ 60 tuổi, tính theo tháng", Quy định 294-QĐ/TW). Readers still
accept a bare number (dangvu.lib.ages.AgeLimit.of: months), so the history of a rule set stays readable."""

from django.db import migrations

AGE_KEYS = ("admission.min_age", "admission.max_age")


def with_unit(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for rule_set in RuleSet.objects.all():
        values = dict(rule_set.values)
        changed = False
        for name in AGE_KEYS:
            if isinstance(values.get(name), int) and not isinstance(values[name], bool):
                values[name] = {"years": values[name], "unit": "month"}
                changed = True
        if changed:
            rule_set.values = values
            rule_set.save(update_fields=["values"])


def as_numbers(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    for rule_set in RuleSet.objects.all():
        values = dict(rule_set.values)
        changed = False
        for name in AGE_KEYS:
            if isinstance(values.get(name), dict):
                values[name] = values[name]["years"]
                changed = True
        if changed:
            rule_set.values = values
            rule_set.save(update_fields=["values"])


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_first_rule_set")]
    operations = [migrations.RunPython(with_unit, as_numbers)]
