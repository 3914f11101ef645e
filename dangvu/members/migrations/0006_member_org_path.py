"""Member.org_path: the cell's materialised path on the member row, so that the member list's scope (path
prefix) and its search or sort are answered from the member table's own indexes (issue 10 item 5).

Filled from the organisations in one statement; on PostgreSQL a pattern-ops index answers "path starts
with" whatever the database collation (as orgs_organisation_path_pattern does for organisations), and the
planner's statistics are refreshed for the new column."""

from django.db import migrations, models

PG_INDEX = "members_member_org_path_pattern"


def fill_sql(vendor: str) -> str:
    if vendor == "postgresql":
        return "UPDATE members_member m SET org_path = o.path FROM orgs_organisation o WHERE o.id = m.organisation_id"
    return (
        "UPDATE members_member SET org_path = "
        "(SELECT path FROM orgs_organisation WHERE orgs_organisation.id = members_member.organisation_id)"
    )


def fill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(fill_sql(vendor))
    if vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {PG_INDEX} ON members_member (org_path varchar_pattern_ops, status)")
        schema_editor.execute("ANALYZE members_member")
    else:
        schema_editor.execute(f"CREATE INDEX {PG_INDEX} ON members_member (org_path, status)")


def unfill(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0005_ceremony_probation_end_in_transit"), ("orgs", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="member",
            name="org_path",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
        migrations.RunPython(fill, unfill),
    ]
