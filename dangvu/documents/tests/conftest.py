"""A candidate walked through the admission file with the real services (dangvu.admission.services),
and helpers to read generated DOCX files back."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from docx import Document
from docx.document import Document as DocxDocument

from dangvu import testing
from dangvu.admission import services
from dangvu.admission.models import Candidate, CandidateStep, Stage
from dangvu.orgs.models import Organisation

D = dt.date
CANDIDATE = {
    "full_name": "Võ Thị Hồng Nhung",
    "sex": "F",
    "birth_date": D(1998, 4, 5),
    "birth_place": "Cần Thơ",
    "home_town": "xã Phong Điền, thành phố Cần Thơ",
    "occupation": "Chuyên viên",
    "citizen_id": "092198001234",
}


@dataclass
class Walk:
    candidate: Candidate
    steps: dict[str, CandidateStep]

    def step(self, stage: str) -> CandidateStep:
        return self.steps[stage]


def walk(
    cell: Organisation,
    introducers: list,
    actor,
    *,
    until: str = Stage.OFFICIAL_DECISION,
    official_votes: int = 3,
    fields: dict | None = None,
) -> Walk:
    """Record every step up to `until` (dates in 2024–2025, in order)."""
    candidate = services.create_candidate({**CANDIDATE, **(fields or {})}, cell, actor, date=D(2024, 1, 10))
    plan = [
        (Stage.COURSE, D(2024, 2, 1), {"document_number": "45-CN/TTCT"}),
        (Stage.APPLICATION, D(2024, 3, 1), {}),
        (Stage.VERIFICATION, D(2024, 3, 20), {}),
        (Stage.INTRODUCTION, D(2024, 4, 1), {"introducers": [(m, D(2020, 1, 1)) for m in introducers]}),
        (Stage.CELL_RESOLUTION, D(2024, 4, 10), {"votes_for": 2, "votes_against": 1, "document_number": "12-NQ/CB"}),
        (
            Stage.COMMITTEE_RESOLUTION,
            D(2024, 4, 20),
            {"votes_for": 7, "votes_eligible": 9, "document_number": "34-NQ/ĐU"},
        ),
        (
            Stage.DECISION,
            D(2024, 5, 6),
            {"document_number": "56-QĐ/ĐU", "issuer": "Đảng ủy các cơ quan A", "document_date": D(2024, 5, 6)},
        ),
        (Stage.CEREMONY, D(2024, 5, 20), {}),
        (Stage.TRAINING, D(2024, 7, 1), {"document_number": "78-CN/TTCT"}),
        (Stage.OFFICIAL_RESOLUTION, D(2025, 5, 26), {"votes_for": official_votes, "document_number": "20-NQ/CB"}),
        (Stage.OFFICIAL_DECISION, D(2025, 6, 2), {"document_number": "90-QĐ/ĐU"}),
    ]
    applicable = services.applicable_stages(candidate)
    for stage, day, data in plan:
        if stage not in applicable:
            continue
        services.record_step(candidate, stage, actor, date=day, **data)
        if stage == until:
            break
    candidate.refresh_from_db()
    steps = {s.stage: s for s in candidate.steps.filter(annulled_at__isnull=True)}
    return Walk(candidate, steps)


@pytest.fixture
def c1_officials(tree, people):
    """C1 has three official members (An, Bình and Cường): the 2/3 of the cell's vote is 2."""
    return [people["an"], people["binh"], testing.member(tree.c1, "Lê Văn Cường")]


@pytest.fixture
def walked(tree, people, cast, c1_officials):
    return walk(tree.c1, [people["an"], people["binh"]], cast.office)


def open_docx(content: bytes) -> DocxDocument:
    return Document(io.BytesIO(content))


def body_text(doc: DocxDocument) -> str:
    """Every paragraph of the body and of its tables, one per line."""
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)
