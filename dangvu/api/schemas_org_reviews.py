"""Schemas of the endpoints on the reviews of party organisations (Mẫu 01; dangvu/api/routers/reviews_orgs.py)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from dangvu.api.schemas import OrgRef
from dangvu.api.schemas_reviews import TaskIo
from dangvu.api.types import Clean, Id, Line, Text


class OrgReviewFilterIn(Schema):
    campaign_id: Id | None = Field(None, description="Reviews of this campaign")
    organisation_id: Id | None = Field(None, description="Reviews of this organisation (its grade per year)")
    year: int | None = Field(None, ge=2000, le=2100, description="Year reviewed (for a term: its last year)")


class OrgDecisionOut(Schema):
    id: int
    org_review_id: int = Field(..., alias="review_id")
    organisation: OrgRef = Field(..., description="The deciding committee (directly above the organisation)")
    grade: str
    document_number: str
    document_date: dt.date
    corrects_id: int | None = Field(..., description="The decision this one corrects")
    reason: str = Field(..., description="Why the earlier decision is corrected ('' for a first decision)")


class OrgReviewOut(Schema):
    id: int
    campaign_id: int
    year: int = Field(..., alias="campaign.year")
    period: str = Field(..., alias="campaign.period", description="year, or term")
    organisation: OrgRef
    state: str
    points: float | None
    self_grade: str = Field(..., description="Grade the organisation's points and conditions give")
    grade: str = Field(..., description="Grade decided by the committee above ('' until decided)")
    document_number: str = Field(..., description="Number of the decision in force")
    document_date: dt.date | None


class OrgReviewDetailOut(OrgReviewOut):
    scores: dict[str, str]
    tasks: list[TaskIo]
    leadership_disciplined: bool
    shortcomings_remedied: bool
    shortcomings: str
    reasons: list[str] = Field(..., description="Why the points and conditions give no better grade")
    decisions: list[OrgDecisionOut] = Field(..., description="The decision and its corrections, oldest first")


class OrgAssessmentIn(Schema):
    scores: dict[Line, Line] = Field(..., description="Points per criteria group code of rule review.org_forms")
    tasks: list[TaskIo] = Field(default_factory=list, max_length=60)
    leadership_disciplined: bool = Field(
        False, description="A unit under it or a member of its leadership disciplined in the year"
    )
    shortcomings_remedied: bool = Field(True, description="The shortcomings pointed out earlier are all remedied")
    shortcomings: Text = ""
    submit: bool = Field(False, description="Submit: the assessment can no longer be changed")


class OrgDecisionIn(Schema):
    grade: Clean = Field(..., max_length=16, description="excellent, good, completed or not_completed")
    document_number: Line = Field(..., max_length=64)
    document_date: dt.date


class OrgCorrectionIn(OrgDecisionIn):
    reason: Text


class OrgGradeCount(Schema):
    grade: str
    label: str
    organisations: int


class OrgCountsOut(Schema):
    organisation: OrgRef | None = Field(None, description="null for the combined counts")
    grades: list[OrgGradeCount]
    decided: int
    pending: int = Field(..., description="Organisations reviewed without a decision yet")
    total: int


class OrgDistributionOut(Schema):
    organisation: OrgRef
    year: int
    combined: OrgCountsOut
    parts: list[OrgCountsOut]
