"""A meeting where everyone checks in and votes at the same moment (issue 4 item 7, acceptance "a vote with
concurrent submissions counted exactly"): real threads, each with its own database connection, released
together by a barrier. Every distinct voter is counted once, duplicates are refused, concurrent check-ins
lose nothing, and closing a vote while ballots arrive counts exactly the ballots it accepted.

On PostgreSQL the vote's row lock orders the ballots. On SQLite the test database is in memory with a
shared cache, where a second writer gets "database table is locked" at once instead of waiting (a file
database, as deployed, waits: immediate transactions with a busy timeout), so there the same jobs run one
after the other, in the order listed (duplicates interleaved, the closing in the middle of the ballots).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection, connections

from dangvu import testing
from dangvu.lib.errors import DomainError
from dangvu.meetings import services
from dangvu.meetings.models import (
    Attendance,
    Ballot,
    Choice,
    Invitation,
    Meeting,
    SecretCount,
    SecretReceipt,
    Vote,
    VoteMethod,
    VoteRule,
)
from dangvu.meetings.tests.test_lifecycle import plan

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("old_meetings")]

VOTERS = 44
DUPLICATES = 10
CHOICES = Choice.values  # voter i chooses CHOICES[i % 3]


def run_at_once(jobs: list[Callable[[], object]]) -> list[object]:
    """Run each job in its own thread with its own connection, all released together (on SQLite: one after
    the other). Returns each job's result, or the exception it raised."""
    if connection.vendor == "sqlite":
        results = []
        for job in jobs:
            try:
                results.append(job())
            except Exception as exc:  # noqa: BLE001 - reported to the test
                results.append(exc)
        return results
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def work(i: int, job: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=60)
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a thread is stuck"
    return results


def unexpected(results: list[object]) -> list[object]:
    return [r for r in results if isinstance(r, Exception) and not isinstance(r, DomainError)]


def big_meeting(n: int = VOTERS) -> tuple[Meeting, list[Invitation]]:
    tree = testing.make_tree()
    people = [testing.member(tree.c2, f"Đảng Viên Đông {i:03d}") for i in range(n)]
    meeting = plan(tree.c2)
    services.open_meeting(meeting, None)
    by_member = {i.member_id: i for i in meeting.invitations.all()}
    return meeting, [by_member[m.pk] for m in people]


def checked_in(meeting: Meeting, invitations: list[Invitation]) -> None:
    for invitation in invitations:
        services.check_in(invitation, None, at=meeting.starts_at)


def open_vote(meeting: Meeting, method: str) -> Vote:
    vote = services.create_vote(
        meeting, None, question="Thông qua nghị quyết", method=method, rule=VoteRule.MAJORITY_OF_PRESENT
    )
    return services.open_vote(vote, None)


def test_concurrent_check_ins_lose_nothing():
    meeting, invitations = big_meeting()
    jobs = []
    for n, invitation in enumerate(invitations):
        jobs.append(lambda i=invitation: services.check_in(i, None))
        if n < DUPLICATES:
            jobs.append(lambda i=invitation: services.check_in(i, None))  # a second tap
    results = run_at_once(jobs)
    assert unexpected(results) == []
    assert not [r for r in results if isinstance(r, Exception)]  # a repeated check-in is not an error
    rows = Invitation.objects.filter(pk__in=[i.pk for i in invitations])
    assert rows.filter(attendance=Attendance.PRESENT, checked_in_at__isnull=False).count() == VOTERS
    # Each check-in recorded once in the audit trail (the second tap keeps the first time).
    history = Invitation.history.filter(id__in=[i.pk for i in invitations], attendance=Attendance.PRESENT)
    assert Counter(history.values_list("id", flat=True)) == Counter({i.pk: 1 for i in invitations})
    vote = open_vote(meeting, VoteMethod.NAMED)
    assert (vote.eligible, vote.present, vote.quorate) == (VOTERS, VOTERS, True)


@pytest.mark.parametrize("method", [VoteMethod.NAMED, VoteMethod.SECRET])
def test_concurrent_ballots_are_counted_exactly_once(method):
    meeting, invitations = big_meeting()
    checked_in(meeting, invitations)
    vote = open_vote(meeting, method)
    choice = {inv.pk: CHOICES[n % 3] for n, inv in enumerate(invitations)}
    jobs = []
    for n, invitation in enumerate(invitations):
        jobs.append(lambda i=invitation: services.cast(vote, i, choice[i.pk]))
        if n < DUPLICATES:  # the same voter again at the same moment (a double tap, or a second device)
            jobs.append(lambda i=invitation: services.cast(vote, i, choice[i.pk]))
    results = run_at_once(jobs)
    assert unexpected(results) == []
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == DUPLICATES and len(results) - len(refused) == VOTERS
    expected = Counter(choice.values())
    assert services.tally(vote) == {c: expected[c] for c in CHOICES}
    if method == VoteMethod.SECRET:
        assert SecretReceipt.objects.filter(vote=vote).count() == VOTERS
        assert sum(SecretCount.objects.filter(vote=vote).values_list("n", flat=True)) == VOTERS
    else:
        assert sorted(Ballot.objects.filter(vote=vote).values_list("invitation_id", flat=True)) == sorted(choice)
        assert dict(Ballot.objects.filter(vote=vote).values_list("invitation_id", "choice")) == choice
    assert all(services.has_voted(vote, i) for i in invitations)
    vote = services.close_vote(vote, None)
    assert (vote.yes, vote.no, vote.abstain) == (expected["yes"], expected["no"], expected["abstain"])
    assert vote.yes + vote.no + vote.abstain == VOTERS == vote.present


@pytest.mark.parametrize("method", [VoteMethod.NAMED, VoteMethod.SECRET])
def test_closing_while_ballots_arrive_counts_what_it_accepted(method):
    meeting, invitations = big_meeting()
    checked_in(meeting, invitations)
    vote = open_vote(meeting, method)
    choice = {inv.pk: CHOICES[n % 3] for n, inv in enumerate(invitations)}
    stored = SecretReceipt.objects if method == VoteMethod.SECRET else Ballot.objects

    middle = VOTERS // 2
    first_half_done, closing, lock = Counter(), threading.Event(), threading.Lock()

    def early(invitation: Invitation) -> None:
        try:
            services.cast(vote, invitation, choice[invitation.pk])
        finally:
            with lock:
                first_half_done["n"] += 1

    def late(invitation: Invitation) -> None:
        closing.wait(timeout=60)  # these arrive as the vote is being closed
        services.cast(vote, invitation, choice[invitation.pk])

    def close_when_ballots_arrive() -> Vote:
        while stored.filter(vote=vote).count() < 10 and first_half_done["n"] < middle:  # ballots arriving
            time.sleep(0.002)
        closing.set()
        return services.close_vote(vote, None)

    results = run_at_once(
        [
            *(lambda i=i: early(i) for i in invitations[:middle]),
            close_when_ballots_arrive,
            *(lambda i=i: late(i) for i in invitations[middle:]),
        ]
    )
    closed = results.pop(middle)
    assert isinstance(closed, Vote), closed
    assert unexpected(results) == []
    accepted = [i for i, r in zip(invitations, results, strict=True) if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(accepted) + len(refused) == VOTERS and len(accepted) >= 10
    counts = Counter(choice[i.pk] for i in accepted)
    # The result is exactly the ballots accepted: none lost, none accepted after the close.
    vote.refresh_from_db()
    assert (vote.yes, vote.no, vote.abstain) == (counts["yes"], counts["no"], counts["abstain"])
    assert services.tally(vote) == {c: counts[c] for c in CHOICES}
    voters = SecretReceipt if method == VoteMethod.SECRET else Ballot
    assert sorted(voters.objects.filter(vote=vote).values_list("invitation_id", flat=True)) == sorted(
        i.pk for i in accepted
    )
    assert vote.yes + vote.no + vote.abstain == len(accepted)
