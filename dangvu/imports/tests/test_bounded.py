"""Issue 16 item 4: small files that expand without limit. The decompressed size and the cell length are
limited while reading (refused with a clear message), and only a bounded excerpt of a bad value is stored,
shown and exported."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation

from dangvu.imports import readers
from dangvu.imports.models import JobStatus
from dangvu.imports.tests import factories as f
from dangvu.imports.tests.test_pages import upload  # runs the queued check as the worker would
from dangvu.lib.errors import DomainError

pytestmark = pytest.mark.django_db
INDEX = reverse("imports:index")


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def _inflate(xlsx: bytes, marker: str, size: int) -> bytes:
    """The workbook with the cell text `marker` replaced by `size` characters (openpyxl will not write more
    than Excel allows, an attacker's zip tool will)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info).replace(marker.encode(), b"X" * size))
    return out.getvalue()


def test_a_small_workbook_with_a_100_mb_cell_is_refused_before_reading(client, cast, tree):
    data = _inflate(f.xlsx(f.rows(2, **{"Nơi sinh": "BOMB"})), "BOMB", 100 * 1024 * 1024)
    assert len(data) < 500_000
    job = upload(client, cast.office, data, "bom.xlsx", tree.a)
    assert job.status == JobStatus.FAILED and "MB" in job.message and job.errors == []
    page = client.get(reverse("imports:detail", args=[job.pk]))
    assert len(page.content) < 100_000


def test_a_cell_longer_than_excel_allows_is_refused_with_its_address(settings):
    settings.DANGVU_IMPORT_MAX_UNPACKED_BYTES = 600 * 1024 * 1024
    data = _inflate(f.xlsx(f.rows(2, **{"Nơi sinh": "LONG"})), "LONG", readers.MAX_CELL_CHARS + 1)
    with pytest.raises(DomainError, match=r"Cell E2 holds 32,768 characters"):
        list(readers.read_upload(data, "dai.xlsx"))
    csv = f.csv_bytes(f.rows(1, **{"Nơi sinh": "y" * (readers.MAX_CELL_CHARS + 1)}), nfd=False)
    with pytest.raises(DomainError, match="E2"):
        list(readers.read_upload(csv, "dai.csv"))
    at_limit = _inflate(f.xlsx(f.rows(1, **{"Nơi sinh": "EDGE"})), "EDGE", readers.MAX_CELL_CHARS)
    assert len(list(readers.read_upload(at_limit, "vua.xlsx"))) == 1  # the limit itself is read


def test_a_bad_value_is_stored_and_shown_as_a_bounded_excerpt(client, cast, tree):
    records = f.rows(2)
    records[1]["Ngày sinh*"] = "9" * 30_000
    job = upload(client, cast.office, f.csv_bytes(records), "sai.csv", tree.a)
    assert job.status == JobStatus.FAILED and job.error_count == 1
    [[row, column, value, message]] = job.errors
    assert row == 3 and column == "Ngày sinh*" and len(value) < 120 and re.search(r"30[.,]000", value)
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "9" * 200 not in page
    report = client.get(reverse("imports:errors_csv", args=[job.pk])).content.decode("utf-8-sig")
    assert len(report) < 2_000
