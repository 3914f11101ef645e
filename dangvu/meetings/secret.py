"""Storage of secret ballots (issue 16 item 2): nothing at rest pairs a person with a choice.

- There is no row per ballot. A secret vote has three counters (`SecretCount`, one per choice, created when
  it opens) and one receipt per voter (`SecretReceipt`: who has voted, no time). A ballot inserts the receipt
  and increments the counters in one transaction under the vote's row lock (dangvu.meetings.ballots.cast);
  the three counters are written together (the chosen one +1, the others +0), so on PostgreSQL they all carry
  the transaction id of the last ballot: the counters never say which choice the last voter of each choice
  made.
- `seal` (in the closing transaction, under the same lock) checks that the counts add up to the receipts,
  then writes the receipts again in the order of the invitations (their ids no longer follow the order of
  voting) and the counters again (their transaction id becomes the closing one), and queues `purge`.
- `purge` (a background task, dangvu.meetings.jobs.purge_secret_versions) removes the old row versions the
  writes left behind: on PostgreSQL `VACUUM FULL` of the two tables, verified with pgstattuple (no dead tuple
  left) or, without that extension, by checking beforehand that no transaction older than the close is still
  open; it raises `OldVersionsRemain` so the task is retried with back-off while one is. On SQLite the
  connection runs with `PRAGMA secure_delete=ON` (dangvu.env: deleted content is overwritten with zeros) and
  the task truncates the write-ahead log (`wal_checkpoint(TRUNCATE)`), which still holds the pages as they
  were after each ballot.

What this does and does not protect against: docs/decisions.md, "Issue 16 item 2".
"""

from __future__ import annotations

import os

from django.db import connection
from django.db.models import Case, F, Value, When
from django.utils.translation import gettext as _

from dangvu.lib.errors import DomainError
from dangvu.meetings.models import Choice, SecretCount, SecretReceipt, Vote

TABLES = (SecretReceipt._meta.db_table, SecretCount._meta.db_table)
LOCK_TIMEOUT = "5s"  # VACUUM FULL waits at most this long for its lock (ballots of other votes wait behind it)


class OldVersionsRemain(Exception):
    """Old versions of secret-ballot rows are still stored; the purge is retried later."""


def open_counters(vote: Vote) -> None:
    """The three counters of a secret vote, at zero, in the order of the choices (their ids say nothing)."""
    have = set(SecretCount.objects.filter(vote=vote).values_list("choice", flat=True))
    SecretCount.objects.bulk_create(SecretCount(vote=vote, choice=c, n=0) for c in Choice.values if c not in have)


def record(vote: Vote, invitation_id: int, choice: str) -> None:
    """One secret ballot. The caller holds the vote's row lock and is in a transaction; a second ballot of the
    same voter raises IntegrityError (the receipt's unique key)."""
    SecretReceipt.objects.create(vote=vote, invitation_id=invitation_id)
    bump = Case(When(choice=choice, then=Value(1)), default=Value(0))
    if SecretCount.objects.filter(vote=vote).update(n=F("n") + bump) < len(Choice.values):
        open_counters(vote)  # a vote opened before the counters existed
        SecretCount.objects.filter(vote=vote).update(n=F("n") + bump)


def counts(vote: Vote) -> dict[str, int]:
    stored = dict(SecretCount.objects.filter(vote=vote).values_list("choice", "n"))
    return {c: stored.get(c, 0) for c in Choice.values}


def recount(vote: Vote) -> dict[str, int]:
    """The stored counts, the number of receipts and the result recorded at the close, to check by hand."""
    stored = counts(vote)
    return {
        **stored,
        "ballots": sum(stored.values()),
        "receipts": SecretReceipt.objects.filter(vote=vote).count(),
        "recorded": sum(getattr(vote, c) or 0 for c in Choice.values),
    }


def seal(vote: Vote) -> dict[str, int]:
    """At the close, in its transaction and under the vote's row lock: the counts, after checking them
    against the receipts and writing both again (see the module's docstring). Refuses when they differ."""
    result = counts(vote)
    voters = sorted(SecretReceipt.objects.filter(vote=vote).values_list("invitation_id", flat=True))
    if sum(result.values()) != len(voters):
        raise DomainError(
            _("The secret ballots do not add up: %(ballots)s counted for %(receipts)s voters. The vote stays open.")
            % {"ballots": sum(result.values()), "receipts": len(voters)}
        )
    SecretReceipt.objects.filter(vote=vote).delete()
    SecretReceipt.objects.bulk_create(SecretReceipt(vote=vote, invitation_id=i) for i in voters)
    SecretCount.objects.filter(vote=vote).delete()
    SecretCount.objects.bulk_create(SecretCount(vote=vote, choice=c, n=result[c]) for c in Choice.values)
    from dangvu.meetings.jobs import purge_secret_versions

    purge_secret_versions.enqueue(vote.pk)
    return result


# --- Removing the old versions (the background task) ----------------------------------------------------------


def purge(vote_id: int | None = None) -> dict:
    """Remove the old versions of the secret-ballot rows left by the writes (after `seal` of vote `vote_id`,
    or after the migration that folded the old ballots when None). Raises OldVersionsRemain while they
    cannot be removed yet. Runs outside any transaction (the worker's own connection)."""
    if connection.in_atomic_block:
        raise OldVersionsRemain("VACUUM cannot run inside a transaction")
    if connection.vendor == "postgresql":
        return _purge_postgresql(vote_id)
    if connection.vendor == "sqlite":
        return _purge_sqlite()
    return {}


def _has_pgstattuple(cursor) -> bool:
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pgstattuple'")
    return cursor.fetchone() is not None


def _older_transactions(cursor, vote_id: int | None) -> int:
    """Transactions of other sessions that may still see rows as they were before the close of `vote_id`
    (any open transaction when None): a snapshot in this database, or a transaction id in ANY database of
    the server (VACUUM FULL's own snapshot counts it as running, which holds back what it may remove), not
    newer than the closing transaction, whose id the sealed counters carry. Also prepared transactions and
    replication slots. One statement, so that
    every age() is measured from the same point. Sessions of other roles are visible only to a superuser or
    a member of pg_read_all_stats: that is why pgstattuple, when installed, is preferred."""
    cursor.execute(
        """WITH h AS (SELECT coalesce((SELECT max(age(xmin)) FROM meetings_secretcount WHERE vote_id = %s), 0) AS a)
        SELECT (SELECT count(*) FROM pg_stat_activity, h WHERE pid <> pg_backend_pid()
                  AND ((datname = current_database() AND age(backend_xmin) >= h.a) OR age(backend_xid) >= h.a))
             + (SELECT count(*) FROM pg_prepared_xacts, h WHERE age(transaction) >= h.a)
             + (SELECT count(*) FROM pg_replication_slots, h WHERE age(xmin) >= h.a)""",
        [vote_id],
    )
    return cursor.fetchone()[0]


def _purge_postgresql(vote_id: int | None) -> dict:
    with connection.cursor() as cursor:
        measured = _has_pgstattuple(cursor)
        if not measured and (older := _older_transactions(cursor, vote_id)):
            raise OldVersionsRemain(f"{older} older transaction(s) still open: VACUUM FULL would keep old versions")
        cursor.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
        try:
            for table in TABLES:
                cursor.execute(f"VACUUM (FULL, ANALYZE) {connection.ops.quote_name(table)}")
        finally:
            cursor.execute("RESET lock_timeout")
        if not measured:
            return {"vacuumed": list(TABLES), "verified": "no older transaction"}
        dead = {}
        for table in TABLES:
            cursor.execute("SELECT dead_tuple_count FROM pgstattuple(%s::regclass)", [table])
            dead[table] = cursor.fetchone()[0]
    if any(dead.values()):
        raise OldVersionsRemain(f"dead row versions remain after VACUUM FULL (an open transaction sees them): {dead}")
    return {"vacuumed": list(TABLES), "dead_tuples": dead}


def _purge_sqlite() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        if cursor.fetchone()[0] != 1:
            raise OldVersionsRemain("PRAGMA secure_delete is off on this connection: deleted rows are not erased")
        cursor.execute("PRAGMA journal_mode")
        if cursor.fetchone()[0] != "wal":
            return {"secure_delete": True, "wal": False}
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, _log, _done = cursor.fetchone()
    wal = f"{connection.settings_dict['NAME']}-wal"
    if busy or (os.path.exists(wal) and os.path.getsize(wal)):
        raise OldVersionsRemain("the write-ahead log could not be truncated: a reader is still open")
    return {"secure_delete": True, "wal": "truncated"}


def audit_note(vote: Vote, result: dict[str, int]) -> str:
    """The change reason of the vote's history row at the close: the totals and the receipts they match."""
    return "secret ballot sealed: {n} receipts; yes {yes}, no {no}, abstain {abstain}".format(
        n=sum(result.values()), **result
    )
