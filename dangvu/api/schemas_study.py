"""Schemas of the study, training and commitment endpoints (dangvu/api/routers/study.py). A quiz question is
given without its right answer."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from dangvu.api.schemas import OrgRef
from dangvu.api.types import Day, Id, Line, Text


class StudyQuestionOut(Schema):
    id: int
    text: str
    choices: list[str]


class StudyMaterialOut(Schema):
    id: int
    number: str
    title: str


class StudyFiguresOut(Schema):
    expected: int = Field(..., description="Members called to study (in the Party on the conference date)")
    studied: int = Field(..., description="Attended the conference or confirmed studying")
    attended: int
    confirmed: int
    rate: float | None = Field(None, description="Studied / expected in percent (null when nobody was called)")


class StudyOrgFiguresOut(Schema):
    organisation: OrgRef
    figures: StudyFiguresOut


class MyStudyOut(Schema):
    called: bool = Field(..., description="The caller is among the members called to study")
    attended: bool = False
    confirmed_on: dt.date | None = None
    quiz_score: int | None = None


class StudyCampaignOut(Schema):
    id: int
    title: str
    organisation: OrgRef
    resolution: StudyMaterialOut
    conference_date: dt.date
    ends_on: dt.date
    pass_mark: int


class StudyCampaignDetailOut(StudyCampaignOut):
    notes: str
    materials: list[StudyMaterialOut]
    questions: list[StudyQuestionOut]
    mine: MyStudyOut | None = Field(None, description="The caller's own study (a member)")
    participation: list[StudyOrgFiguresOut] = Field(..., description="Per organisation the caller may see")


class StudyQuestionIn(Schema):
    text: Line
    choices: list[Line] = Field(..., min_length=2, max_length=10)
    correct: int = Field(..., ge=0, le=9, description="Index of the right choice, from 0")


class StudyCampaignIn(Schema):
    organisation_id: Id
    resolution_id: Id
    title: Line
    conference_date: Day
    ends_on: Day
    material_ids: list[Id] = Field(default_factory=list, max_length=50)
    notes: Text = ""
    pass_mark: int = Field(80, ge=0, le=100)
    questions: list[StudyQuestionIn] = Field(default_factory=list, max_length=50)


class StudyAnswerIn(Schema):
    question_id: Id
    choice: int = Field(..., ge=0, le=9)


class StudyConfirmIn(Schema):
    answers: list[StudyAnswerIn] = Field(default_factory=list, max_length=50)
    reflection: Text


class StudyParticipationOut(Schema):
    organisation: OrgRef
    start: dt.date
    end: dt.date
    combined: StudyFiguresOut
    parts: list[StudyOrgFiguresOut]


class StudyStatsIn(Schema):
    organisation_id: Id
    year: int | None = Field(None, ge=2000, le=2100)
    term: str | None = Field(None, max_length=16, description="A term code (2020-2025): the whole term")
    lineage: bool = True


class StudyCourseOut(Schema):
    id: int
    title: str
    kind: str = Field(..., description="awareness, new_members, theory or refresher")
    theory_level: str = Field(
        ..., description="For a political theory course: elementary, intermediate, advanced, bachelor"
    )
    organisation: OrgRef
    starts_on: dt.date
    ends_on: dt.date


class StudyEnrolmentOut(Schema):
    id: int
    course: StudyCourseOut
    enrolled_on: dt.date
    completed_on: dt.date | None
    certificate_number: str
    withdrawn_on: dt.date | None


class StudyCommitmentOut(Schema):
    year: int
    content: str
    made_on: dt.date
    review: str
    result: str
    reviewed_on: dt.date | None


class StudyCountsOut(Schema):
    organisation: OrgRef
    start: dt.date
    end: dt.date
    completed: dict[str, int] = Field(..., description="Courses completed by kind")
    models_collective: int
    models_individual: int
    commendations: int
    commitments: int
