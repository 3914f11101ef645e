"""Issue 16 item 2's acceptance: try to pair each voter of a secret vote with their choice from everything
at rest once the vote is closed, on both databases.

The attacker reads the database (or a backup of it) after the close and knows the voters (the receipts say
who voted) and the counts. He tries what linked them before: the receipts' ids (the order of voting), on
PostgreSQL the transaction ids (a counter's `xmin` is the transaction of the last ballot that moved it, a
receipt's that of its voter) and the old row versions still in the table's heap until a VACUUM; on SQLite
the bytes of the database file, where deleted rows stay in free space unless erased. Each attempt is first
shown to work while the vote is open (so that the test is not vacuous), then to fail after the close and
the purge task (dangvu.meetings.secret). Real transactions: the test commits each step.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
import time

import pytest
from django.db import connection, connections
from django.utils import timezone, translation
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dangvu import testing
from dangvu.meetings import secret, services
from dangvu.meetings.models import Invitation, Meeting, SecretCount, SecretReceipt, Vote, VoteMethod, VoteRule
from dangvu.meetings.tests.test_lifecycle import plan
from dangvu.ops.backup import backup
from dangvu.tasks import side
from dangvu.tasks.worker import drain

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("old_meetings")]

VOTERS = 6
PURGE = "dangvu.meetings.jobs.purge_secret_versions"


def voters() -> tuple[Meeting, list[Invitation]]:
    """A cell meeting in progress with six members checked in."""
    tree = testing.make_tree()
    people = [testing.member(tree.c2, f"Đảng Viên Kín {i}") for i in range(VOTERS)]
    meeting = plan(tree.c2)
    services.open_meeting(meeting, None)
    by_member = {i.member_id: i for i in meeting.invitations.all()}
    invitations = [by_member[m.pk] for m in people]
    for invitation in invitations:
        services.check_in(invitation, None, at=meeting.starts_at)
    return meeting, invitations


def vote_with(meeting: Meeting, invitations: list[Invitation], order: list[int], against: int) -> Vote:
    """A secret vote where the voters cast in `order` and only voter `against` votes no (as on the demo data,
    where a receipt's row number pointed at the only "no")."""
    vote = services.create_vote(
        meeting, None, question="Bầu bí thư chi bộ", method=VoteMethod.SECRET, rule=VoteRule.MAJORITY_OF_MEMBERS
    )
    services.open_vote(vote, None)
    for index in order:
        services.cast(vote, invitations[index], "no" if index == against else "yes")
    return vote


def receipts_by_id(vote: Vote) -> list[int]:
    return list(SecretReceipt.objects.filter(vote=vote).order_by("pk").values_list("invitation_id", flat=True))


def at_rest(vote: Vote) -> dict:
    """What a reader of the tables sees of a vote, with the ids made relative (two votes compared)."""
    receipts = list(SecretReceipt.objects.filter(vote=vote).order_by("pk").values_list("pk", "invitation_id"))
    counts = list(SecretCount.objects.filter(vote=vote).order_by("pk").values_list("pk", "choice", "n"))
    return {
        "receipts": [(pk - receipts[0][0], invitation) for pk, invitation in receipts],
        "counts": [(pk - counts[0][0], choice, n) for pk, choice, n in counts],
    }


def xmins(table: str, vote: Vote) -> dict[int, int]:
    """On PostgreSQL: the transaction id that wrote each row of a vote (row id → xmin)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, xmin::text::bigint FROM {table} WHERE vote_id = %s", [vote.pk])
        return dict(cursor.fetchall())


def vote_xmin(vote: Vote) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text::bigint FROM meetings_vote WHERE id = %s", [vote.pk])
        return cursor.fetchone()[0]


def test_nothing_at_rest_depends_on_who_chose_what_or_the_order_of_voting():
    """Two secret votes of the same voters with the same counts, cast in different orders by different
    assignments (the "no" first in one, last in the other): after the close the stored rows read the same."""
    meeting, invitations = voters()
    first_order, second_order = [3, 0, 5, 1, 4, 2], [2, 4, 1, 5, 0, 3]
    first = vote_with(meeting, invitations, first_order, against=3)
    # While the vote is open the attack works: the receipts' ids follow the order of voting, so the first
    # receipt is the "no" (the counter of "no" moved first).
    assert receipts_by_id(first) == [invitations[i].pk for i in first_order]
    if connection.vendor == "postgresql":
        receipt_tx = xmins("meetings_secretreceipt", first)
        last_voter_tx = receipt_tx[max(receipt_tx)]
        assert set(xmins("meetings_secretcount", first).values()) == {last_voter_tx}  # the last ballot's
    services.close_vote(first, None)
    second = vote_with(meeting, invitations, second_order, against=2)
    services.close_vote(second, None)

    assert at_rest(first) == at_rest(second)
    assert receipts_by_id(first) == sorted(i.pk for i in invitations)  # the order of the invitations
    assert [n for _, choice, n in at_rest(first)["counts"]] == [5, 1, 0]
    if connection.vendor == "postgresql":
        for vote in (first, second):
            closing = vote_xmin(vote)
            # Every receipt and counter was written by the closing transaction, none by a ballot's.
            assert set(xmins("meetings_secretreceipt", vote).values()) == {closing}
            assert set(xmins("meetings_secretcount", vote).values()) == {closing}
    # Recount and audit stay possible: the counts, who voted, the totals at the close.
    assert secret.recount(Vote.objects.get(pk=first.pk)) == {
        "yes": 5,
        "no": 1,
        "abstain": 0,
        "ballots": 6,
        "receipts": 6,
        "recorded": 6,
    }
    reason = first.history.order_by("-history_id").values_list("history_change_reason", flat=True).first()
    assert reason == "secret ballot sealed: 6 receipts; yes 5, no 1, abstain 0"


def test_closing_refuses_counts_that_do_not_match_the_receipts():
    meeting, invitations = voters()
    vote = vote_with(meeting, invitations, [0, 1, 2], against=1)
    SecretCount.objects.filter(vote=vote, choice="yes").update(n=5)  # tampered with
    with translation.override("en"), pytest.raises(services.DomainError, match="do not add up: 6 counted for 3"):
        services.close_vote(vote, None)
    vote.refresh_from_db()
    assert vote.state == "open" and vote.yes is None
    assert receipts_by_id(vote) == [invitations[i].pk for i in (0, 1, 2)]  # nothing rewritten
    assert not DBTaskResult.objects.filter(task_path=PURGE).exists()


# --- The old versions: the heap on PostgreSQL, the file's bytes on SQLite ----------------------------------------


def _purge_tasks(status: str | None = None):
    rows = DBTaskResult.objects.filter(task_path=PURGE)
    return rows.filter(status=status) if status else rows


def _purge_until_done(attempts: int = 20) -> DBTaskResult:
    """Run the purge task, and again while it asks to be retried, with the back-off shortened to a second:
    a transaction elsewhere on the server (another session's, autovacuum's ANALYZE) may hold old versions
    for a moment, which is the documented retry."""
    for _ in range(attempts):
        drain()
        task = _purge_tasks().order_by("enqueued_at").last()
        if task.status != TaskResultStatus.READY:
            return task
        assert task.exception_class_path == "dangvu.meetings.secret.OldVersionsRemain", task.traceback
        time.sleep(1)
        DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now())
    return task


def _wait_for_older_transactions(vote: Vote, seconds: float = 120) -> None:
    """On a shared server another session (here: other test runs, with a transaction id in their own
    database) may be older than the close: VACUUM FULL keeps the old versions while it lasts (the documented
    limit, for which the task retries). Wait for it, as the task's back-off would; if it outlasts the wait,
    the purge was shown to refuse and retry (the callers check that first), and its success cannot be
    observed in this run: reported as an expected failure naming the sessions, never as a pass — except in
    CI (CI=true), where the suite has the server to itself and such a transaction is a failure."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while secret._older_transactions(cursor, vote.pk) and time.monotonic() < deadline:
            time.sleep(1)
        if secret._older_transactions(cursor, vote.pk):
            cursor.execute(
                "SELECT datname, pid, xact_start FROM pg_stat_activity WHERE backend_xid IS NOT NULL"
                " AND pid <> pg_backend_pid()"
            )
            reason = f"a transaction elsewhere on the server outlasted the wait: {cursor.fetchall()}"
            if os.environ.get("CI") == "true":
                pytest.fail(reason)
            pytest.xfail(reason)


def _other_connections_closed() -> None:
    """Nothing of this process holds a snapshot when the purge runs (the worker's situation)."""
    side.close()
    for alias in connections:
        if alias != "default":
            connections[alias].close()


def test_nothing_left_of_the_ballots_in_the_heap_or_in_a_backup(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    meeting, invitations = voters()
    order = [4, 1, 3, 0, 5, 2]
    if connection.vendor == "sqlite":
        _distinctive_ids()
    vote = vote_with(meeting, invitations, order, against=4)
    if connection.vendor == "postgresql":
        _postgresql_heap(vote, invitations, order, tmp_path)
    else:
        _sqlite_bytes(vote, invitations, order, tmp_path)


def _dead_tuples() -> dict[str, int]:
    with connection.cursor() as cursor:
        found = {}
        for table in secret.TABLES:
            cursor.execute("SELECT dead_tuple_count FROM pgstattuple(%s::regclass)", [table])
            found[table] = cursor.fetchone()[0]
        return found


def _heap_xmins(table: str) -> list[tuple[int, int]]:
    """Every tuple stored in the table's pages, dead or alive (pageinspect): (line pointer flags, xmin)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        cursor.execute(
            f"""SELECT h.lp_flags, h.t_xmin::text::bigint
                FROM generate_series(0, (pg_relation_size('{table}') / current_setting('block_size')::int)::int - 1) b,
                     heap_page_items(get_raw_page('{table}', b)) h
                WHERE h.t_xmin IS NOT NULL"""
        )
        return cursor.fetchall()


def _postgresql_heap(vote: Vote, invitations: list[Invitation], order: list[int], tmp_path) -> None:
    ballot_tx = set(xmins("meetings_secretreceipt", vote).values())
    assert len(ballot_tx) == VOTERS  # one transaction per ballot
    # Before the close, the heap holds each ballot's version of the counters: the attack works.
    counter_versions = _heap_xmins("meetings_secretcount")
    assert ballot_tx <= {xmin for _, xmin in counter_versions}
    services.close_vote(vote, None)
    closing = vote_xmin(vote)
    assert sum(_dead_tuples().values()) > 0  # the old versions, until the purge
    assert _purge_tasks(TaskResultStatus.READY).count() == 1
    _other_connections_closed()
    first = _purge_until_done(attempts=1)
    if first.status == TaskResultStatus.READY:  # an older transaction somewhere: refused, to be retried
        assert "dead row versions remain" in first.traceback and sum(_dead_tuples().values()) > 0
        _wait_for_older_transactions(vote)
    done = _purge_until_done()
    assert done.status == TaskResultStatus.SUCCESSFUL, done.traceback
    assert done.return_value["dead_tuples"] == {t: 0 for t in secret.TABLES}
    assert _dead_tuples() == {t: 0 for t in secret.TABLES}
    for table in secret.TABLES:
        stored = _heap_xmins(table)
        assert stored and {flags for flags, _ in stored} == {1}  # normal, live tuples only
        assert {xmin for _, xmin in stored} == {closing}  # no ballot's transaction left anywhere
    # A backup (pg_dump) holds the receipts in the order of the invitations, not of voting.
    archive = backup(tmp_path)
    with tarfile.open(archive) as tar:
        tar.extract("database.dump", tmp_path, filter="data")
    copied = subprocess.run(
        ["pg_restore", "--data-only", "--table=meetings_secretreceipt", "--file=-", str(tmp_path / "database.dump")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    start = next(n for n, line in enumerate(copied) if line.startswith("COPY "))
    columns = [c.strip() for c in copied[start].split("(", 1)[1].split(")", 1)[0].split(",")]
    rows = [dict(zip(columns, line.split("\t"), strict=True)) for line in copied[start + 1 : copied.index("\\.")]]
    dumped = [int(r["invitation_id"]) for r in rows if int(r["vote_id"]) == vote.pk]
    assert dumped == sorted(invitations[i].pk for i in order) != [invitations[i].pk for i in order]


def test_an_open_transaction_keeps_old_versions_and_the_purge_is_retried():
    """VACUUM FULL cannot remove row versions that an open transaction may still see: the task says so and
    is retried with back-off; it succeeds once that transaction ends. (On SQLite: the purge refuses to run
    without secure_delete.)"""
    meeting, invitations = voters()
    vote = vote_with(meeting, invitations, [2, 0, 1], against=0)
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete")
            assert cursor.fetchone()[0] == 1  # every connection (dangvu.env)
            cursor.execute("PRAGMA secure_delete=OFF")
            try:
                with pytest.raises(secret.OldVersionsRemain, match="secure_delete"):
                    secret.purge(vote.pk)
            finally:
                cursor.execute("PRAGMA secure_delete=ON")
        services.close_vote(vote, None)
        assert drain() >= 1
        assert _purge_tasks().get().status == TaskResultStatus.SUCCESSFUL
        return
    import psycopg

    params = connection.get_connection_params()
    reader = psycopg.connect(**{k: v for k, v in params.items() if k in {"dbname", "user", "password", "host", "port"}})
    try:
        reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        # A snapshot taken before the close (on another table: a lock on the ballots' tables would make the
        # VACUUM wait, and give up after its lock timeout, which is retried as well).
        assert reader.execute("SELECT count(*) FROM meetings_vote").fetchone()[0] == 1
        services.close_vote(vote, None)
        _other_connections_closed()
        drain()
        task = _purge_tasks().get()
        assert task.status == TaskResultStatus.READY and len(task.worker_ids) == 1  # to be retried
        assert task.exception_class_path == "dangvu.meetings.secret.OldVersionsRemain"
        assert "dead row versions remain" in task.traceback and task.run_after > timezone.now()
        assert sum(_dead_tuples().values()) > 0
        # Without pgstattuple the purge looks for such transactions before the VACUUM: it finds this one.
        with connection.cursor() as cursor:
            assert secret._older_transactions(cursor, vote.pk) >= 1
    finally:
        reader.close()
    _wait_for_older_transactions(vote)  # the reader's backend takes a moment to go; other sessions too
    with connection.cursor() as cursor:
        assert secret._older_transactions(cursor, vote.pk) == 0
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now())  # the back-off has passed
    task = _purge_until_done()
    assert task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) >= 2
    assert _dead_tuples() == {t: 0 for t in secret.TABLES}


# --- SQLite: the bytes of a backup --------------------------------------------------------------------------------


def _varint(value: int) -> bytes:
    """SQLite's variable-length integer (big-endian, 7 bits a byte; values here stay far below 2^56)."""
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    return bytes(reversed(out))


def _record(values: list) -> bytes:
    """SQLite's record format (schema format 4) for None, small integers and text."""
    types, body = [], b""
    for value in values:
        if value is None:
            types.append(0)
        elif isinstance(value, str):
            data = value.encode()
            types.append(13 + 2 * len(data))
            body += data
        elif value in (0, 1):
            types.append(8 + value)
        else:
            widths = ((1, 1), (2, 2), (3, 3), (4, 4), (6, 5), (8, 6))
            size, kind = next((s, t) for s, t in widths if value < 2 ** (8 * s - 1))
            types.append(kind)
            body += value.to_bytes(size, "big", signed=True)
    header = b"".join(_varint(t) for t in types)
    return _varint(len(header) + 1) + header + body


def _table_cell(table: str, row: dict) -> bytes:
    """The bytes of a row in a table's b-tree leaf: payload size, rowid, record (the id column is NULL)."""
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA table_info({table})")
        columns = [c[1] for c in cursor.fetchall()]
    payload = _record([None if c == "id" else row[c] for c in columns])
    return _varint(len(payload)) + _varint(row["id"]) + payload


def _distinctive_ids() -> None:
    """Receipts and counters get ids no other row of the test database has (three-byte integers), so that
    their bytes are searched for without meeting another table's row by chance."""
    with connection.cursor() as cursor:
        for table, start in (("meetings_secretreceipt", 7_340_000), ("meetings_secretcount", 7_350_000)):
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [start, table])
            if cursor.rowcount == 0:
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start])


def _backup_bytes(tmp_path, name: str) -> bytes:
    folder = tmp_path / name
    folder.mkdir()
    archive = backup(folder)
    with tarfile.open(archive) as tar:
        return tar.extractfile("database.sqlite3").read()


def _sqlite_bytes(vote: Vote, invitations: list[Invitation], order: list[int], tmp_path) -> None:
    receipts = list(SecretReceipt.objects.filter(vote=vote).values("id", "vote_id", "invitation_id"))
    # Every version the counters had (their ids change at the close).
    versions = [
        {"id": c.pk, "vote_id": vote.pk, "choice": c.choice, "n": k}
        for c in SecretCount.objects.filter(vote=vote)
        for k in range(c.n + 1)
    ]
    assert min(r["id"] for r in receipts) > 7_340_000  # distinctive ids
    cells = [_table_cell("meetings_secretreceipt", r) for r in receipts]
    # The unique index (vote, invitation) holds the receipt's id too.
    index_cells = [_record([r["vote_id"], r["invitation_id"], r["id"]]) for r in receipts]
    before = _backup_bytes(tmp_path, "before")
    # Before the close a backup pairs the order of voting with the receipts (non-vacuous).
    assert all(cell in before for cell in cells) and all(cell in before for cell in index_cells)
    services.close_vote(vote, None)
    _other_connections_closed()
    drain()
    assert _purge_tasks().get().status == TaskResultStatus.SUCCESSFUL
    after = _backup_bytes(tmp_path, "after")
    left = [cell for cell in cells + index_cells if cell in after]
    assert left == [], "rows as written during the vote are still in the file"
    old_counters = [_table_cell("meetings_secretcount", v) for v in versions]
    assert not [cell for cell in old_counters if cell in after], "old counts are still in the file"
    # The rows as they are now are found (the search works): ids in the order of the invitations.
    now = list(SecretReceipt.objects.filter(vote=vote).order_by("id").values("id", "vote_id", "invitation_id"))
    assert [r["invitation_id"] for r in now] == sorted(invitations[i].pk for i in order)
    assert all(_table_cell("meetings_secretreceipt", r) in after for r in now)
    final = [
        {"id": c.pk, "vote_id": vote.pk, "choice": c.choice, "n": c.n} for c in SecretCount.objects.filter(vote=vote)
    ]
    assert all(_table_cell("meetings_secretcount", c) in after for c in final)
