"""Schemas of resolution targets (dangvu/api/routers/targets.py): resolutions with their targets, a target's
results per year, over the term to date and projected to the end of the term, the indicator registry, the
records behind a figure, the official reports on a resolution (asked for, built in the background, their
state and progress, their files), and the inputs to add a target and enter a result by hand.

Figures are JSON numbers: counts whole, percentages and rates rounded to 2 places (`value`), the percentage
achieved to 1 place (`percent`, null when beyond measure: a ceiling held at 0). The inputs `threshold` and
`value` are decimals bounded like their columns (0 to 999,999,999 with at most 3 decimal places)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import WithJsonSchema

from dangvu.api.schemas import OrgRef
from dangvu.api.types import Clean, Id, Text
from dangvu.targets.reports import get_progress
from dangvu.targets.services import MAX_THRESHOLD

KindCode = Literal["floor", "ceiling", "count", "rate", "qualitative"]
PeriodCode = Literal["year", "term"]
SubjectCode = Literal["members", "grassroots", "cells", "staff", "other"]
SourceCode = Literal["indicator", "manual"]

# A decimal figure of a target (the columns are NUMERIC(12, 3)): a JSON number, or its text ("98.5").
Figure = Annotated[
    Decimal,
    Field(ge=0, le=MAX_THRESHOLD, max_digits=12, decimal_places=3),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": int(MAX_THRESHOLD)},
                {"type": "string", "maxLength": 13, "pattern": r"^\d{1,9}(\.\d{1,3})?$"},
            ]
        }
    ),
]


class TargetOut(Schema):
    id: int
    resolution_id: int
    position: int = Field(..., description="The target's number in the resolution")
    text: str = Field(..., description="As the resolution words it")
    kind: str = Field(..., description="floor, ceiling, count, rate or qualitative")
    threshold: float | None = Field(..., description="The line (null for a qualitative target)")
    strict: bool = Field(..., description="Strictly beyond the line (trên / dưới)")
    period: str = Field(..., description="year (judged each year) or term (over the term)")
    subject: str
    scope: OrgRef = Field(..., description="The organisation whose subtree the target covers")
    source: str = Field(..., description="indicator (computed from the records) or manual (entered by hand)")
    indicator: str = Field(..., description="The indicator's key (empty for a manual target)")

    @staticmethod
    def resolve_threshold(obj) -> float | None:
        return None if obj.threshold is None else float(obj.threshold)


class ResolutionOut(Schema):
    id: int
    number: str = Field(..., description="In the Party format, e.g. 05-NQ/ĐU")
    title: str
    date: dt.date
    organisation: OrgRef
    term: str = Field(..., description="The term's code, e.g. 2025-2030")
    term_start: dt.date
    term_end: dt.date
    targets: list[TargetOut]

    @staticmethod
    def resolve_term(obj) -> str:
        return obj.term.code

    @staticmethod
    def resolve_term_start(obj) -> dt.date:
        return obj.term.start

    @staticmethod
    def resolve_term_end(obj) -> dt.date:
        return obj.term.end

    @staticmethod
    def resolve_targets(obj) -> list:
        return list(obj.targets.all())


class ResolutionFilterIn(Schema):
    organisation_id: Id | None = Field(None, description="Resolutions issued by this organisation")


class PartOut(Schema):
    organisation: OrgRef = Field(..., description="The organisation, or one of its predecessors")
    numerator: float
    denominator: float | None = Field(..., description="null for a count")
    value: float | None


class ManualOut(Schema):
    id: int
    year: int | None = Field(..., description="null: the value for the term")
    value: float
    evidence: str
    document_id: int | None
    recorded_by: str
    recorded_at: dt.datetime

    @staticmethod
    def resolve_value(obj) -> float:
        return float(obj.value)

    @staticmethod
    def resolve_recorded_by(obj) -> str:
        user = obj.recorded_by
        return user.get_full_name() or user.get_username()


class ResultOut(Schema):
    label: str = Field(..., description='The period: a year ("2026") or the term\'s code ("2025-2030")')
    start: dt.date
    end: dt.date = Field(..., description="The last day counted (today for the period under way)")
    value: float | None = Field(..., description="The result (null: nothing yet, or no denominator)")
    percent: float | None = Field(..., description="Percentage achieved (null: no verdict, or beyond measure)")
    verdict: str = Field(..., description="exceeded, met_and_exceeded, met, nearly, not_met, or empty")
    verdict_label: str
    parts: list[PartOut] = Field(..., description="Computed: the organisation and each predecessor")
    manual: ManualOut | None = Field(..., description="Entered by hand: the value counted")


class ProjectionOut(Schema):
    elapsed_days: int = Field(..., description="Days of the term to today (both counted)")
    term_days: int
    value: float | None = Field(
        ..., description="At the end of the term (a term target) or over a year (a yearly one), at the pace so far"
    )
    percent: float | None
    verdict: str
    verdict_label: str


class ProgressOut(Schema):
    target: TargetOut
    unit: str = Field(..., description="count, percent or rate (a manual target: empty)")
    years: list[ResultOut]
    to_date: ResultOut | None = Field(..., description="Over the term to date")
    projection: ProjectionOut | None = Field(..., description="Null before the term starts")


class IndicatorOut(Schema):
    key: str
    label: str
    unit: str = Field(..., description="count, percent or rate")
    subject: str


class RecordOut(Schema):
    part: OrgRef = Field(..., description="The part (organisation or predecessor) the record was counted for")
    what: str
    date: dt.date | None
    organisation: str
    detail: str
    url: str = Field(..., description="The record's page, when it has one")


class ProvenanceIn(Schema):
    part: Id | None = Field(None, description="One part's records (an organisation id), else all parts")
    which: Literal["records", "base"] = Field(
        "records", description="records: the numerator's; base: the denominator's (when it counts records)"
    )


class ProvenanceOut(Schema):
    target_id: int
    label: str
    start: dt.date
    end: dt.date
    which: str = Field(..., description="records (the numerator's) or base (the denominator's)")
    figure: int | None = Field(..., description="The number the list holds (equals count)")
    count: int
    items: list[RecordOut]


class TargetIn(Schema):
    text: Text = Field(..., description="The target as the resolution words it")
    kind: KindCode
    period: PeriodCode
    subject: SubjectCode
    source: SourceCode
    threshold: Figure | None = Field(None, description="The line (none for a qualitative target)")
    strict: bool = False
    indicator: Clean = Field("", max_length=64, description="The indicator's key (GET /targets/indicators)")
    scope_id: Id | None = Field(None, description="Default: the resolution's organisation")
    position: int | None = Field(None, ge=1, le=999, description="Default: the next number")


class ValueIn(Schema):
    year: int | None = Field(None, ge=1900, le=2100, description="A year of the term (yearly target), else none")
    value: Figure
    evidence: Text = Field(..., description="Where the figure comes from")
    document_id: Id | None = Field(None, description="The registered report giving the figure")


class ReportIn(Schema):
    kind: Literal["targets", "members"] = Field(
        ..., description="targets: the appendix of the targets' results; members: the statistical summary of members"
    )
    label: Clean = Field(
        ..., max_length=16, description="The period: the term's code (the term to date) or one of its years"
    )


class ReportOut(Schema):
    id: int
    resolution_id: int
    number: str = Field(..., description="The report's number in the documents register, e.g. 07-BC/ĐU")
    document_id: int = Field(..., description="The report's entry in the documents register")
    kind: str = Field(..., description="targets or members")
    label: str = Field(..., description="The period: the term's code or a year")
    start: dt.date
    end: dt.date
    state: str = Field(..., description="queued, running, done or failed")
    progress: int = Field(..., description="Percent of the build done (100 when built)")
    message: str = Field(..., description="Why the build failed (empty otherwise)")
    job_id: str = Field(..., description="The background task of the latest build")
    builds: int = Field(..., description="How many times the report was built")
    created_by: str
    created_at: dt.datetime
    built_at: dt.datetime | None
    files: list[str] = Field(..., description="The formats ready to download: docx, xlsx")

    @staticmethod
    def resolve_number(obj) -> str:
        return obj.document.number

    @staticmethod
    def resolve_created_by(obj) -> str:
        user = obj.created_by
        return user.get_full_name() or user.get_username()

    @staticmethod
    def resolve_progress(obj) -> int:
        return get_progress(obj)

    @staticmethod
    def resolve_files(obj) -> list[str]:
        return [fmt for fmt in ("docx", "xlsx") if getattr(obj, fmt)]
