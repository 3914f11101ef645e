"""Schemas of the yearly review endpoints (dangvu/api/routers/reviews.py)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from dangvu.api.schemas import OrgRef
from dangvu.api.types import Clean, Id, Line, Text


class CampaignOut(Schema):
    id: int
    year: int
    organisation: OrgRef
    opened_on: dt.date = Field(..., alias="rules_date", description="The rules in force on this day apply")
    period: str = Field(..., description="year, or term (then first_year to year)")
    first_year: int | None = Field(..., description="First year of a term reviewed")
    document_number: str
    self_until: dt.date
    cell_until: dt.date
    decide_until: dt.date


class ReviewFilterIn(Schema):
    campaign_id: Id | None = Field(None, description="Reviews of this campaign")
    member_id: Id | None = Field(None, description="Reviews of this member (their grade per year)")
    year: int | None = Field(None, ge=2000, le=2100, description="Year reviewed")


class MemberRef(Schema):
    id: int
    full_name: str


class DecisionRef(Schema):
    id: int
    document_number: str
    document_date: dt.date
    corrects_id: int | None


class ReviewOut(Schema):
    id: int
    campaign_id: int
    year: int = Field(..., alias="campaign.year")
    member: MemberRef
    organisation: OrgRef = Field(..., description="The cell at the opening, which proposes the grade")
    state: str
    not_graded: str = Field(..., alias="exclusion", description="Why the member is not graded ('' when graded)")
    form: str
    points: float | None
    self_grade: str = Field(..., description="Grade the member's points and conditions give")
    proposed_grade: str
    grade: str = Field(..., description="Grade decided by the committee ('' until decided)")
    decision: DecisionRef | None


class TaskIo(Schema):
    title: Line
    on_time: bool = False
    exceeded: bool = False


class ReviewDetailOut(ReviewOut):
    scores: dict[str, str]
    evidence: dict[str, str]
    tasks: list[TaskIo]
    shortcomings: str
    remedy: str
    disciplined: bool
    comments: str
    reasons: list[str] = Field(..., description="Why the points and conditions give no better grade")


class SelfAssessmentIn(Schema):
    form: Clean = Field(..., max_length=8, description="Code of the review form (rule review.forms)")
    scores: dict[Line, Line] = Field(..., description="Points per criteria group code, e.g. {'general': '27.5'}")
    evidence: dict[Line, Text] = Field(default_factory=dict)
    tasks: list[TaskIo] = Field(default_factory=list, max_length=60)
    shortcomings: Text = ""
    remedy: Text = ""
    submit: bool = Field(False, description="Sign the form: it can no longer be changed by the member")


class DistributionIn(Schema):
    organisation_id: Id
    year: int = Field(..., ge=2000, le=2100)
    lineage: bool = Field(True, description="Also each predecessor (merged or split into it), and combined")
    period: Literal["year", "term"] = Field("year", description="The year's campaigns, or the term ending that year")


class GradeCount(Schema):
    grade: str
    label: str
    members: int


class CountsOut(Schema):
    organisation: OrgRef | None = Field(None, description="null for the combined counts")
    grades: list[GradeCount]
    decided: int
    pending: int = Field(..., description="Graded members without a decision yet")
    not_graded: dict[str, int] = Field(
        ..., description="Listed but not graded, by reason (exempt, suspended, transferred during the year)"
    )
    not_reviewed: int = Field(..., description="In the Party on the reference day without a review this year")
    not_reviewed_by_reason: dict[str, int] = Field(
        ..., description="Members not reviewed by reason: transferred (received during the year), new, other"
    )
    transferred: int = Field(..., description="Members transferred during the year (not graded or not reviewed)")
    total: int
    good_or_better: float | None = Field(..., description="Share of the decided graded good or excellent")


class DistributionOut(Schema):
    organisation: OrgRef
    year: int
    combined: CountsOut
    parts: list[CountsOut]


# --- Writing: open a campaign, the cell's proposals, the committee's decision and its correction ---------


class CampaignIn(Schema):
    organisation_id: Id = Field(..., description="The committee (or grassroots cell) whose subtree is reviewed")
    year: int = Field(..., ge=2000, le=2100, description="Year reviewed (for a term: its last year)")
    period: Literal["year", "term"] = Field("year", description="A year or a term, as rule review.periods allows")
    first_year: int | None = Field(None, ge=2000, le=2100, description="First year of the term")
    opened_on: dt.date = Field(..., description="The rules in force on this day apply; not in the future")
    self_until: dt.date
    cell_until: dt.date
    decide_until: dt.date
    document_number: Line = Field("", max_length=64, description="Number of the plan opening the review")


class ProposalIo(Schema):
    review_id: Id
    grade: Clean = Field(..., max_length=16, description="excellent, good, completed or not_completed")
    disciplined: bool = Field(False, description="Disciplined in the year (the discipline cap applies)")
    comments: Text = ""
    vote_id: Id | None = Field(None, description="With meeting_id: the closed vote of that meeting adopting it")


class ProposalsIn(Schema):
    cell_id: Id = Field(..., description="The cell proposing (the cell of the reviews at the opening)")
    proposed_on: dt.date | None = Field(None, description="Date of the cell's review meeting (without meeting_id)")
    meeting_id: Id | None = Field(
        None, description="The cell's review meeting (meetings module): each proposal then names its vote"
    )
    proposals: list[ProposalIo] = Field(..., min_length=1, max_length=500)


class DecisionIn(Schema):
    organisation_id: Id = Field(..., description="The grassroots organisation deciding its members' grades")
    document_number: Line = Field(..., max_length=64)
    document_date: dt.date
    changes: dict[Id, Clean] = Field(
        default_factory=dict, description="Review id → grade, where the committee grades otherwise than proposed"
    )


class DecisionOut(Schema):
    id: int
    campaign_id: int
    organisation: OrgRef
    document_number: str
    document_date: dt.date
    corrects_id: int | None
    reason: str
    reviews: int = Field(..., description="Reviews graded by this decision")


class CorrectionIn(Schema):
    grade: Clean = Field(..., max_length=16)
    document_number: Line = Field(..., max_length=64)
    document_date: dt.date
    reason: Text
