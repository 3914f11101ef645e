"""The data migration of issue 16 item 2 (meetings 0004): the secret ballots stored one row each are folded
into the counters, the per-ballot table is dropped, the receipts of closed votes are written again in the
order of the invitations, and the purge task is queued. Run with Django's MigrationExecutor on the test's
own database (SQLite or PostgreSQL): the votes are built at the latest state, the database is taken back
to 0003 (the reverse migration writes one ballot row per counted choice), the receipts are stored in the
order of voting as the old code did, and the migration is applied again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dangvu.meetings import services
from dangvu.meetings.models import SecretCount, SecretReceipt, Vote
from dangvu.meetings.tests.test_ballot_pairing import PURGE, vote_with, voters

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("old_meetings")]

BEFORE = [("meetings", "0003_vote_rule_labels_name_no_share")]
AFTER = [("meetings", "0004_secret_counts_instead_of_ballots")]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def test_old_ballots_are_folded_into_counters_and_their_table_dropped():
    meeting, invitations = voters()
    closed = vote_with(meeting, invitations, [5, 3, 1], against=3)
    services.close_vote(closed, None)
    still_open = vote_with(meeting, invitations, [0, 2, 4, 1], against=2)
    DBTaskResult.objects.all().delete()
    voting_order = [invitations[i].pk for i in (5, 3, 1)]
    leaf = [key for key in MigrationExecutor(connection).loader.graph.leaf_nodes() if key[0] == "meetings"]
    try:
        executor = migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        Ballot, Receipt = old.get_model("meetings", "SecretBallot"), old.get_model("meetings", "SecretReceipt")
        assert "meetings_secretcount" not in tables()
        # As the old code stored them: one row per ballot, receipts in the order of voting.
        stored = sorted(Ballot.objects.filter(vote_id=closed.pk).values_list("choice", flat=True))
        assert stored == ["no", "yes", "yes"]
        assert sorted(Ballot.objects.filter(vote_id=still_open.pk).values_list("choice", flat=True)) == [
            "no",
            "yes",
            "yes",
            "yes",
        ]
        Receipt.objects.filter(vote_id=closed.pk).delete()
        Receipt.objects.bulk_create(Receipt(vote_id=closed.pk, invitation_id=i) for i in voting_order)
        assert list(
            Receipt.objects.filter(vote_id=closed.pk).order_by("pk").values_list("invitation_id", flat=True)
        ) == (voting_order)

        migrate(AFTER)
    finally:
        migrate(leaf)

    assert "meetings_secretballot" not in tables() and "meetings_secretcount" in tables()
    counted = {
        vote.pk: dict(SecretCount.objects.filter(vote=vote).values_list("choice", "n")) for vote in (closed, still_open)
    }
    assert counted == {closed.pk: {"yes": 2, "no": 1, "abstain": 0}, still_open.pk: {"yes": 3, "no": 1, "abstain": 0}}
    receipts = list(SecretReceipt.objects.filter(vote=closed).order_by("pk").values_list("invitation_id", flat=True))
    assert receipts == sorted(voting_order) != voting_order
    queued = DBTaskResult.objects.filter(task_path=PURGE)
    assert queued.count() == 1 and queued.get().status == TaskResultStatus.READY
    assert queued.get().args_kwargs["args"] == [None]
    # The open vote goes on with its counters and closes with every ballot.
    services.cast(still_open, invitations[3], "abstain")
    with pytest.raises(services.DomainError):
        services.cast(still_open, invitations[0], "no")  # its receipt still stands
    still_open = services.close_vote(still_open, None)
    assert (still_open.yes, still_open.no, still_open.abstain) == (3, 1, 1)
    assert Vote.objects.get(pk=closed.pk).yes == 2
