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
from django.db.models.functions import Substr

from dangvu.members.models import CellCount, Member, Status
from dangvu.orgs.models import Organisation

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


def in_subtree(path: str) -> int:
    return CellCount.objects.filter(organisation__path__startswith=path).aggregate(n=Sum("in_party"))["n"] or 0


def _covering(heads: set[str]) -> list[str]:
    """Prefixes that together cover every head's subtree, few and short: nested heads are dropped and
    siblings are matched through their common parent (a tree level of N nodes is one prefix, not N)."""
    step = Organisation.steplen
    tops: list[str] = []
    for head in sorted(heads):  # an ancestor sorts right before its descendants
        if not tops or not head.startswith(tops[-1]):
            tops.append(head)
    parents = Counter(t[:-step] for t in tops)
    wider = sorted({t[:-step] if parents[t[:-step]] > 1 else t for t in tops})
    covering: list[str] = []
    for prefix in wider:
        if not covering or not prefix.startswith(covering[-1]):
            covering.append(prefix)
    return covering


def by_head(heads: Iterable[str]) -> dict[str, int]:
    """Party members in the subtree of each head (an organisation path; the head's own cells included), in
    one aggregate query: the maintained cell counts under the heads, summed in the database by their path
    cut at the deepest head's length; each sum then goes to every head that is a prefix of it. A tree
    level (a city's ~110 committees) is ~110 groups, not the ~6,000 cells read one by one."""
    result = dict.fromkeys(heads, 0)
    if not result:
        return result
    where = Q()
    for prefix in _covering(set(result)):
        where |= Q(organisation__path__startswith=prefix)
    width = max(len(h) for h in result)
    step = Organisation.steplen
    rows = (
        CellCount.objects.filter(where, in_party__gt=0)
        .annotate(head=Substr("organisation__path", 1, width))
        .values("head")
        .annotate(n=Sum("in_party"))
        .order_by()
        .values_list("head", "n")
    )
    for prefix, n in rows:
        for end in range(step, len(prefix) + 1, step):
            if prefix[:end] in result:
                result[prefix[:end]] += n
    return result
