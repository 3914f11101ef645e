"""API schemas of inspection and supervision (issue 12 item 1), read only."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from dangvu.api.schemas import OrgRef
from dangvu.api.types import Id


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


class ActivityDetailOut(ActivityOut):
    team: str
    conclusion: str
    conclusion_number: str
    subjects: list[SubjectOut]
    remediations: list[RemediationOut]


class CoverageIn(Schema):
    organisation_id: Id
    year: int = Field(..., ge=2000, le=2100)
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
