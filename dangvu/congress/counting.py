"""The arithmetic of an election, as pure functions (no database): the base, the votes needed, adding up the
ballots and the counting teams' tallies, and the outcome of a round (Quyết định 190-QĐ/TW; the shares and the
tie rule come from the rule set in force on the congress's date, passed in by dangvu.congress.services).

- The base: everyone convened (official members of a members' congress, official delegates of a delegates'
  congress) minus those in a category the rule set takes out for the congress's kind; each excluded person
  is kept with the reason.
- Elected: more than `majority` of the base (⌊share·base⌋ + 1 votes), ranked by votes. When more candidates
  reach it than there are seats, the seats go down the ranking; candidates tied across the last seat are
  resolved by the tie rule (a further round among them, or the eldest). Seats left for lack of votes are
  `unfilled`: a further round if the congress decides.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from dangvu.congress.rules import ELDEST


@dataclass(frozen=True)
class Convened:
    """One person convened to the congress (official member or official delegate)."""

    delegate_id: int
    name: str
    excused: str = ""  # a dangvu.congress.rules.EXCUSED code, "" when attending or absent without one


@dataclass(frozen=True)
class Base:
    convened: int
    excluded: tuple[Convened, ...]  # each with the category that takes them out

    @property
    def size(self) -> int:
        return self.convened - len(self.excluded)

    def by_reason(self) -> dict[str, int]:
        return dict(Counter(person.excused for person in self.excluded))


def base_of(convened: Iterable[Convened], categories: Iterable[str]) -> Base:
    """The base: those convened minus those in one of `categories` (the rule set's list for the kind)."""
    people = list(convened)
    out = set(categories)
    return Base(len(people), tuple(p for p in people if p.excused and p.excused in out))


def votes_needed(base: int, majority: Fraction) -> int:
    """'More than half of the base': the smallest whole number of votes above `majority`·base."""
    return math.floor(majority * base) + 1


def surplus_limit(seats: int, surplus: Fraction) -> int:
    """Most candidates on a list for `seats`: at most `surplus` over the seats (30%: 10 seats → 13)."""
    return math.floor(seats * (1 + surplus))


def nomination_enters(consent: int, present: int, threshold: Fraction) -> bool:
    """A floor or self nomination enters the list with the consent of *more than* `threshold` of those
    present (exactly 30% is not enough)."""
    return present > 0 and Fraction(consent, present) > threshold


@dataclass
class Count:
    """Ballots of a round added up: issued, valid, invalid by reason, votes per candidate."""

    issued: int = 0
    valid: int = 0
    invalid: Counter = field(default_factory=Counter)
    votes: Counter = field(default_factory=Counter)

    @property
    def returned(self) -> int:
        return self.valid + sum(self.invalid.values())

    def add(self, other: Count) -> Count:
        self.issued += other.issued
        self.valid += other.valid
        self.invalid.update(other.invalid)
        self.votes.update(other.votes)
        return self


def count_ballots(ballots: Iterable[tuple[Sequence[int], str]]) -> Count:
    """Ballots entered one by one: (the candidates kept on it, the invalid reason or "")."""
    count = Count()
    for kept, invalid in ballots:
        if invalid:
            count.invalid[invalid] += 1
        else:
            count.valid += 1
            count.votes.update(kept)
    return count


@dataclass(frozen=True)
class Outcome:
    needed: int
    ranking: tuple[tuple[int, int], ...]  # (candidate, votes), most votes first
    elected: tuple[int, ...]
    tied: tuple[int, ...] = ()  # tied across the last seat(s): a further round among them
    tie_seats: int = 0
    unfilled: int = 0  # seats no candidate reached the majority for

    @property
    def complete(self) -> bool:
        return not self.tied and not self.unfilled


def outcome(
    seats: int,
    candidates: Sequence[int],
    votes: dict[int, int],
    base: int,
    majority: Fraction,
    tie_rule: str,
    births: dict[int, dt.date] | None = None,
) -> Outcome:
    """Who is elected for `seats` among `candidates` (in list order) with `votes`, on a base of `base`."""
    needed = votes_needed(base, majority)
    order = {c: i for i, c in enumerate(candidates)}
    ranking = tuple(sorted(((c, int(votes.get(c, 0))) for c in candidates), key=lambda cv: (-cv[1], order[cv[0]])))
    qualified = [(c, v) for c, v in ranking if v >= needed]
    if len(qualified) <= seats:
        return Outcome(needed, ranking, tuple(c for c, _v in qualified), unfilled=seats - len(qualified))
    last = qualified[seats - 1][1]
    above = [c for c, v in qualified if v > last]
    at_last = [c for c, v in qualified if v == last]
    left = seats - len(above)
    if len(at_last) <= left:  # cannot happen with more qualified than seats; kept for clarity
        return Outcome(needed, ranking, tuple(above + at_last))
    if tie_rule == ELDEST and births:
        eldest = sorted(at_last, key=lambda c: (births.get(c) or dt.date.max, order[c]))
        cut = births.get(eldest[left - 1])
        if cut is not None and (len(eldest) == left or births.get(eldest[left]) != cut):
            return Outcome(needed, ranking, tuple(above + eldest[:left]))
    return Outcome(needed, ranking, tuple(above), tied=tuple(at_last), tie_seats=left)
