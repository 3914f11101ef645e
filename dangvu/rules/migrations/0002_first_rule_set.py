import datetime

from django.db import migrations


def first_rule_set(apps, schema_editor):
    from dangvu.rules.registry import KEYS

    RuleSet = apps.get_model("rules", "RuleSet")
    RuleSet.objects.get_or_create(
        effective_from=datetime.date(2000, 1, 1),
        defaults={
            "name": "Điều lệ Đảng và các quy định hiện hành (mặc định)",
            "source": "Điều lệ Đảng; Quy định 294-QĐ/TW (2025)",
            "values": {key.name: key.default for key in KEYS.values()},
        },
    )


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]
    operations = [migrations.RunPython(first_rule_set, migrations.RunPython.noop)]
