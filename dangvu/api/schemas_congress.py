"""Schemas of the congress endpoints (dangvu/api/routers/congress.py)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from dangvu.api.schemas import OrgRef
from dangvu.api.types import Count, Id, Line


class ExcludedOut(Schema):
    name: str
    reason: str = Field(..., description="Why the person is not in the base (a category of the rule set)")


class RoundOut(Schema):
    id: int
    number: int
    seats: int
    state: str = Field(..., description="counting or announced")
    convened: int
    base: int
    excluded: list[ExcludedOut]
    needed: int = Field(..., description="Votes needed: more than the rule set's share of the base")
    issued: int
    valid: int
    invalid: dict[str, int] = Field(..., description="Invalid ballots by reason")
    votes: dict[str, int] = Field(..., description="Votes per candidate id, most votes first")
    elected: list[int]
    tied: list[int]
    unfilled: int
    minutes_number: str = ""
    announcement_number: str = ""


class ElectionOut(Schema):
    id: int
    kind: str
    seats: int
    closed: bool
    rounds: list[int]


class CongressOut(Schema):
    id: int
    organisation: OrgRef
    term: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    convened: int
    base: int
    elections: list[ElectionOut]


class InvalidIn(Schema):
    reason: Line = Field(..., max_length=16, description="too_many, added, marked or not_issued")
    ballots: Count


class VotesIn(Schema):
    candidate_id: Id
    votes: Count


class TallyIn(Schema):
    team_id: Id
    issued: Count
    valid: Count
    invalid: list[InvalidIn] = Field(default_factory=list, max_length=10, description="Invalid ballots by reason")
    votes: list[VotesIn] = Field(default_factory=list, max_length=1000, description="Votes per candidate")
