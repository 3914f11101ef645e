"""Issue 15's election acceptance on the database: an election filled in one round; a tie at the last seat and
its further round; too few elected and the further round; invalid ballots; a floor nomination under and over
30%; a surplus over 30% refused; a round frozen once announced; the committee of the term from the result."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu import testing
from dangvu.congress import services, tallies
from dangvu.congress.models import Candidate, ElectionKind, Invalid, Round, RoundAddendum, RoundState, Source, Tally
from dangvu.congress.tests.conftest import CLOSES
from dangvu.lib.errors import DomainError
from dangvu.orgs import committees
from dangvu.orgs.models import Committee, CommitteeSeat, Position, Term
from dangvu.rules.models import RuleSet

pytestmark = pytest.mark.django_db


def listed(congress, voters, seats: int, n: int, cast) -> tuple:
    election = services.create_election(congress, ElectionKind.COMMITTEE, seats, cast.office)
    candidates = [services.propose(election, m, cast.office) for m in voters[:n]]
    return election, candidates


def totals(round_, team, cast, votes: dict, *, issued=20, valid=20, invalid=None):
    return tallies.enter_tally(
        round_,
        team,
        cast.office,
        issued=issued,
        valid=valid,
        invalid=invalid or {},
        votes={c.pk: n for c, n in votes.items()},
    )


def test_filled_in_one_round_and_the_committee_of_the_term(congress, voters, team, cast, tree):
    outgoing_term = Term.objects.create(code="2020-2025", start=dt.date(2020, 9, 1), end=dt.date(2025, 8, 31))
    outgoing = committees.elect_committee(tree.a_base, outgoing_term, dt.date(2020, 9, 15), cast.office)
    old_seat = committees.add_seat(outgoing, voters[10], Position.SECRETARY, dt.date(2020, 9, 16), cast.office)
    election, c = listed(congress, voters, 5, 6, cast)
    round_ = services.open_first_round(election, cast.office)
    assert (round_.convened, round_.base, round_.excluded) == (20, 20, [])
    totals(round_, team, cast, dict(zip(c, [19, 18, 15, 14, 11, 10], strict=True)), valid=19, invalid={"marked": 1})
    preview = tallies.preview(round_)
    assert preview.needed == 11 and preview.elected == tuple(x.pk for x in c[:5])  # 11 of 20 elected, 10 not
    round_ = tallies.announce(round_, cast.office)
    assert round_.state == RoundState.ANNOUNCED and round_.result["elected"] == [x.pk for x in c[:5]]
    assert round_.result["invalid"] == {"marked": 1} and round_.result["issued"] == 20
    assert (round_.minutes.number, round_.announcement.number) == ("01-BB/ĐH", "02-TB/ĐH")  # one series
    election.refresh_from_db()
    assert election.closed
    with pytest.raises(DomainError):
        services.further_round(election, cast.office, [c[5]])
    seats = tallies.install(election, cast.office)
    committee = Committee.objects.get(organisation=tree.a_base, term=congress.term)
    day_after = CLOSES + dt.timedelta(days=1)
    assert committee.elected_on == day_after
    assert sorted(s.member_id for s in seats) == sorted(m.pk for m in voters[:5])
    assert {(s.position, s.valid_from) for s in committee.seats.all()} == {(Position.COMMITTEE_MEMBER, day_after)}
    old_seat.refresh_from_db()
    assert old_seat.valid_to == day_after  # the outgoing committee's seats end as the new one is seated
    assert CommitteeSeat.history.filter(id=seats[0].pk).first().history_user == cast.office
    with pytest.raises(DomainError):
        tallies.install(election, cast.office)  # only once
    secretary = services.create_election(congress, ElectionKind.SECRETARY, 1, cast.office)
    services.propose(secretary, voters[0], cast.office)
    first = services.open_first_round(secretary, cast.office)
    totals(first, team, cast, {Candidate.objects.get(election=secretary): 18})
    tallies.announce(first, cast.office)
    (seat,) = tallies.install(secretary, cast.office)
    assert (seat.committee_id, seat.position, seat.member_id) == (committee.pk, Position.SECRETARY, voters[0].pk)


def test_tie_at_the_last_seat_and_its_further_round(congress, voters, team, cast):
    election, c = listed(congress, voters, 5, 6, cast)
    round_ = services.open_first_round(election, cast.office)
    totals(round_, team, cast, dict(zip(c, [19, 18, 15, 14, 12, 12], strict=True)))
    round_ = tallies.announce(round_, cast.office)
    assert round_.result["elected"] == [x.pk for x in c[:4]]
    assert round_.result["tied"] == [c[4].pk, c[5].pk] and round_.result["tie_seats"] == 1
    election.refresh_from_db()
    assert not election.closed
    with pytest.raises(DomainError):
        tallies.install(election, cast.office)  # not finished
    second = services.further_round(election, cast.office)
    assert (second.number, second.seats, second.reason) == (2, 1, "tie")
    assert set(second.candidates.all()) == {c[4], c[5]}
    tallies.set_issued(second, team, 20, cast.office)
    for _ in range(12):
        tallies.enter_ballot(second, team, [c[5].pk], cast.office)
    for _ in range(6):
        tallies.enter_ballot(second, team, [c[4].pk], cast.office)
    tallies.enter_ballot(second, team, [c[4].pk, c[5].pk], cast.office)  # two names for one seat: invalid
    tallies.enter_ballot(second, team, [], cast.office, invalid=Invalid.ADDED)
    second = tallies.announce(second, cast.office)
    assert second.result["elected"] == [c[5].pk] and second.result["invalid"] == {"too_many": 1, "added": 1}
    assert second.result["valid"] == 18
    election.refresh_from_db()
    assert election.closed and services.elected_so_far(election) == [x.pk for x in (*c[:4], c[5])]
    assert second.minutes.number == "03-BB/ĐH"  # the congress's series runs on


def test_tie_rule_from_the_rule_set_eldest(congress, voters, team, cast, tree):
    RuleSet.objects.create(
        effective_from=dt.date(2025, 1, 1), name="Hòa phiếu: người cao tuổi", values={"congress.tie_rule": "eldest"}
    )
    elder = testing.member(tree.c1, "Cao Văn Niên", birth=dt.date(1960, 1, 1))
    election, c = listed(congress, voters, 4, 4, cast)
    c.append(services.propose(election, elder, cast.office))  # 5 for 4 seats
    round_ = services.open_first_round(election, cast.office)
    totals(round_, team, cast, dict(zip(c, [15, 15, 15, 12, 12], strict=True)))
    round_ = tallies.announce(round_, cast.office)
    assert round_.result["elected"] == [c[0].pk, c[1].pk, c[2].pk, c[4].pk] and round_.result["tied"] == []
    election.refresh_from_db()
    assert election.closed


def test_too_few_elected_and_the_further_round(congress, voters, team, cast):
    election, c = listed(congress, voters, 5, 6, cast)
    round_ = services.open_first_round(election, cast.office)
    totals(round_, team, cast, dict(zip(c, [19, 18, 11, 10, 9, 8], strict=True)))
    round_ = tallies.announce(round_, cast.office)
    assert round_.result["elected"] == [c[0].pk, c[1].pk, c[2].pk] and round_.result["unfilled"] == 2
    with pytest.raises(DomainError) as refused:
        services.further_round(election, cast.office, [c[3], c[4], c[5]])  # 3 names for 2 seats: over 30%
    assert "candidates" in refused.value.message_dict
    with pytest.raises(DomainError):
        services.further_round(election, cast.office, [c[0], c[3]])  # c0 is already elected
    second = services.further_round(election, cast.office, [c[3], c[4]])
    assert (second.seats, second.reason, second.base) == (2, "unfilled", 20)
    totals(second, team, cast, {c[3]: 14, c[4]: 11})
    tallies.announce(second, cast.office)
    election.refresh_from_db()
    assert election.closed and len(services.elected_so_far(election)) == 5


def test_too_few_elected_and_the_congress_decides_no_further_round(congress, voters, team, cast):
    election, c = listed(congress, voters, 3, 3, cast)
    round_ = services.open_first_round(election, cast.office)
    totals(round_, team, cast, {c[0]: 15, c[1]: 10, c[2]: 3})
    tallies.announce(round_, cast.office)
    services.close_election(election, cast.office)
    assert len(tallies.install(election, cast.office)) == 1


def test_invalid_ballots_counted_by_reason_over_teams(congress, voters, team, cast):
    from dangvu.congress.models import CountingTeam

    other = CountingTeam.objects.create(congress=congress, name="Tổ kiểm phiếu số 2")
    election, c = listed(congress, voters, 2, 2, cast)
    round_ = services.open_first_round(election, cast.office)
    totals(round_, team, cast, {c[0]: 8, c[1]: 7}, issued=10, valid=8, invalid={"marked": 1, "not_issued": 1})
    tallies.enter_ballot(round_, other, [c[0].pk, c[1].pk], cast.office)
    tallies.enter_ballot(round_, other, [c[0].pk], cast.office, invalid=Invalid.MARKED)
    with pytest.raises(DomainError):
        tallies.enter_tally(round_, other, cast.office, issued=10, valid=1, invalid={}, votes={})  # one way per team
    with pytest.raises(DomainError):
        tallies.enter_ballot(round_, team, [c[0].pk], cast.office)
    count = tallies.count(round_)
    assert (count.issued, count.valid, dict(count.invalid)) == (12, 9, {"marked": 2, "not_issued": 1})
    assert count.votes[c[0].pk] == 9 and count.votes[c[1].pk] == 8


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"issued": 10, "valid": 10, "invalid": {"marked": 1}}, "issued"),  # more returned than issued
        ({"issued": 21, "valid": 20, "invalid": {}}, "issued"),  # more issued than the base
        ({"issued": 10, "valid": 5, "invalid": {}, "votes": 6}, "votes"),  # more votes than valid ballots
        ({"issued": 10, "valid": 5, "invalid": {"lost": 1}}, "invalid"),  # unknown reason
    ],
)
def test_a_bad_tally_is_refused_and_nothing_is_written(congress, voters, team, cast, fields, field):
    election, c = listed(congress, voters, 2, 2, cast)
    round_ = services.open_first_round(election, cast.office)
    votes = {c[0].pk: fields.pop("votes", 0)}
    with pytest.raises(DomainError) as refused:
        tallies.enter_tally(round_, team, cast.office, votes=votes, **fields)
    assert field in refused.value.message_dict
    assert not Tally.objects.exists()


def test_floor_nomination_under_and_over_thirty_percent(congress, voters, cast):
    election = services.create_election(congress, ElectionKind.COMMITTEE, 5, cast.office)
    exactly = services.nominate(election, voters[0], Source.FLOOR, 6, 20, cast.office)  # exactly 30%
    more = services.nominate(election, voters[1], Source.SELF, 7, 20, cast.office)  # 35%
    assert not exactly.on_list and more.on_list
    round_ = services.open_first_round(election, cast.office)
    assert list(round_.candidates.all()) == [more]
    with pytest.raises(DomainError) as refused:
        services.nominate(election, voters[2], Source.FLOOR, 21, 20, cast.office)
    assert "consent" in refused.value.message_dict


def test_surplus_over_thirty_percent_refused(congress, voters, cast):
    election = services.create_election(congress, ElectionKind.COMMITTEE, 10, cast.office)
    for member in voters[:13]:  # 13 for 10 seats: 30% over
        services.propose(election, member, cast.office)
    with pytest.raises(DomainError) as refused:
        services.propose(election, voters[13], cast.office)
    assert "14" in refused.value.message_dict["member"][0]
    with pytest.raises(DomainError):
        services.nominate(election, voters[14], Source.FLOOR, 15, 20, cast.office)  # consent given, list full
    assert Candidate.objects.filter(election=election).count() == 13


def test_an_announced_round_is_frozen_and_corrected_by_addendum(congress, voters, team, cast):
    election, c = listed(congress, voters, 2, 2, cast)
    round_ = services.open_first_round(election, cast.office)
    totals(round_, team, cast, {c[0]: 15, c[1]: 14})
    round_ = tallies.announce(round_, cast.office)
    for attempt in (
        lambda: totals(round_, team, cast, {c[0]: 1, c[1]: 1}),
        lambda: tallies.enter_ballot(round_, team, [c[0].pk], cast.office),
        lambda: tallies.announce(round_, cast.office),
        lambda: services.record_excused(congress.delegates.first(), "prosecuted", cast.office),
    ):
        with pytest.raises(DomainError):
            attempt()
    assert Round.objects.get(pk=round_.pk).result == round_.result
    addendum = tallies.add_addendum(round_, "Đính chính: tên ứng cử viên ghi sai chính tả.", cast.office)
    assert RoundAddendum.history.get(id=addendum.pk).history_user == cast.office
    with pytest.raises(DomainError):
        tallies.add_addendum(round_, "  ", cast.office)
