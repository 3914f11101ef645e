"""The one year-or-term lookup (dangvu.api.periods) behind every statistics endpoint: a term by its code gives
its first and last days and wins over a year, a year its calendar days, an unknown term is a 404, neither a
422 — the same on the discipline, letters and inspection statistics."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.orgs.models import Term

pytestmark = pytest.mark.django_db
PATHS = ("/discipline/statistics", "/letters/statistics", "/inspection/coverage", "/inspection/remediation-on-time")


def test_year_or_term_on_every_statistics_endpoint(api, tree, cast):
    Term.objects.create(code="2025-2030", start=dt.date(2025, 7, 1), end=dt.date(2030, 6, 30))
    client = api(cast.admin)  # reads all three modules' statistics
    for path in PATHS:
        term = client.get(path, organisation_id=tree.a.pk, term="2025-2030", year=2024)
        assert term.status_code == 200, path
        assert (term.json()["start"], term.json()["end"]) == ("2025-07-01", "2030-06-30"), path
        year = client.get(path, organisation_id=tree.a.pk, year=2024).json()
        assert (year["start"], year["end"]) == ("2024-01-01", "2024-12-31"), path
        assert client.get(path, organisation_id=tree.a.pk, term="1990-1995").status_code == 404, path
        neither = client.get(path, organisation_id=tree.a.pk)
        assert neither.status_code == 422 and neither.json()["detail"] == "Chọn năm hoặc nhiệm kỳ.", path
