"""Vote verdicts for each threshold (issue 4 item 4, acceptance "quorum and vote verdicts for each
threshold"): more than half of the members entitled to vote, more than half of the voters present, at least
two thirds of the members entitled to vote. Boundaries are written out: exactly at the threshold passes,
one vote below fails; abstentions are not in favour; a show-of-hands count larger than the voters present
is refused and changes nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.lib.errors import DomainError
from dangvu.meetings import services
from dangvu.meetings.models import Ballot, Choice, Meeting, Vote, VoteMethod, VoteRule, VoteState
from dangvu.meetings.tests.test_lifecycle import DAY, inv, members, plan, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]  # a history of meetings

M, P, Q = VoteRule.MAJORITY_OF_MEMBERS, VoteRule.MAJORITY_OF_PRESENT, VoteRule.TWO_THIRDS_OF_MEMBERS


def voting(cell, eligible: int, present: int, day: dt.date = DAY) -> tuple[Meeting, list]:
    """A running meeting of `eligible` official members of which the first `present` checked in."""
    people = members(cell, eligible)
    meeting = plan(cell, day=day)
    services.open_meeting(meeting, None)
    for m in people[:present]:
        services.check_in(inv(meeting, m), None, at=meeting.starts_at)
    return meeting, [inv(meeting, m) for m in people]


def by_count(meeting: Meeting, rule: str, yes: int, no: int = 0, abstain: int = 0) -> Vote:
    vote = services.create_vote(meeting, None, question="Thông qua nghị quyết", method=VoteMethod.COUNT, rule=rule)
    services.open_vote(vote, None)
    return services.close_vote(vote, None, counts={"yes": yes, "no": no, "abstain": abstain})


@pytest.mark.parametrize(
    ("eligible", "present", "rule", "yes", "no", "abstain", "needed", "passed"),
    [
        # 9 entitled: more than half is 5, two thirds is 6.
        (9, 9, M, 5, 4, 0, 5, True),
        (9, 9, M, 4, 4, 1, 5, False),
        (9, 6, M, 5, 1, 0, 5, True),  # of the members, not of those present
        (9, 6, M, 4, 2, 0, 5, False),
        (9, 9, Q, 6, 3, 0, 6, True),
        (9, 9, Q, 5, 4, 0, 6, False),
        (9, 7, Q, 6, 0, 1, 6, True),
        # 6 of 9 present: more than half of those present is 4.
        (9, 6, P, 4, 2, 0, 4, True),
        (9, 6, P, 3, 3, 0, 4, False),  # a tie is not a majority
        (9, 6, P, 3, 2, 1, 4, False),  # more yes than no, but abstentions are not in favour
        (9, 6, P, 3, 0, 3, 4, False),
        # Even numbers: exactly half fails.
        (10, 10, M, 6, 4, 0, 6, True),
        (10, 10, M, 5, 5, 0, 6, False),
        (10, 8, P, 5, 3, 0, 5, True),
        (10, 8, P, 4, 4, 0, 5, False),
        (7, 7, P, 4, 3, 0, 4, True),
        # Two thirds rounds up (10 → 7) and is reached exactly when divisible (12 → 8).
        (10, 10, Q, 7, 3, 0, 7, True),
        (10, 10, Q, 6, 4, 0, 7, False),
        (12, 12, Q, 8, 4, 0, 8, True),
        (12, 12, Q, 7, 5, 0, 8, False),
    ],
)
def test_verdict_by_show_of_hands(tree, eligible, present, rule, yes, no, abstain, needed, passed):
    meeting, _ = voting(tree.c2, eligible, present)
    vote = by_count(meeting, rule, yes, no, abstain)
    assert (vote.eligible, vote.present, vote.quorate) == (eligible, present, True)
    assert (vote.yes, vote.no, vote.abstain) == (yes, no, abstain)
    assert (vote.needed, vote.passed, vote.state) == (needed, passed, VoteState.CLOSED)
    vote.refresh_from_db()
    assert (vote.needed, vote.passed) == (needed, passed)


@pytest.mark.parametrize(
    ("rule", "needed"),
    [(M, 5), (P, 4), (Q, 6)],
)
def test_votes_needed(rule, needed, db):
    assert services.votes_needed(rule, 9, 6, DAY) == needed


def test_votes_needed_small_and_empty(db):
    assert [services.votes_needed(M, n, n, DAY) for n in range(1, 7)] == [1, 2, 2, 3, 3, 4]
    assert [services.votes_needed(Q, n, n, DAY) for n in range(1, 7)] == [1, 2, 2, 3, 4, 4]
    assert services.votes_needed(P, 9, 0, DAY) == 1
    with pytest.raises(DomainError):
        services.votes_needed("unanimity", 9, 9, DAY)


@pytest.mark.parametrize("method", [VoteMethod.NAMED, VoteMethod.SECRET])
def test_verdict_from_ballots_at_the_boundary(tree, method):
    """9 entitled, 6 present: 4 in favour passes more than half of those present; 3 in favour with 2
    against and 1 abstention does not; neither reaches two thirds of the members (6)."""
    meeting, invitations = voting(tree.c2, 9, 6)
    results = {}
    for choices in (["yes"] * 4 + ["no", "abstain"], ["yes"] * 3 + ["no", "no", "abstain"]):
        for rule in (P, Q):
            vote = services.create_vote(meeting, None, question=f"{rule} {choices}", method=method, rule=rule)
            services.open_vote(vote, None)
            for invitation, choice in zip(invitations, choices, strict=False):
                services.cast(vote, invitation, choice)
            assert services.tally(vote) == {c: choices.count(c) for c in Choice.values}
            vote = services.close_vote(vote, None)
            results[(choices.count("yes"), rule)] = (vote.yes, vote.no, vote.abstain, vote.needed, vote.passed)
    assert results == {
        (4, P): (4, 1, 1, 4, True),
        (4, Q): (4, 1, 1, 6, False),
        (3, P): (3, 2, 1, 4, False),
        (3, Q): (3, 2, 1, 6, False),
    }


def test_show_of_hands_larger_than_the_room_is_refused(tree):
    meeting, _ = voting(tree.c2, 9, 6)
    vote = services.create_vote(meeting, None, question="Thông qua", method=VoteMethod.COUNT, rule=P)
    services.open_vote(vote, None)
    before = snapshot()
    for counts in ({"yes": 5, "no": 2}, {"yes": 3, "no": 2, "abstain": 2}, {"yes": 7}, {"yes": 4, "no": -1}):
        with pytest.raises(DomainError):
            services.close_vote(vote, None, counts=counts)
        assert snapshot() == before
    with pytest.raises(DomainError):
        services.close_vote(vote, None)  # a show of hands needs its numbers
    vote.refresh_from_db()
    assert (vote.state, vote.yes, vote.passed) == (VoteState.OPEN, None, None)
    vote = services.close_vote(vote, None, counts={"yes": 4, "no": 1, "abstain": 1})  # exactly the room
    assert (vote.yes, vote.no, vote.abstain, vote.passed) == (4, 1, 1, True)


def test_who_may_cast_a_ballot(tree):
    meeting, invitations = voting(tree.c2, 4, 3)
    probationary = testing.member(tree.c2, "Võ Dự Bị", admitted=dt.date(2026, 1, 1), official=False)
    services.invite_guest(meeting, None, member=probationary)  # invited late, as a guest
    guest = inv(meeting, probationary)
    services.check_in(guest, None, at=meeting.starts_at)
    other_meeting, other_invitations = voting(tree.c1, 3, 3, day=DAY)
    vote = services.create_vote(meeting, None, question="Thông qua", method=VoteMethod.NAMED, rule=P)
    with pytest.raises(DomainError):
        services.cast(vote, invitations[0], "yes")  # not open yet
    services.open_vote(vote, None)
    second = services.create_vote(meeting, None, question="Câu hỏi khác", method=VoteMethod.NAMED, rule=P)
    with pytest.raises(DomainError):
        services.open_vote(second, None)  # one open vote at a time
    with pytest.raises(DomainError):
        services.open_vote(vote, None)
    refusals = [
        (invitations[3], "yes"),  # not checked in
        (guest, "yes"),  # present, but not entitled to vote
        (other_invitations[0], "yes"),  # invited to another meeting
        (invitations[0], "maybe"),  # not a choice
    ]
    for invitation, choice in refusals:
        with pytest.raises(DomainError):
            services.cast(vote, invitation, choice)
    services.cast(vote, invitations[0], "no")
    with pytest.raises(DomainError):
        services.cast(vote, invitations[0], "yes")  # once only; the first ballot stands
    assert list(Ballot.objects.filter(vote=vote).values_list("invitation_id", "choice")) == [(invitations[0].pk, "no")]
    assert services.has_voted(vote, invitations[0]) and not services.has_voted(vote, invitations[1])
    count = services.create_vote(other_meeting, None, question="Giơ tay", method=VoteMethod.COUNT, rule=P)
    services.open_vote(count, None)
    with pytest.raises(DomainError):
        services.cast(count, other_invitations[0], "yes")  # a show of hands is entered by the secretary
    services.close_vote(vote, None)
    with pytest.raises(DomainError):
        services.cast(vote, invitations[1], "yes")  # closed
    with pytest.raises(DomainError):
        services.close_vote(vote, None)


def test_a_late_arrival_who_votes_counts_among_those_present(tree):
    """The voters present are those present when the vote closes: 6 at the opening and 2 more who check in
    and vote make 8, so 4 in favour is a tie, not a majority."""
    meeting, invitations = voting(tree.c2, 9, 6)
    vote = services.create_vote(meeting, None, question="Thông qua", method=VoteMethod.NAMED, rule=P)
    vote = services.open_vote(vote, None)
    assert vote.present == 6
    for invitation in invitations[6:8]:
        services.check_in(invitation, None)
    for invitation, choice in zip(invitations[:8], ["yes"] * 4 + ["no"] * 4, strict=True):
        services.cast(vote, invitation, choice)
    vote = services.close_vote(vote, None)
    assert (vote.present, vote.yes, vote.no, vote.needed, vote.passed) == (8, 4, 4, 5, False)
    assert vote.yes + vote.no + vote.abstain <= vote.present


def test_invalid_votes_are_refused(tree):
    meeting, _ = voting(tree.c2, 3, 3)
    for question, method, rule in (("  ", VoteMethod.NAMED, P), ("Q", "raised", P), ("Q", VoteMethod.NAMED, "all")):
        with pytest.raises(DomainError):
            services.create_vote(meeting, None, question=question, method=method, rule=rule)
    assert not Vote.objects.exists()
