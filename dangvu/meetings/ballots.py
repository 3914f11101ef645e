"""Votes of a meeting: creating, opening, casting, tallying and closing them (moved out of
dangvu.meetings.services, which still exports every public name here).

Concurrency (issue 4 item 7): a ballot is one insert guarded by a unique constraint (one per voter) taken
under the vote's row lock, so a vote closed at the same moment either counts the ballot or refuses it, never
half; closing takes the same lock and tallies in it. A secret ballot is a receipt and the counters
(dangvu.meetings.secret, issue 16 item 2), sealed at the close.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.lib.errors import DomainError
from dangvu.meetings import secret
from dangvu.meetings.models import (
    AgendaItem,
    Attendance,
    Ballot,
    Choice,
    Invitation,
    Meeting,
    SecretReceipt,
    Vote,
    VoteMethod,
    VoteRule,
    VoteState,
)
from dangvu.meetings.services import _editable, _lock_meeting, _running, _save, is_quorate, meeting_day
from dangvu.members import vote_base
from dangvu.rules.registry import rules_on


def votes_needed(rule: str, eligible: int, present: int, day: dt.date) -> int:
    """Smallest number of votes in favour that passes: 'more than half' is ⌊f·n⌋ + 1, 'at least two
    thirds' is ⌈f·n⌉, with f from the rule set in force on `day`."""
    values = rules_on(day)
    if rule == VoteRule.MAJORITY_OF_MEMBERS:
        return math.floor(Fraction(values["meeting.majority"]) * eligible) + 1
    if rule == VoteRule.MAJORITY_OF_PRESENT:
        return math.floor(Fraction(values["meeting.majority"]) * present) + 1
    if rule == VoteRule.TWO_THIRDS_OF_MEMBERS:
        return math.ceil(Fraction(values["meeting.qualified"]) * eligible)
    raise DomainError(_("Unknown threshold."))


@transaction.atomic
def create_vote(
    meeting: Meeting, actor, *, question: str, method: str, rule: str, agenda_item: AgendaItem | None = None
) -> Vote:
    meeting = _lock_meeting(meeting)
    _editable(meeting)
    if not question.strip():
        raise DomainError(_("Write the question put to the vote."))
    if method not in VoteMethod.values or rule not in VoteRule.values:
        raise DomainError(_("Choose the method and the threshold."))
    return _save(
        Vote(meeting=meeting, agenda_item=agenda_item, question=question.strip(), method=method, rule=rule), actor
    )


def _voters_present(meeting: Meeting) -> tuple[int, int]:
    rows = meeting.invitations.filter(may_vote=True)
    return rows.count(), rows.filter(attendance=Attendance.PRESENT).count()


@transaction.atomic
def open_vote(vote: Vote, actor) -> Vote:
    vote = Vote.objects.select_for_update().select_related("meeting").get(pk=vote.pk)
    _running(vote.meeting)
    if vote.state != VoteState.DRAFT:
        raise DomainError(_("This vote has already been opened."))
    if vote.meeting.votes.filter(state=VoteState.OPEN).exists():
        raise DomainError(_("Close the open vote first."))
    vote.eligible, vote.present = _voters_present(vote.meeting)
    vote_base.require_base(vote.eligible, meeting_day(vote.meeting))
    vote.quorate = is_quorate(vote.present, vote.eligible, meeting_day(vote.meeting))
    vote.state, vote.opened_at = VoteState.OPEN, timezone.now()
    if vote.method == VoteMethod.SECRET:
        secret.open_counters(vote)
    return _save(vote, actor)


@transaction.atomic
def cast(vote: Vote, invitation: Invitation, choice: str) -> None:
    """One ballot from one voter, counted once. Under the vote's row lock: a ballot arriving while the
    vote closes is either in the count or refused. Returns nothing: a secret ballot is not to be shown."""
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.state != VoteState.OPEN:
        raise DomainError(_("This vote is not open."))
    if vote.method == VoteMethod.COUNT:
        raise DomainError(_("This vote is taken by show of hands; the secretary enters the count."))
    if choice not in Choice.values:
        raise DomainError(_("Unknown choice."))
    invitation = Invitation.objects.get(pk=invitation.pk)  # the stored attendance, not the caller's copy
    if invitation.meeting_id != vote.meeting_id or not invitation.may_vote:
        raise DomainError(_("You are not entitled to vote in this meeting."))
    if invitation.attendance != Attendance.PRESENT:
        raise DomainError(_("Check in before voting."))
    try:
        with transaction.atomic():
            if vote.method == VoteMethod.SECRET:
                secret.record(vote, invitation.pk, choice)
            else:
                Ballot.objects.create(vote=vote, invitation=invitation, choice=choice)
    except IntegrityError:
        raise DomainError(_("You have already voted.")) from None


def has_voted(vote: Vote, invitation: Invitation) -> bool:
    if vote.method == VoteMethod.SECRET:
        return SecretReceipt.objects.filter(vote=vote, invitation=invitation).exists()
    return Ballot.objects.filter(vote=vote, invitation=invitation).exists()


def tally(vote: Vote) -> dict[str, int]:
    """Counts so far (live results); never who."""
    if vote.method == VoteMethod.SECRET:
        return secret.counts(vote)
    counts = dict(Ballot.objects.filter(vote=vote).values_list("choice").annotate(n=Count("pk")).order_by())
    return {c: counts.get(c, 0) for c in Choice.values}


@transaction.atomic
def close_vote(vote: Vote, actor, *, counts: dict[str, int] | None = None) -> Vote:
    """Close and compute the verdict atomically. For a vote by show of hands, `counts` gives the numbers
    (yes/no/abstain), which may not exceed the voters present."""
    vote = Vote.objects.select_for_update().select_related("meeting").get(pk=vote.pk)
    if vote.state != VoteState.OPEN:
        raise DomainError(_("This vote is not open."))
    # Voters who checked in while the vote was open may have voted: the voters present are counted again.
    day = meeting_day(vote.meeting)
    vote.eligible, vote.present = _voters_present(vote.meeting)
    vote.quorate = is_quorate(vote.present, vote.eligible, day)
    if vote.method == VoteMethod.COUNT:
        if counts is None:
            raise DomainError(_("Enter the numbers in favour, against and abstaining."))
        result = {c: int(counts.get(c) or 0) for c in Choice.values}
        if any(n < 0 for n in result.values()):
            raise DomainError(_("Numbers cannot be negative."))
        if sum(result.values()) > vote.present:
            raise DomainError(
                _("%(n)s votes counted but only %(present)s voters are present.")
                % {"n": sum(result.values()), "present": vote.present}
            )
    elif vote.method == VoteMethod.SECRET:
        result = secret.seal(vote)  # checked against the receipts, rewritten, old versions purged later
        vote._change_reason = secret.audit_note(vote, result)
    else:
        result = tally(vote)
    vote.yes, vote.no, vote.abstain = result[Choice.YES], result[Choice.NO], result[Choice.ABSTAIN]
    vote.needed = votes_needed(vote.rule, vote.eligible, vote.present, day)
    vote.passed = bool(vote.quorate) and vote.yes >= vote.needed
    vote.state, vote.closed_at = VoteState.CLOSED, timezone.now()
    return _save(vote, actor)
