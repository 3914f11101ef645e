"""Fast bulk inserts for the import: COPY on PostgreSQL, bulk_create elsewhere.

Why not bulk_create everywhere: on PostgreSQL, Django prepares every value of every object through the
field machinery and psycopg then adapts the arrays of an INSERT ... UNNEST; for 150,000 members with their
events, periods and audit rows that is most of the import time. COPY streams plain tuples through
psycopg's C dumpers instead. Ids are reserved from the table's sequence first (one `nextval` query per
batch) so that events, periods and audit rows can point at the members they belong to.

Rows are dicts keyed by field attname; a missing field takes the field's default. Values must already be
plain database values (str, int, bool, date, datetime, None): the import builds them itself.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, models

BATCH = 2000


class Table:
    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.pk = model._meta.pk
        fields = [f for f in model._meta.concrete_fields]
        self.fields = fields
        self.attnames = [f.attname for f in fields]
        # Django's own default: the field default, else "" for text fields, else None.
        self.defaults: dict[str, Any] = {f.attname: f.get_default() for f in fields if not f.primary_key}

    def insert(self, rows: list[dict[str, Any]], *, return_ids: bool = False, raw=None) -> list[int]:
        """Insert rows; with `return_ids` the primary keys are set in the rows and returned in order.
        `raw`: the psycopg connection to COPY through (PostgreSQL; lets a helper thread write inside the
        caller's transaction). Without it, the current Django connection is used."""
        if not rows:
            return []
        if raw is not None or connection.vendor == "postgresql":
            return self._copy(rows, return_ids, raw)
        defaults = self.defaults
        objs = [self.model(**{**defaults, **row}) for row in rows]
        self.model._base_manager.bulk_create(objs, batch_size=BATCH)
        if not return_ids:
            return []
        ids = [o.pk for o in objs]
        for row, pk in zip(rows, ids, strict=True):
            row[self.pk.attname] = pk
        return ids

    def _copy(self, rows: list[dict[str, Any]], return_ids: bool, raw) -> list[int]:
        if raw is None:
            connection.ensure_connection()
            raw = connection.connection
        table = self.model._meta.db_table
        ids: list[int] = []
        with raw.cursor() as cursor:
            if return_ids:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, self.pk.column, len(rows)],
                )
                ids = [r[0] for r in cursor.fetchall()]
                pk = self.pk.attname
                for row, new_id in zip(rows, ids, strict=True):
                    row[pk] = new_id
                fields = self.fields
            else:
                fields = [f for f in self.fields if not f.primary_key]
            quote = connection.ops.quote_name
            columns = ", ".join(quote(f.column) for f in fields)
            pairs = [(f.attname, self.defaults.get(f.attname)) for f in fields]
            with cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:  # noqa: S608
                write = copy.write_row
                for row in rows:
                    get = row.get
                    write([get(name, default) for name, default in pairs])
        return ids
