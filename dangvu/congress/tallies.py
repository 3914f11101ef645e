"""Counting a round, announcing it and seating the elected committee (moved out of dangvu.congress.services;
the same rules: one transaction, rule set of the congress's opening day, audit with the acting user).

A counting team enters its count either as totals (ballots issued, valid, invalid by reason, votes per
candidate) or ballot by ballot (the names kept on each paper ballot); a team does one or the other per round.
Until the announcement a team's totals may be entered again (audited); once the round is announced nothing
under it changes: a correction is an addendum (RoundAddendum).

The announcement stores the count and the outcome on the round and registers the minutes of the count (BB) and
the announcement of the result (TB) in the congress's series of the documents register (dangvu.docregister:
one series for all the congress's documents, symbol ĐH).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.congress import counting
from dangvu.congress.models import (
    Ballot,
    Candidate,
    CountingTeam,
    Election,
    ElectionKind,
    Invalid,
    Round,
    RoundAddendum,
    RoundState,
    Tally,
)
from dangvu.congress.services import _save, elected_so_far, share
from dangvu.lib.errors import DomainError
from dangvu.rules.registry import rules_on


def _lock_round(round_: Round) -> Round:
    round_ = Round.objects.select_for_update().select_related("election__congress").get(pk=round_.pk)
    if round_.state != RoundState.COUNTING:
        raise DomainError(_("This round is announced: it can no longer change (record a correction instead)."))
    return round_


def _team(round_: Round, team: CountingTeam) -> CountingTeam:
    if team.congress_id != round_.election.congress_id:
        raise DomainError({"team": [_("Choose a counting team of this congress.")]})
    return team


def _candidate_ids(round_: Round) -> list[int]:
    return list(round_.candidates.order_by("position", "pk").values_list("pk", flat=True))


@transaction.atomic
def enter_tally(
    round_: Round,
    team: CountingTeam,
    actor,
    *,
    issued: int,
    valid: int,
    invalid: dict[str, int],
    votes: dict[int, int],
) -> Tally:
    """A team's totals for the round (replacing its earlier totals, audited)."""
    round_ = _lock_round(round_)
    _team(round_, team)
    tally = Tally.objects.select_for_update().filter(round=round_, team=team).first()
    if tally is not None and tally.by_ballot:
        raise DomainError(_("This team enters its ballots one by one in this round."))
    ids = _candidate_ids(round_)
    errors: dict[str, list[str]] = {}
    invalid = {k: int(v or 0) for k, v in invalid.items() if int(v or 0)}
    votes = {int(k): int(v or 0) for k, v in votes.items()}
    if any(k not in Invalid.values for k in invalid) or any(v < 0 for v in invalid.values()):
        errors["invalid"] = [_("Invalid ballots are counted by reason, 0 or more.")]
    if valid is None or valid < 0:
        errors["valid"] = [_("Give the number of valid ballots.")]
    if issued is None or issued < 0:
        errors["issued"] = [_("Give the number of ballots issued.")]
    if not errors and valid + sum(invalid.values()) > issued:
        errors["issued"] = [_("More ballots returned than issued.")]
    unknown = [k for k in votes if k not in ids]
    if unknown or any(v < 0 for v in votes.values()):
        errors["votes"] = [_("Votes are given for the round's candidates, 0 or more.")]
    elif not errors:
        over = [c for c in ids if votes.get(c, 0) > valid]
        if over:
            errors["votes"] = [_("A candidate cannot have more votes than the valid ballots.")]
        elif sum(votes.values()) > valid * round_.seats:
            errors["votes"] = [_("More votes than the valid ballots allow for the seats.")]
    if errors:
        raise DomainError(errors)
    _check_issued(round_, team, issued)
    tally = tally or Tally(round=round_, team=team)
    tally.issued, tally.valid, tally.invalid = issued, valid, invalid
    tally.votes = {str(c): votes.get(c, 0) for c in ids}
    return _save(tally, actor, "tally")


def _check_issued(round_: Round, team: CountingTeam, issued: int) -> None:
    others = sum(t.issued for t in round_.tallies.exclude(team=team))
    if others + issued > round_.base:
        raise DomainError(
            {
                "issued": [
                    _("%(n)s ballots issued in all, for a base of %(base)s.")
                    % {"n": others + issued, "base": round_.base}
                ]
            }
        )


def _by_ballot_tally(round_: Round, team: CountingTeam, actor) -> Tally:
    tally = Tally.objects.select_for_update().filter(round=round_, team=team).first()
    if tally is None:
        tally = _save(Tally(round=round_, team=team, by_ballot=True), actor, "tally")
    elif not tally.by_ballot:
        raise DomainError(_("This team entered its totals in this round."))
    return tally


@transaction.atomic
def set_issued(round_: Round, team: CountingTeam, issued: int, actor) -> Tally:
    """Ballots issued to the voters a team counts (for a team entering ballots one by one)."""
    round_ = _lock_round(round_)
    _team(round_, team)
    tally = _by_ballot_tally(round_, team, actor)
    if issued is None or issued < tally.valid + sum(tally.invalid.values()):
        raise DomainError({"issued": [_("Fewer ballots issued than already entered.")]})
    _check_issued(round_, team, issued)
    tally.issued = issued
    return _save(tally, actor, "issued")


@transaction.atomic
def enter_ballot(round_: Round, team: CountingTeam, kept: list[int], actor, *, invalid: str = "") -> Ballot:
    """One paper ballot: the candidates kept on it (not crossed out), or the reason it is invalid. A ballot
    keeping more names than the seats is invalid by that reason."""
    round_ = _lock_round(round_)
    _team(round_, team)
    ids = set(_candidate_ids(round_))
    kept = [int(c) for c in kept]
    if invalid and invalid not in Invalid.values:
        raise DomainError({"invalid": [_("Choose why the ballot is invalid.")]})
    if len(set(kept)) != len(kept) or any(c not in ids for c in kept):
        raise DomainError({"kept": [_("Mark the round's candidates kept on the ballot, each once.")]})
    if not invalid and len(kept) > round_.seats:
        invalid = Invalid.TOO_MANY
    tally = _by_ballot_tally(round_, team, actor)
    ballot = Ballot.objects.create(tally=tally, kept=[] if invalid else kept, invalid=invalid)
    if invalid:
        tally.invalid = dict(Counter(tally.invalid) + Counter({invalid: 1}))
    else:
        tally.valid += 1
        tally.votes = {str(c): tally.votes.get(str(c), 0) for c in ids}
        for c in kept:
            tally.votes[str(c)] = tally.votes.get(str(c), 0) + 1
    if tally.issued < tally.valid + sum(tally.invalid.values()):
        tally.issued = tally.valid + sum(tally.invalid.values())
        _check_issued(round_, team, tally.issued)
    tally._history_user = actor
    tally.save()
    return ballot


def count(round_: Round) -> counting.Count:
    """The round's count so far, every team added up."""
    total = counting.Count()
    for tally in round_.tallies.all():
        total.add(
            counting.Count(
                tally.issued,
                tally.valid,
                Counter(tally.invalid),
                Counter({int(k): v for k, v in tally.votes.items()}),
            )
        )
    return total


def preview(round_: Round) -> counting.Outcome:
    """The outcome of the count so far, by the rule set in force on the congress's opening day."""
    congress = round_.election.congress
    values = rules_on(congress.starts_on)
    ids = _candidate_ids(round_)
    births = dict(Candidate.objects.filter(pk__in=ids).values_list("pk", "member__birth_date"))
    return counting.outcome(
        round_.seats,
        ids,
        dict(count(round_).votes),
        round_.base,
        share(values, "congress.majority_threshold"),
        values["congress.tie_rule"],
        births,
    )


def document_day(congress) -> dt.date:
    today = timezone.localdate()
    if today < congress.starts_on:
        raise DomainError(_("The congress has not opened yet."))
    return min(today, congress.ends_on)


@transaction.atomic
def announce(round_: Round, actor) -> Round:
    """Announce the round: the count and outcome are stored and the round is frozen; the minutes of the count
    and the announcement of the result get their numbers in the congress's series."""
    from dangvu.docregister import services as register
    from dangvu.docregister.models import Body, DocType

    round_ = _lock_round(round_)
    election = round_.election
    congress = election.congress
    total = count(round_)
    if not round_.tallies.exists() or total.returned == 0:
        raise DomainError(_("No ballot has been counted in this round."))
    result = preview(round_)
    day = document_day(congress)
    label = f"{election.get_kind_display()} – vòng {round_.number}"
    subjects = {
        DocType.MINUTES: f"Kiểm phiếu bầu {label}",
        DocType.NOTICE: f"Kết quả bầu {label}",
    }
    numbers = {}
    for doc_type, title in subjects.items():
        entry = register.Entry(
            organisation=congress.organisation,
            doc_type=doc_type,
            date=day,
            title=title,
            body=Body.CONGRESS,
            term=congress.term,
        )
        numbers[doc_type] = register.register(entry, actor)
    round_.result = {
        "issued": total.issued,
        "valid": total.valid,
        "invalid": dict(total.invalid),
        "votes": {str(c): v for c, v in result.ranking},
        "needed": result.needed,
        "elected": list(result.elected),
        "tied": list(result.tied),
        "tie_seats": result.tie_seats,
        "unfilled": result.unfilled,
        "majority": str(rules_on(congress.starts_on)["congress.majority_threshold"]),
        "tie_rule": rules_on(congress.starts_on)["congress.tie_rule"],
    }
    round_.state, round_.announced_at, round_.announced_by = RoundState.ANNOUNCED, timezone.now(), actor
    round_.minutes, round_.announcement = numbers[DocType.MINUTES], numbers[DocType.NOTICE]
    _save(round_, actor, "announce")
    if result.complete:
        Election.objects.filter(pk=election.pk).update(closed=True)
    return round_


@transaction.atomic
def add_addendum(round_: Round, text: str, actor) -> RoundAddendum:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state != RoundState.ANNOUNCED:
        raise DomainError(_("Until it is announced, correct the count itself."))
    if not text.strip():
        raise DomainError({"text": [_("Write what is corrected.")]})
    return _save(RoundAddendum(round=round_, text=text.strip(), recorded_by=actor), actor, "addendum")


POSITIONS = {
    ElectionKind.COMMITTEE: "committee_member",
    ElectionKind.STANDING: "standing_member",
    ElectionKind.SECRETARY: "secretary",
    ElectionKind.DEPUTY: "deputy_secretary",
}


@transaction.atomic
def install(election: Election, actor):
    """The elected become the organisation's committee of the term, seated from the day after the congress
    (the committee is created by the committee election; the outgoing committee's seats end that day). The
    standing committee, secretary and deputies take their seats on the same committee. Returns the seats."""
    from dangvu.orgs import committees
    from dangvu.orgs.models import Committee, CommitteeSeat, OrgKind, Position

    election = (
        Election.objects.select_for_update()
        .select_related("congress__organisation", "congress__term")
        .get(pk=election.pk)
    )
    congress = election.congress
    if election.kind not in POSITIONS:
        raise DomainError(_("Delegates to the higher congress take no seat on the committee."))
    if election.installed_on:
        raise DomainError(_("The elected are already seated."))
    if not election.closed:
        raise DomainError(_("The election is not finished: announce its rounds or close it."))
    elected = elected_so_far(election)
    if not elected:
        raise DomainError(_("No one was elected."))
    seated_from = congress.ends_on + dt.timedelta(days=1)
    org = congress.organisation
    committee = Committee.objects.filter(organisation=org, term=congress.term).first()
    if election.kind == ElectionKind.COMMITTEE:
        if committee is not None:
            raise DomainError(
                _("This organisation already has a committee for term %(term)s.") % {"term": congress.term.code}
            )
        for seat in CommitteeSeat.objects.filter(committee__organisation=org, valid_to__isnull=True):
            committees.end_seat(seat, seated_from, actor, reason=str(congress))
        committee = committees.elect_committee(org, congress.term, seated_from, actor)
    elif committee is None:
        raise DomainError(_("Seat the executive committee first."))
    position = POSITIONS[election.kind]
    if position == Position.COMMITTEE_MEMBER and org.kind in OrgKind.member_holding():
        position = Position.CELL_COMMITTEE_MEMBER
    seats = [
        committees.add_seat(committee, candidate.member, position, seated_from, actor)
        for candidate in Candidate.objects.filter(pk__in=elected).select_related("member")
    ]
    election.installed_on = seated_from
    _save(election, actor, "install")
    return seats
