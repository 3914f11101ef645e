"""The library's full-text index beside the Django tables (dangvu.library.index): PostgreSQL's `unaccent`
extension and a tsvector table with its GIN index, or SQLite's FTS5 table; filled from the documents
already registered."""

from django.db import migrations

from dangvu.library import index


def create(apps, schema_editor):
    index.create(schema_editor)
    Document = apps.get_model("docregister", "Document")
    rows = [(d.pk, d.number, d.title, d.summary, "") for d in Document.objects.only("number", "title", "summary")]
    index.write(rows, using=schema_editor.connection)


def drop(apps, schema_editor):
    index.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("library", "0001_library_entries_and_shelves"), ("docregister", "0001_documents_register")]

    operations = [migrations.RunPython(create, drop)]
