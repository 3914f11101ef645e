"""Issue 16 items 4 and 9 for meeting documents: uploads are checked by content (HTML or SVG named .pdf,
random bytes named .docx, a workbook that expands to 100 MB are refused and nothing is stored), only a
checked PDF is ever served inline, and the reading view is bounded whatever the file holds."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from dangvu.meetings.models import DocumentVersion, MeetingDocument
from dangvu.meetings.tests import test_documents as base
from dangvu.meetings.tests.test_views import as_user, messages_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("old_meetings")]  # records a past meeting
DOCX_TYPE, XLSX_TYPE, TINY_PDF, add, docx_bytes = (
    base.DOCX_TYPE,
    base.XLSX_TYPE,
    base.TINY_PDF,
    base.add,
    base.docx_bytes,
)
media, world = base.media, base.world  # the fixtures of the documents tests


def _bomb_xlsx() -> bytes:
    """A real workbook whose one cell holds 12 MB of the same letter: about 20 KB packed."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "Tài liệu"
    wb.active["B2"] = "A" * 32_000  # the longest cell Excel itself could hold, roughly
    out = io.BytesIO()
    wb.save(out)
    # Swap the cell's text for a 12 MB one (openpyxl refuses to write more than Excel allows).
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, data.replace(b"A" * 32_000, b"A" * (12 << 20)))
    return result.getvalue()


HOSTILE = [
    ("bao-cao.pdf", b"<!doctype html><html><script>alert(document.cookie)</script></html>", "application/pdf"),
    ("logo.pdf", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "application/pdf"),
    ("du-thao.docx", bytes(range(256)) * 40, DOCX_TYPE),
    ("bang.xlsx", docx_bytes("a Word file named .xlsx"), XLSX_TYPE),
]


@pytest.mark.parametrize(("name", "content", "content_type"), HOSTILE)
def test_hostile_uploads_are_refused_and_nothing_is_stored(client, cast, world, name, content, content_type):
    response = add(client, cast.secretary, world["meeting"], name, content, content_type)
    assert response.status_code == 302 and messages_of(response)
    assert not MeetingDocument.objects.exists() and not DocumentVersion.objects.exists()


def test_a_small_workbook_that_expands_to_megabytes_is_refused(client, cast, world):
    bomb = _bomb_xlsx()
    assert len(bomb) < 200_000
    response = add(client, cast.secretary, world["meeting"], "bang.xlsx", bomb, XLSX_TYPE)
    assert response.status_code == 302 and any("MB" in m for m in messages_of(response))
    assert not DocumentVersion.objects.exists()


def test_a_stored_file_that_is_not_really_a_pdf_downloads(client, cast, world):
    """A version stored before the content check (content type claimed PDF) is never served inline."""
    add(client, cast.secretary, world["meeting"], "that.pdf", TINY_PDF, "application/pdf")
    version = DocumentVersion.objects.get()
    version.file.save("old.pdf", ContentFile(b"<html><script>alert(1)</script></html>"), save=True)
    file = as_user(client, cast.member).get(reverse("meetings:document", args=[version.document_id]))
    assert file["Content-Disposition"].startswith("attachment")
    assert file["X-Frame-Options"] == "DENY"


def test_the_reading_view_is_bounded(client, cast, world):
    huge = "Đoạn rất dài. " * 40_000  # 560,000 characters in one paragraph
    add(client, cast.secretary, world["meeting"], "dai.docx", docx_bytes(huge, "Đoạn hai."), DOCX_TYPE)
    document = MeetingDocument.objects.get()
    page = as_user(client, cast.member).get(reverse("meetings:document_preview", args=[document.pk]))
    assert page.status_code == 200 and "Đoạn hai." in page.content.decode()
    assert len(page.content) < 200_000
