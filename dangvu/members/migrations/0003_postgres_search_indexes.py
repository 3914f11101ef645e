"""PostgreSQL-only indexes: trigram GIN for diacritic-free substring search on the folded name, and a
pattern-ops index so subtree prefix matches (path LIKE 'xxxx%') use an index whatever the collation."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS members_member_name_search_trgm ON members_member USING gin (name_search gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS orgs_organisation_path_pattern ON orgs_organisation (path varchar_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS members_member_name_search_trgm",
    "DROP INDEX IF EXISTS orgs_organisation_path_pattern",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("members", "0002_cross_app_foreign_keys"), ("orgs", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
