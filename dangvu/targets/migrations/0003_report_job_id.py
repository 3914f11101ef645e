from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0002_official_reports"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalreport",
            name="job_id",
            field=models.CharField(blank=True, max_length=64, verbose_name="build task"),
        ),
        migrations.AddField(
            model_name="report",
            name="job_id",
            field=models.CharField(blank=True, max_length=64, verbose_name="build task"),
        ),
    ]
