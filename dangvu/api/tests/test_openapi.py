"""The OpenAPI schema is pinned by dangvu/api/openapi.snapshot.json so that API changes are deliberate.

After an intended change of the API, refresh the snapshot and review its diff with the code:

    UPDATE_OPENAPI_SNAPSHOT=1 .venv/bin/pytest dangvu/api/tests/test_openapi.py

With UPDATE_OPENAPI_SNAPSHOT=1 the test rewrites the file (and still passes); without it, any difference
between the served schema and the file fails the test.
"""

import json
import os
from pathlib import Path

import pytest
from django.utils import translation

SNAPSHOT = Path(__file__).resolve().parent.parent / "openapi.snapshot.json"


def render(schema: dict) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.mark.django_db
def test_openapi_schema_matches_the_snapshot(client):
    with translation.override("en"):
        response = client.get("/api/v1/openapi.json", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    current = render(response.json())
    if os.environ.get("UPDATE_OPENAPI_SNAPSHOT") == "1":
        SNAPSHOT.write_text(current, encoding="utf-8")
    assert SNAPSHOT.exists(), "No snapshot: run with UPDATE_OPENAPI_SNAPSHOT=1 to create it."
    assert current == SNAPSHOT.read_text(encoding="utf-8"), (
        "The API schema changed. If intended, refresh with UPDATE_OPENAPI_SNAPSHOT=1 (see the module docstring)."
    )
