"""Uploads are checked by their content, not by their name (issue 16 items 4 and 9).

- `check_upload(upload, allowed)`: the file's bytes must be what its extension claims: a PDF starts with
  `%PDF-`; a DOCX or XLSX is a ZIP package with its content-types part and its main part
  (`word/document.xml`, `xl/workbook.xml`), without macros, within the package limits below; a JPEG or PNG
  starts with its signature. HTML or SVG named `.pdf`, or random bytes named `.docx`, are refused.
- `check_package(data)`: a ZIP package (DOCX, XLSX) whose parts decompress to at most `max_bytes` in total
  and at most `MAX_RATIO` times the package's size (a 107 KB workbook that expands to 100 MB is refused
  before any parser sees it). The sizes are counted while decompressing, not taken from the (forgeable)
  directory.
- `is_pdf(handle)`: whether a stored file really is a PDF; only such files are ever served inline.
- `excerpt(value)`: a bounded excerpt of a bad value for error reports and previews.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dangvu.lib.errors import DomainError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JPEG = "image/jpeg"
PNG = "image/png"
CONTENT_TYPES = {".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG}
_MAIN_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}
_LABEL = {PDF: "PDF", DOCX: "DOCX", XLSX: "XLSX", JPEG: "JPEG", PNG: "PNG"}

MAX_PACKAGE_BYTES = 200 * 1024 * 1024  # decompressed parts of one DOCX/XLSX
MAX_RATIO = 100  # decompressed / compressed: office files stay far below (typically 5-20)
MAX_RATIO_FLOOR = 10 * 1024 * 1024  # small packages may expand more (below this, the ratio is not checked)
MAX_PARTS = 10_000
EXCERPT_CHARS = 80


def _extension(name: str) -> str:
    name = name.lower()
    return next((ext for ext in CONTENT_TYPES if name.endswith(ext)), "")


def check_package(data: bytes | IO[bytes], main_part: str | None = None, max_bytes: int = MAX_PACKAGE_BYTES) -> None:
    """Refuse (DomainError) a ZIP package that is damaged, lacks its parts or expands beyond the limits."""
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    stream.seek(0, io.SEEK_END)
    compressed = stream.tell()
    stream.seek(0)
    limit = min(max_bytes, max(compressed * MAX_RATIO, MAX_RATIO_FLOOR))
    try:
        with zipfile.ZipFile(stream) as package:
            infos = package.infolist()
            names = {info.filename for info in infos}
            if len(infos) > MAX_PARTS or "[Content_Types].xml" not in names or (main_part and main_part not in names):
                raise DomainError(_("The file is not a valid Office document (its parts are missing)."))
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise DomainError(_("Documents with macros are not accepted."))
            total = 0
            for info in infos:
                with package.open(info) as part:
                    while chunk := part.read(1024 * 1024):
                        total += len(chunk)
                        if total > limit:
                            raise DomainError(
                                _(
                                    "The file expands to more than %(mb)s MB when opened (it is %(size)s KB "
                                    "packed): it is refused. Remove what is not needed or split it."
                                )
                                % {"mb": limit // (1024 * 1024), "size": max(compressed // 1024, 1)}
                            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError, OSError) as exc:
        raise DomainError(_("The file is damaged and cannot be opened.")) from exc
    finally:
        stream.seek(0)


def check_upload(upload, allowed: set[str]) -> str:
    """The content type of `upload` when its content matches its extension (one of `allowed`, e.g.
    {".pdf", ".docx"}); otherwise DomainError. The upload is left at its start."""
    ext = _extension(upload.name or "")
    if ext not in allowed:
        raise DomainError(
            _("Attach a file of one of these kinds: %(kinds)s.")
            % {"kinds": ", ".join(sorted({_LABEL[CONTENT_TYPES[e]] for e in allowed}))}
        )
    content_type = CONTENT_TYPES[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    ok = {
        PDF: head.startswith(b"%PDF-"),
        JPEG: head.startswith(b"\xff\xd8\xff"),
        PNG: head.startswith(b"\x89PNG\r\n\x1a\n"),
    }.get(content_type, head.startswith(b"PK\x03\x04"))
    if not ok:
        raise DomainError(
            _("The file's content is not a %(kind)s document, whatever its name says.") % {"kind": _LABEL[content_type]}
        )
    if content_type in _MAIN_PART:
        check_package(upload, _MAIN_PART[content_type])
    return content_type


def is_pdf(handle: IO[bytes]) -> bool:
    """Whether the open file starts like a PDF (the handle is put back at its start)."""
    position = handle.tell()
    head = handle.read(5)
    handle.seek(position)
    return head == b"%PDF-"


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """`value` as text, cut to `limit` characters with the full length said: a 100 MB cell is reported as
    its first characters, never stored or shown whole."""
    text = "" if value is None else str(value)
    if len(text) <= limit:
        return text
    return _("%(start)s… (%(n)s characters)") % {
        "start": text[:limit],
        "n": number_format(len(text), force_grouping=True),
    }
