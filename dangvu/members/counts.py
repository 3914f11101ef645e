"""Maintained member counts behind the organisation tree (issue 10 item 5).

`CellCount` holds, per organisation, the party members (probationary or official) whose cell it is. It
changes with every write that changes a member's cell or status: Member.save() calls `moved()` in the
same transaction (all the member services save through it), the import adds its chunks' counts
(`add_rows`), and the scale world's bulk writer recounts at the end (`recount`). Subtree totals are then
a sum over the organisations of the subtree (thousands of rows at a province) instead of a count over its
members (hundreds of thousands). One upsert per changed organisation: INSERT … ON CONFLICT … DO UPDATE,
the same statement on PostgreSQL and SQLite, so two offices writing at once add up and never lose a count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, Q, Sum

from dangvu.members.models import CellCount, Member, Status

IN_PARTY = frozenset(Status.in_party())


def _table() -> str:
    return connection.ops.quote_name(CellCount._meta.db_table)


def adjust(deltas: dict[int, int]) -> None:
    """Add `deltas` ({organisation id: change}) to the counts; organisations in id order (no deadlock
    between two transactions touching the same two cells)."""
    rows = [(org, n) for org, n in sorted(deltas.items()) if org and n]
    if not rows:
        return
    table = _table()  # a model's table name, not user input
    sql = (
        f"INSERT INTO {table} (organisation_id, in_party) VALUES (%s, %s) "  # noqa: S608
        f"ON CONFLICT (organisation_id) DO UPDATE SET in_party = {table}.in_party + excluded.in_party"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def moved(before: tuple[int | None, str | None], after: tuple[int | None, str | None]) -> None:
    """A member went from (cell, status) `before` to `after`."""
    deltas: Counter[int] = Counter()
    if before[0] and before[1] in IN_PARTY:
        deltas[before[0]] -= 1
    if after[0] and after[1] in IN_PARTY:
        deltas[after[0]] += 1
    adjust(deltas)


def add_rows(rows: Iterable[tuple[int, str]]) -> Counter[int]:
    """Counts to add for newly inserted members given as (organisation id, status)."""
    return Counter(org for org, status in rows if status in IN_PARTY)


def counted() -> dict[int, int]:
    """A fresh count from the member rows (what the maintained counts must equal)."""
    rows = Member.objects.filter(status__in=IN_PARTY).values_list("organisation_id").annotate(n=Count("id")).order_by()
    return dict(rows)


def recount() -> None:
    """Rebuild every count from the member rows (bulk writers, the migration, repairs)."""
    table = _table()  # model table names, not user input
    statuses = sorted(IN_PARTY)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} (organisation_id, in_party) SELECT organisation_id, COUNT(*) "  # noqa: S608
            f"FROM {connection.ops.quote_name(Member._meta.db_table)} WHERE status IN (%s, %s) "
            "GROUP BY organisation_id",
            statuses,
        )


def drift() -> dict[int, tuple[int, int]]:
    """Organisations whose maintained count differs from a fresh count: {id: (maintained, counted)}."""
    fresh = counted()
    kept = dict(CellCount.objects.exclude(in_party=0).values_list("organisation_id", "in_party"))
    return {
        pk: (kept.get(pk, 0), fresh.get(pk, 0)) for pk in set(fresh) | set(kept) if kept.get(pk, 0) != fresh.get(pk, 0)
    }


def by_cell_path(prefixes: Iterable[str]) -> list[tuple[str, int]]:
    """(cell path, party members) for the cells under any of `prefixes` (one indexed query)."""
    where = Q()
    for prefix in set(prefixes):
        where |= Q(organisation__path__startswith=prefix)
    if not where:
        return []
    return list(CellCount.objects.filter(where, in_party__gt=0).values_list("organisation__path", "in_party"))


def in_subtree(path: str) -> int:
    return CellCount.objects.filter(organisation__path__startswith=path).aggregate(n=Sum("in_party"))["n"] or 0
