"""The library's full-text index: one row per register document, beside the Django tables, written only
here (from dangvu.library.signals and services) and read by `matching`.

- PostgreSQL: table `library_search(document_id, vector tsvector)` with a GIN index; the vector is
  `to_tsvector('simple', unaccent(…))` of the number and title (weight A), the summary (B) and the body text
  with the text of the attached files (C). Queries go through `unaccent` too, so "nghi quyet" finds "Nghị
  quyết" and "dang" finds "Đảng" (unaccent folds đ). Ranked by `ts_rank`.
- SQLite: FTS5 table `library_search(title, number, body)` (rowid = document id) holding the texts folded
  by dangvu.lib.text.fold (FTS5's `remove_diacritics` does not fold đ, which is a letter of its own), the
  query folded the same way. Ranked by `bm25` with the title and number ten times the body.

Both: every word of the query must occur (the last one as a prefix, for typing); the best match first.
Why a side table kept in step rather than one built per query: see docs/decisions.md (issue 14, library).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from dangvu.lib.text import fold, nfc

TABLE = "library_search"
_WORD = re.compile(r"\w+")
MAX_WORDS = 12  # a query is a few words; the rest is ignored


def create(schema_editor) -> None:
    """Create the index table (migration 0002)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        schema_editor.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (document_id bigint PRIMARY KEY, vector tsvector)")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_vector ON {TABLE} USING gin (vector)")
    else:
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(title, number, body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )


def drop(schema_editor) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def _words(text: str) -> str:
    """Words only: a number "05-NQ/ĐU" becomes "05 NQ ĐU" (PostgreSQL's parser would keep it whole as a path)."""
    return " ".join(_WORD.findall(nfc(text)))


def write(rows: Iterable[tuple[int, str, str, str, str]], using=None) -> None:
    """(document id, number, title, summary, body and file text) → the index rows of those documents."""
    conn = using or connection
    rows = list(rows)
    if not rows:
        return
    ids = [row[0] for row in rows]
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.executemany(
                f"INSERT INTO {TABLE} (document_id, vector) VALUES (%s, "  # noqa: S608 (constant table name; values are parameters)
                "setweight(to_tsvector('simple', unaccent(%s)), 'A') || "
                "setweight(to_tsvector('simple', unaccent(%s)), 'B') || "
                "setweight(to_tsvector('simple', unaccent(%s)), 'C')) "
                "ON CONFLICT (document_id) DO UPDATE SET vector = EXCLUDED.vector",
                [
                    (pk, f"{_words(number)} {nfc(title)}", nfc(summary), nfc(body))
                    for pk, number, title, summary, body in rows
                ],
            )
        else:
            marks = ",".join("%s" for _ in ids)
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", ids)  # noqa: S608 (constant table name; values are parameters)
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, title, number, body) VALUES (%s, %s, %s, %s)",  # noqa: S608 (constant table name; values are parameters)
                [
                    (pk, fold(title), fold(_words(number)), fold(f"{summary} {body}"))
                    for pk, number, title, summary, body in rows
                ],
            )


def refresh(document_ids: Iterable[int]) -> None:
    """Rewrite the index rows of these register documents from the register and the library entries."""
    from dangvu.docregister.models import Document
    from dangvu.library.models import Entry

    ids = list(document_ids)
    entries = {e.pk: e for e in Entry.objects.filter(pk__in=ids).only("body_text", "file_text")}
    rows = []
    for d in Document.objects.filter(pk__in=ids).only("number", "title", "summary"):
        entry = entries.get(d.pk)
        body = f"{entry.body_text}\n{entry.file_text}" if entry else ""
        rows.append((d.pk, d.number, d.title, d.summary, body))
    write(rows)


def rebuild() -> int:
    """Rewrite the whole index (management command `library_reindex`)."""
    from dangvu.docregister.models import Document

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 (constant table name; values are parameters)
    ids = list(Document.objects.values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        refresh(ids[start : start + 500])
    return len(ids)


def _terms(q: str) -> list[str]:
    return _WORD.findall(nfc(q))[:MAX_WORDS]


def matching(qs: QuerySet, q: str) -> QuerySet:
    """The documents of `qs` (register documents) matching every word of `q`, annotated with `rank` (higher is
    better) and ordered by it, the newest first among equals. An empty query matches nothing."""
    terms = _terms(q)
    if not terms:
        return qs.none()
    table = qs.model._meta.db_table
    if connection.vendor == "postgresql":
        query = " & ".join(terms[:-1] + [terms[-1] + ":*"])
        tsquery = "to_tsquery('simple', unaccent(%s))"
        ids = RawSQL(f"SELECT document_id FROM {TABLE} WHERE vector @@ {tsquery}", [query])  # noqa: S608, S611 (constant SQL; the query is a parameter)
        rank = RawSQL(f"SELECT ts_rank(s.vector, {tsquery}) FROM {TABLE} s WHERE s.document_id = {table}.id", [query])  # noqa: S608, S611 (constant SQL; the query is a parameter)
    else:
        folded = [fold(t) for t in terms]
        query = " ".join([f'"{t}"' for t in folded[:-1]] + [f'"{folded[-1]}"*'])
        ids = RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [query])  # noqa: S608, S611 (constant SQL; the query is a parameter)
        rank = RawSQL(  # noqa: S611
            f"SELECT -bm25({TABLE}, 10.0, 10.0, 1.0) FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid = {table}.id",  # noqa: S608 (constant table name; values are parameters)
            [query],
        )
    return qs.filter(pk__in=ids).annotate(rank=rank).order_by("-rank", "-date", "-id")
