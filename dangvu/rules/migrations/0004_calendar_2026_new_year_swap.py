"""Days off and make-up working days announced by the government that the `holidays` package (0.109, the
locked version) does not know, as rule data: one rule set per government letter, named after it
(docs/decisions.md, issue 8 item 5, records what was checked against the package).

2024 (Công văn 2450/VPCP-KGVX: Monday 29/04 off for Saturday 04/05) and 2025 (Thông báo 6150/TB-LĐTBXH:
Tết 27–31/01; Friday 02/05 off for Saturday 26/04) are in the package already; 2026's Tết (16–20/02) and
2/9 swap (Monday 31/08 off for Saturday 22/08) too. Missing: the New Year swap of 2026.

A calendar rule set is dated by its letter (the days count whatever the date: the calendar keys are
cumulative); when another rule set already has that date, the next free day is taken.
"""

import datetime

from django.db import migrations
from django.utils import timezone

LETTERS = [
    {
        "date": datetime.date(2025, 12, 25),
        "name": "Tết Dương lịch 2026: hoán đổi ngày làm việc",
        "source": "Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ",
        # Friday 02/01/2026 off, worked on Saturday 10/01/2026 instead (4 days off, 01–04/01/2026).
        "values": {"calendar.extra_days_off": ["2026-01-02"], "calendar.extra_working_days": ["2026-01-10"]},
    },
]


def add_letters(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    HistoricalRuleSet = apps.get_model("rules", "HistoricalRuleSet")
    for letter in LETTERS:
        if RuleSet.objects.filter(source=letter["source"]).exists():
            continue
        day = letter["date"]
        while RuleSet.objects.filter(effective_from=day).exists():
            day += datetime.timedelta(days=1)
        rule_set = RuleSet.objects.create(
            effective_from=day, name=letter["name"], source=letter["source"], values=letter["values"]
        )
        HistoricalRuleSet.objects.create(  # the audit trail: recorded by the system
            id=rule_set.id,
            effective_from=rule_set.effective_from,
            name=rule_set.name,
            source=rule_set.source,
            values=rule_set.values,
            created_at=rule_set.created_at,
            history_date=timezone.now(),
            history_type="+",
            history_change_reason="Dữ liệu lịch nghỉ kèm theo phiên bản (issue 8)",
            history_user=None,
        )


class Migration(migrations.Migration):
    dependencies = [("rules", "0003_age_limits_with_unit")]
    operations = [migrations.RunPython(add_letters, migrations.RunPython.noop)]
