"""API schemas of inspection and supervision (issue 12 item 1): what is read and what is written."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from dangvu.api.schemas import OrgRef
from dangvu.api.types import Id, Line, Text


class ActivityOut(Schema):
    id: int
    organisation: OrgRef
    organ: str = Field(..., description="committee or inspection (the inspection committee)")
    kind: str = Field(..., description="inspection or supervision")
    mode: str = Field(..., description="regular, thematic or signs (on signs of violation; inspections only)")
    title: str
    start: dt.date
    end: dt.date
    programme_id: int | None
    decision_number: str
    decided_on: dt.date | None
    concluded_on: dt.date | None


class SubjectOut(Schema):
    organisation: OrgRef
    member_id: int | None
    member_name: str | None


class RemediationOut(Schema):
    id: int
    description: str
    owner: str
    deadline: dt.date
    closed_on: dt.date | None
    evidence: str


class ActivityFileOut(Schema):
    id: int
    kind: str = Field(
        ..., description="decision, plan, subject_report, team_report, conclusion (signed), evidence or other"
    )
    title: str
    filename: str
    size: int = Field(..., description="Bytes")
    content_type: str
    uploaded_at: dt.datetime
    url: str = Field(..., description="Where the file is read: GET /inspection/files/{id}")

    @staticmethod
    def resolve_url(obj) -> str:
        return f"/api/v1/inspection/files/{obj.id}"


class ActivityDetailOut(ActivityOut):
    team: str
    conclusion: str
    conclusion_number: str
    subjects: list[SubjectOut]
    remediations: list[RemediationOut]
    files: list[ActivityFileOut] = Field(..., description="Its documents (withdrawn ones are not listed)")


class CoverageIn(Schema):
    organisation_id: Id
    year: int | None = Field(None, ge=2000, le=2100, description="A calendar year (required without a term)")
    term: str | None = Field(None, max_length=16, description="A term code (2020-2025): the whole term")
    lineage: bool = Field(True, description="Also each predecessor (merged or split into it), and combined")


class CoverageCountOut(Schema):
    organisation: OrgRef | None
    grassroots: int = Field(..., description="Grassroots organisations counted in this part")
    covered: int = Field(..., description="Of which inspected or supervised in the period")
    share: float | None = Field(..., description="Covered share in percent")


class CoverageOut(Schema):
    organisation: OrgRef
    start: dt.date
    end: dt.date
    combined: CoverageCountOut
    parts: list[CoverageCountOut]


OrganCode = Literal["committee", "inspection"]


class ProgrammeOut(Schema):
    id: int
    organisation: OrgRef
    organ: str
    year: int
    title: str
    document_number: str
    approved_on: dt.date


class ProgrammeIn(Schema):
    organisation_id: Id
    organ: OrganCode = Field(..., description="committee (cấp ủy) or inspection (ủy ban kiểm tra)")
    year: int = Field(..., ge=2000, le=2100)
    title: Line
    document_number: str = Field("", max_length=64)
    approved_on: dt.date


class SubjectsIn(Schema):
    organisation_ids: list[Id] = Field([], max_length=500, description="Organisations under the conducting one")
    member_ids: list[Id] = Field([], max_length=500, description="Members under it (recorded with their cell)")


class ActivityIn(SubjectsIn):
    organisation_id: Id = Field(..., description="The organisation conducting it")
    organ: OrganCode
    kind: Literal["inspection", "supervision"]
    mode: Literal["regular", "thematic", "signs"] = Field(
        ..., description="signs (on signs of violation) for inspections only, which may be outside a programme"
    )
    programme_id: Id | None = None
    title: Line
    decision_number: str = Field("", max_length=64)
    decided_on: dt.date | None = None
    start: dt.date
    end: dt.date
    team: Text = ""


class TeamIn(Schema):
    team: Text = Field(..., description="The team, one person a line")


class ConclusionIn(Schema):
    concluded_on: dt.date
    conclusion: Text
    conclusion_number: str = Field("", max_length=64)


class RemediationIn(Schema):
    description: Text
    owner: Line
    deadline: dt.date


class ClosureIn(Schema):
    closed_on: dt.date
    evidence: Text


class SuggestionIssueOut(Schema):
    id: int
    text: str
    deadline: dt.date
    reported_on: dt.date | None = Field(..., description="When the addressee reported what was done")
    report: str = Field(..., description="What the addressee reports was done")
    closed_on: dt.date | None
    evidence: str


class IssueReportIn(Schema):
    reported_on: dt.date
    report: Text


class SuggestionOut(Schema):
    id: int
    sender: OrgRef
    organisation: OrgRef = Field(..., description="The collective addressed, or the member's cell")
    member_id: int | None
    member_name: str | None
    year: int
    sent_on: dt.date
    document_number: str
    issues: list[SuggestionIssueOut]

    @staticmethod
    def resolve_member_name(obj) -> str | None:
        return obj.member.full_name if obj.member_id else None

    @staticmethod
    def resolve_issues(obj) -> list:
        return list(obj.issues.all())


class IssueIn(Schema):
    text: Text
    deadline: dt.date


class SuggestionIn(Schema):
    sender_id: Id = Field(..., description="The sending committee's organisation")
    organisation_id: Id | None = Field(None, description="The collective addressed (or member_id)")
    member_id: Id | None = Field(None, description="The member addressed (or organisation_id)")
    year: int = Field(..., ge=2000, le=2100, description="The year reviewed")
    sent_on: dt.date
    document_number: str = Field("", max_length=64)
    issues: list[IssueIn] = Field(..., min_length=1, max_length=50)


class RemediationCountOut(Schema):
    organisation: OrgRef | None
    due: int = Field(..., description="Remediation items with a deadline in the period, counted in this part")
    on_time: int = Field(..., description="Of which closed on or before the deadline")
    late: int = Field(..., description="Of which closed after the deadline")
    overdue: int = Field(..., description="Of which open with the deadline passed")
    share: float | None = Field(..., description="Share done on time in percent")


class RemediationStatsOut(Schema):
    organisation: OrgRef
    start: dt.date
    end: dt.date
    combined: RemediationCountOut
    parts: list[RemediationCountOut]
