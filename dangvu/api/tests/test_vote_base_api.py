"""The admission API takes the exempt members who attended and voted (issue 8 item 1): they count in the
cell resolution's base; an id the caller may not see is a 404 and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.admission.models import Stage
from dangvu.members.tests.test_vote_base import DAY, cell, cell_candidate  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_cell_resolution_with_an_exempt_voter(api, cast, tree, cell, people):  # noqa: F811
    fresh = cell_candidate(tree)
    payload = {
        "stage": Stage.CELL_RESOLUTION,
        "date": DAY.isoformat(),
        "votes_for": 4,
        "document_number": "5-NQ/CB",
        "exempt_attending": [cell["exempt"].pk],
    }
    denied = api(cast.office).post(f"/candidates/{fresh.pk}/steps", {**payload, "exempt_attending": [people["em"].pk]})
    assert denied.status_code == 404  # a member of committee B: outside the office's scope
    assert not fresh.steps.filter(stage=Stage.CELL_RESOLUTION).exists()
    response = api(cast.office).post(f"/candidates/{fresh.pk}/steps", payload)
    assert response.status_code == 201, response.content
    step = response.json()["steps"][-1]
    assert (step["stage"], step["votes_eligible"]) == (Stage.CELL_RESOLUTION, 6)
    assert dt.date.fromisoformat(step["date"]) == DAY
