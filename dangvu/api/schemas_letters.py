"""Schemas of the letters endpoints (dangvu/api/routers/letters.py). `LetterOut` never carries a sender: the
senders are read through `/letters/{id}/sender` only (logged), by the inspection role of the handling
committee."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from dangvu.api.schemas import OrgRef
from dangvu.api.schemas_discipline import FormCode, MemberRef
from dangvu.api.types import Id, Line, Text

Channel = Literal["post", "in_person", "mailbox", "email", "forwarded"]
KindCode = Literal["denunciation", "complaint", "feedback"]
SignedCode = Literal["named", "anonymous", "false_name", "no_address"]


class LetterOut(Schema):
    id: int
    number: str
    committee: OrgRef = Field(..., description="The handling committee")
    received_on: dt.date
    channel: str
    kind: str
    signed: str = Field(..., description="named, anonymous, false_name or no_address")
    signatory_count: int
    about_member: MemberRef | None
    about_organisation: OrgRef | None
    content: str
    state: str = Field(
        ..., description="received, not_handled, accepted, handling, forwarded, transferred, archived, concluded"
    )
    screened_on: dt.date | None
    not_handled_reason: str
    route: str
    routed_on: dt.date | None
    forwarded_to: OrgRef | None
    transferred_to: str
    due_on: dt.date | None
    extension_days: int | None
    extended_due_on: dt.date | None
    outcome: str
    concluded_on: dt.date | None
    conclusion: str
    case_id: int | None = Field(None, description="The discipline case opened from the letter")
    result_notice_on: dt.date | None


class LetterFilterIn(Schema):
    state: (
        Literal["received", "not_handled", "accepted", "handling", "forwarded", "transferred", "archived", "concluded"]
        | None
    ) = None
    year: int | None = Field(None, ge=2000, le=2100, description="Letters received this year")


class SenderIn(Schema):
    name: Line = ""
    address: str = Field("", max_length=500)
    contact: Line = ""


class SenderOut(Schema):
    name: str
    address: str
    contact: str


class LetterIn(Schema):
    committee_id: Id = Field(..., description="The handling committee")
    number: str = Field(..., max_length=64)
    received_on: dt.date
    channel: Channel
    kind: KindCode
    signed: SignedCode
    senders: list[SenderIn] = Field(
        default_factory=list, max_length=50, description="Encrypted at rest; none if anonymous"
    )
    about_member_id: Id | None = None
    about_organisation_id: Id | None = None
    content: Text
    repeat_of_id: Id | None = None
    new_evidence: bool = False


class ScreeningIn(Schema):
    screened_on: dt.date
    note: Text = ""


class RouteIn(Schema):
    route: Literal["handle", "forward", "transfer", "archive"]
    routed_on: dt.date
    handler_ids: list[Id] = Field(default_factory=list, max_length=50, description="Members handling it (handle)")
    forwarded_to_id: Id | None = Field(None, description="The subordinate committee (forward)")
    transferred_to: Line = ""
    note: Text = ""


class ExtensionIn(Schema):
    days: int = Field(..., ge=1, le=365)
    reason: Text
    notice_on: dt.date


class OutcomeIn(Schema):
    outcome: Literal["discipline", "lessons", "unfounded"]
    concluded_on: dt.date
    conclusion: Text
    result_notice_on: dt.date | None = None
    category: Line | None = Field(None, description="Discipline case: category of violation")
    facts: Text | None = None
    violation_date: dt.date | None = None
    proposed_form: FormCode | None = None


class SenderViewOut(Schema):
    viewer: str
    viewed_at: dt.datetime
    surface: str


class LetterStatsIn(Schema):
    organisation_id: Id
    year: int | None = Field(None, ge=2000, le=2100)
    term: str | None = Field(None, max_length=16, description="A term code (2020-2025): the whole term")
    lineage: bool = True


class LetterCounts(Schema):
    organisation: OrgRef | None
    total: int
    kinds: dict[str, int]
    routes: dict[str, int] = Field(..., description="not_handled, handle, forward, transfer, archive, awaiting")
    outcomes: dict[str, int]
    on_time: int
    late: int


class LetterStatsOut(Schema):
    organisation: OrgRef
    start: dt.date
    end: dt.date
    combined: LetterCounts
    parts: list[LetterCounts]
