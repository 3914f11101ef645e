"""dangvu.lib.uploads (issue 16 items 4 and 9): content checks of uploads, package limits, excerpts."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.lib.errors import DomainError
from dangvu.lib.uploads import DOCX, PDF, XLSX, check_package, check_upload, excerpt, is_pdf

DOCUMENTS = {".pdf", ".docx", ".xlsx"}


def package(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def real_docx() -> bytes:
    from docx import Document

    out = io.BytesIO()
    doc = Document()
    doc.add_paragraph("Dự thảo nghị quyết")
    doc.save(out)
    return out.getvalue()


def real_xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    wb = Workbook()
    wb.active.append(["Họ và tên", "Nguyễn Văn An"])
    wb.save(out)
    return out.getvalue()


def test_genuine_files_pass():
    assert check_upload(SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%%EOF\n"), DOCUMENTS) == PDF
    assert check_upload(SimpleUploadedFile("a.docx", real_docx()), DOCUMENTS) == DOCX
    assert check_upload(SimpleUploadedFile("A.XLSX", real_xlsx()), DOCUMENTS) == XLSX
    assert check_upload(SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20), {".png"})


HOSTILE = [
    ("html.pdf", b"<!doctype html><script>alert(1)</script>"),
    ("image.pdf", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("pdf-later.pdf", b"   %PDF-1.4 hidden after whitespace"),
    ("random.docx", bytes(range(256)) * 8),
    ("random.xlsx", b"PK\x03\x04" + bytes(range(256)) * 8),
    ("xlsx-as.docx", real_xlsx()),
    ("docx-as.xlsx", real_docx()),
    ("zip.docx", package({"readme.txt": b"hello"})),
    (
        "macro.docx",
        package({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>", "word/vbaProject.bin": b"x"}),
    ),
    ("empty.pdf", b""),
    ("program.exe", b"MZ"),
    ("no-extension", b"%PDF-1.4"),
]


@pytest.mark.parametrize(("name", "content"), HOSTILE)
def test_hostile_uploads_are_refused(name, content):
    with pytest.raises(DomainError):
        check_upload(SimpleUploadedFile(name, content), DOCUMENTS)


def test_a_small_package_that_expands_enormously_is_refused_before_parsing():
    bomb = package(
        {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>", "xl/sharedStrings.xml": b"A" * (12 << 20)}
    )
    assert len(bomb) < 100_000
    with pytest.raises(DomainError, match="MB"):
        check_package(bomb, "xl/workbook.xml")
    # The absolute limit applies too, whatever the ratio.
    with pytest.raises(DomainError):
        check_package(real_xlsx(), "xl/workbook.xml", max_bytes=1000)
    check_package(real_xlsx(), "xl/workbook.xml")  # an ordinary workbook passes


def test_is_pdf_keeps_the_position():
    handle = io.BytesIO(b"%PDF-1.4 ...")
    assert is_pdf(handle) and handle.tell() == 0
    assert not is_pdf(io.BytesIO(b"<html>"))


def test_excerpt_is_bounded_and_says_the_length():
    assert excerpt("ngắn") == "ngắn" and excerpt(None) == ""
    long = excerpt("x" * 104_857_600)
    assert len(long) < 120 and "104" in long
