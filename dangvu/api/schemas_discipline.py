"""Schemas of the discipline endpoints (dangvu/api/routers/discipline.py)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from dangvu.api.schemas import OrgRef
from dangvu.api.types import Id, Line, Text

FormCode = Literal["reprimand", "warning", "removal_from_post", "expulsion", "dissolution"]
OrganCode = Literal["committee", "standing", "inspection"]


class MemberRef(Schema):
    id: int
    full_name: str


class CaseOut(Schema):
    id: int
    subject_kind: str = Field(..., description="member or organisation")
    member: MemberRef | None
    organisation: OrgRef = Field(..., description="The organisation disciplined, or the member's cell")
    category: str
    facts: str
    violation_date: dt.date
    proposed_form: str
    opened_on: dt.date
    state: str = Field(..., description="open, decided or dropped")
    form: str = Field(..., description="Form decided ('' until decided)")
    final_form: str = Field(..., description="Form in force after any appeal ('' when annulled or undecided)")
    decided_by: OrgRef | None
    organ: str
    document_number: str
    document_date: dt.date | None
    issuer: str
    effective_date: dt.date | None
    committee_member: bool
    appeal_lodged_on: dt.date | None
    appeal_due: dt.date | None
    appeal_outcome: str
    appeal_decided_on: dt.date | None


class CaseFilterIn(Schema):
    state: Literal["open", "decided", "dropped"] | None = None
    member_id: Id | None = Field(None, description="Cases of this member")
    year: int | None = Field(None, ge=2000, le=2100, description="Violations of this year")


class CaseIn(Schema):
    member_id: Id | None = Field(None, description="The member disciplined (or organisation_id)")
    organisation_id: Id | None = Field(None, description="The organisation disciplined (or member_id)")
    category: Line
    facts: Text
    violation_date: dt.date
    proposed_form: FormCode
    opened_on: dt.date


class DecisionIn(Schema):
    form: FormCode
    decided_by_id: Id = Field(..., description="The deciding organisation")
    organ: OrganCode
    document_number: str = Field(..., max_length=64)
    document_date: dt.date
    issuer: Line = ""
    effective_date: dt.date
    seat_id: Id | None = Field(None, description="Removal from post: the committee seat removed")


class AppealIn(Schema):
    lodged_on: dt.date
    lodged_with: Line


class AppealOutcomeIn(Schema):
    outcome: Literal["upheld", "changed", "annulled"]
    decided_on: dt.date
    document_number: str = Field(..., max_length=64)
    new_form: FormCode | None = None
    note: Text = ""


class StatsIn(Schema):
    organisation_id: Id
    year: int | None = Field(None, ge=2000, le=2100)
    term: str | None = Field(None, max_length=16, description="A term code (2020-2025): the whole term")
    lineage: bool = True


class FormCount(Schema):
    form: str
    label: str
    members: int
    committee_members: int
    organisations: int


class StatsCounts(Schema):
    organisation: OrgRef | None
    forms: list[FormCount]
    categories: dict[str, int]
    members: int
    committee_members: int
    organisations: int
    total: int


class StatsOut(Schema):
    organisation: OrgRef
    start: dt.date
    end: dt.date
    combined: StatsCounts
    parts: list[StatsCounts]
