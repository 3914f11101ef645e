"""The arithmetic of an election (dangvu.congress.counting), without the database: the base, the votes needed,
the surplus limit, the consent for a floor nomination and the outcome of a round. Boundaries on both sides."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction

from dangvu.congress import counting
from dangvu.congress.rules import ELDEST, FURTHER_ROUND

HALF, THIRTY = Fraction(1, 2), Fraction(3, 10)


def test_votes_needed_is_more_than_half_of_the_base():
    assert counting.votes_needed(20, HALF) == 11  # 10 is exactly half: not enough
    assert counting.votes_needed(21, HALF) == 11  # 10.5 → 11
    assert counting.votes_needed(1, HALF) == 1


def test_surplus_limit_is_thirty_percent_over_the_seats():
    assert counting.surplus_limit(10, THIRTY) == 13
    assert counting.surplus_limit(5, THIRTY) == 6  # 6.5 → 6
    assert counting.surplus_limit(3, THIRTY) == 3  # 0.9 over: no surplus possible
    assert counting.surplus_limit(1, THIRTY) == 1


def test_a_floor_nomination_needs_more_than_thirty_percent_of_those_present():
    assert not counting.nomination_enters(6, 20, THIRTY)  # exactly 30%: refused
    assert counting.nomination_enters(7, 20, THIRTY)
    assert not counting.nomination_enters(29, 100, THIRTY)
    assert not counting.nomination_enters(30, 100, THIRTY)
    assert counting.nomination_enters(31, 100, THIRTY)
    assert not counting.nomination_enters(0, 0, THIRTY)


def test_base_takes_out_only_the_categories_of_the_kind():
    people = [
        counting.Convened(1, "A"),
        counting.Convened(2, "B", "away"),
        counting.Convened(3, "C", "prosecuted"),
        counting.Convened(4, "D", "absent_no_alternate"),
    ]
    members = counting.base_of(people, ["away", "exempt_absent", "suspended", "prosecuted", "absent_approved"])
    assert (members.convened, members.size) == (4, 2)
    assert [p.delegate_id for p in members.excluded] == [2, 3]
    assert members.by_reason() == {"away": 1, "prosecuted": 1}
    delegates = counting.base_of(people, ["absent_no_alternate"])
    assert delegates.size == 3 and [p.delegate_id for p in delegates.excluded] == [4]


def test_ballots_one_by_one_are_added_up_with_invalid_ones_by_reason():
    count = counting.count_ballots(
        [([1, 2], ""), ([2], ""), ([], ""), ([], "marked"), ([], "too_many"), ([], "marked")]
    )
    assert count.valid == 3 and count.invalid == Counter({"marked": 2, "too_many": 1}) and count.returned == 6
    assert count.votes == Counter({2: 2, 1: 1})


def test_outcome_filled_in_one_round():
    result = counting.outcome(3, [1, 2, 3, 4], {1: 15, 2: 11, 3: 12, 4: 10}, 20, HALF, FURTHER_ROUND)
    assert result.needed == 11 and result.elected == (1, 3, 2) and result.complete


def test_outcome_tie_at_the_last_seat_goes_to_a_further_round():
    result = counting.outcome(2, [1, 2, 3], {1: 15, 2: 12, 3: 12}, 20, HALF, FURTHER_ROUND)
    assert result.elected == (1,) and result.tied == (2, 3) and result.tie_seats == 1 and not result.complete


def test_outcome_tie_below_the_majority_is_no_tie_but_unfilled():
    result = counting.outcome(2, [1, 2, 3], {1: 15, 2: 10, 3: 10}, 20, HALF, FURTHER_ROUND)
    assert result.elected == (1,) and result.tied == () and result.unfilled == 1


def test_outcome_tie_resolved_by_age_when_the_rule_set_says_so():
    births = {2: dt.date(1980, 1, 1), 3: dt.date(1970, 1, 1)}
    result = counting.outcome(2, [1, 2, 3], {1: 15, 2: 12, 3: 12}, 20, HALF, ELDEST, births)
    assert result.elected == (1, 3) and result.complete
    same_day = {2: dt.date(1970, 1, 1), 3: dt.date(1970, 1, 1)}  # still tied: a further round
    result = counting.outcome(2, [1, 2, 3], {1: 15, 2: 12, 3: 12}, 20, HALF, ELDEST, same_day)
    assert result.tied == (2, 3)


def test_outcome_too_few_elected_leaves_seats_unfilled():
    result = counting.outcome(3, [1, 2, 3, 4], {1: 11, 2: 10, 3: 9, 4: 2}, 20, HALF, FURTHER_ROUND)
    assert result.elected == (1,) and result.unfilled == 2 and not result.complete
