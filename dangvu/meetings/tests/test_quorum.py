"""Quorum (meeting.quorum, 2/3 of the members entitled to vote by default): a vote in a meeting without
quorum does not pass whatever the ballots; the forecast from the answers before the meeting; and a change of
the rule set (quorum, majority, qualified majority) applies only to meetings from its effective date.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.meetings import services
from dangvu.meetings.models import Rsvp, VoteMethod, VoteRule
from dangvu.meetings.tests.test_lifecycle import inv, members, plan
from dangvu.meetings.tests.test_votes import by_count, voting
from dangvu.members.models import EventKind
from dangvu.members.services import record_event
from dangvu.rules.models import RuleSet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]  # a history of meetings

M, P, Q = VoteRule.MAJORITY_OF_MEMBERS, VoteRule.MAJORITY_OF_PRESENT, VoteRule.TWO_THIRDS_OF_MEMBERS


@pytest.mark.parametrize(
    ("eligible", "present", "quorate"), [(9, 6, True), (9, 5, False), (10, 7, True), (10, 6, False)]
)
def test_quorum_is_two_thirds_of_the_voters(tree, eligible, present, quorate):
    meeting, _ = voting(tree.c2, eligible, present)
    vote = by_count(meeting, M, present)  # everyone present in favour
    assert (vote.eligible, vote.present, vote.quorate) == (eligible, present, quorate)
    assert vote.passed is quorate


@pytest.mark.parametrize("rule", [M, P, Q])
@pytest.mark.parametrize("method", [VoteMethod.COUNT, VoteMethod.NAMED, VoteMethod.SECRET])
def test_without_quorum_nothing_passes(tree, rule, method):
    """5 of 9 present (6 needed): unanimous ballots do not pass."""
    meeting, invitations = voting(tree.c2, 9, 5)
    vote = services.create_vote(meeting, None, question="Thông qua", method=method, rule=rule)
    services.open_vote(vote, None)
    if method == VoteMethod.COUNT:
        vote = services.close_vote(vote, None, counts={"yes": 5})
    else:
        for invitation in invitations[:5]:
            services.cast(vote, invitation, "yes")
        vote = services.close_vote(vote, None)
    assert (vote.quorate, vote.yes, vote.passed) == (False, 5, False)


def test_only_entitled_voters_count_for_quorum(tree):
    """Probationary members and guests present do not make the quorum; an exempt member who attends counts
    in the base and among those present (Quy định 24-QĐ/TW 9.3, issue 8 item 1)."""
    officials = members(tree.c2, 9)
    probationary = testing.member(tree.c2, "Võ Dự Bị", admitted=dt.date(2026, 1, 1), official=False)
    exempt = testing.member(tree.c2, "Đỗ Miễn")
    record_event(exempt, kind=EventKind.EXEMPTION, date=dt.date(2025, 6, 1))
    guest = testing.member(tree.c1, "Khách Cấp Trên")
    meeting = plan(tree.c2, guests=[guest])
    services.open_meeting(meeting, None)
    for m in [*officials[:5], probationary, exempt, guest]:
        services.check_in(inv(meeting, m), None, at=meeting.starts_at)
    vote = by_count(meeting, P, 5)
    assert (vote.eligible, vote.present, vote.quorate, vote.passed) == (10, 6, False, False)
    services.check_in(inv(meeting, officials[5]), None, at=meeting.starts_at)
    vote = by_count(meeting, P, 4, 2)
    assert (vote.eligible, vote.present, vote.quorate, vote.needed, vote.passed) == (10, 7, True, 4, True)


def test_forecast_from_the_answers(tree):
    officials = members(tree.c2, 9)
    probationary = testing.member(tree.c2, "Võ Dự Bị", admitted=dt.date(2026, 1, 1), official=False)
    meeting = plan(tree.c2)
    f = services.forecast(meeting)
    assert (f.eligible, f.attending, f.excused, f.pending, f.needed, f.likely_quorate) == (9, 0, 0, 9, 6, False)
    assert (f.outlook, f.missing) == ("open", 6)  # nobody has confirmed: not "likely" (issue 9 item 12)
    for m in officials[:5]:
        services.answer(inv(meeting, m), None, rsvp=Rsvp.ATTENDING)
    for m in officials[5:8]:
        services.answer(inv(meeting, m), None, rsvp=Rsvp.EXCUSED, reason="Công tác")
    services.answer(inv(meeting, probationary), None, rsvp=Rsvp.ATTENDING)  # does not count
    f = services.forecast(meeting)
    assert (f.eligible, f.attending, f.excused, f.pending, f.needed, f.likely_quorate) == (9, 5, 3, 1, 6, False)
    assert (f.outlook, f.missing) == ("open", 1)  # 5 of 6 confirmed, one may still come
    services.answer(inv(meeting, officials[8]), None, rsvp=Rsvp.EXCUSED, reason="Ốm")
    f = services.forecast(meeting)
    assert (f.attending, f.excused, f.pending, f.likely_quorate, f.outlook) == (5, 4, 0, False, "at_risk")
    services.answer(inv(meeting, officials[5]), None, rsvp=Rsvp.ATTENDING)  # changed their mind
    f = services.forecast(meeting)
    assert (f.attending, f.excused, f.pending, f.likely_quorate, f.outlook, f.missing) == (6, 3, 0, True, "likely", 0)


def test_rsvp_needs_a_reason_to_be_excused(tree):
    member = members(tree.c2, 1)[0]
    meeting = plan(tree.c2)
    for rsvp, reason in ((Rsvp.EXCUSED, "  "), ("maybe", ""), (Rsvp.PENDING, "")):
        with pytest.raises(services.DomainError):
            services.answer(inv(meeting, member), None, rsvp=rsvp, reason=reason)
    assert inv(meeting, member).rsvp == Rsvp.PENDING


NEW_RULES = {"meeting.quorum": "1/2", "meeting.majority": "3/5", "meeting.qualified": "3/4"}


def test_a_rule_set_applies_from_its_effective_date(tree):
    """From 1 January 2026 (a rule set recorded in advance): quorum half, a majority more than 3/5, a
    qualified majority 3/4. With 9 entitled and 5 present: the meeting of 20 December 2025 has no quorum
    (6 needed), the one of 10 January 2026 has (5 needed); 'more than half' needs 5 members before and 6
    after; two thirds needs 6 before, three quarters 7 after — even though both votes are closed today."""
    RuleSet.objects.create(effective_from=dt.date(2026, 1, 1), name="Quy định mới", values=NEW_RULES)
    people, results = members(tree.c2, 9), {}
    for day in (dt.date(2025, 12, 20), dt.date(2026, 1, 10)):
        meeting = plan(tree.c2, day=day)
        services.open_meeting(meeting, None)
        for m in people[:5]:
            services.check_in(inv(meeting, m), None, at=meeting.starts_at)
        results[day] = [
            (vote.quorate, vote.needed)
            for vote in (by_count(meeting, M, 5), by_count(meeting, P, 3), by_count(meeting, Q, 5))
        ]
    assert results == {
        dt.date(2025, 12, 20): [(False, 5), (False, 3), (False, 6)],
        dt.date(2026, 1, 10): [(True, 6), (True, 4), (True, 7)],
    }
    assert services.votes_needed(Q, 9, 9, dt.date(2025, 12, 31)) == 6
    assert services.votes_needed(Q, 9, 9, dt.date(2026, 1, 1)) == 7


def test_a_future_rule_set_changes_the_forecast_of_later_meetings_only(tree):
    RuleSet.objects.create(effective_from=dt.date(2030, 1, 1), name="Quy định tương lai", values=NEW_RULES)
    members(tree.c2, 9)
    now, later = plan(tree.c2, day=dt.date(2029, 12, 31)), plan(tree.c2, day=dt.date(2030, 1, 2))
    assert services.forecast(now).needed == 6
    assert services.forecast(later).needed == 5
    assert services.quorum_needed(9, dt.date(2029, 12, 31)) == 6
