"""Text of an attached file, for the library's search: DOCX (python-docx, already a dependency for the
official forms) — paragraphs and table cells. PDF and images are not read (no PDF library among the
dependencies; scanned PDFs would need OCR): their documents are found by their number, title, summary and
the body text the office gives (docs/decisions.md, issue 14, library)."""

from __future__ import annotations

import logging
import zipfile

MAX_CHARS = 200_000  # a resolution with its appendices is far below; a huge file is cut

log = logging.getLogger(__name__)


def text_of(stored) -> str:
    """The text of a DocumentFile's file, "" when its kind is not read or it cannot be opened."""
    if not stored.filename.lower().endswith(".docx"):
        return ""
    from docx import Document as Docx

    try:
        with stored.file.open("rb") as handle:
            doc = Docx(handle)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        log.warning("library: cannot read %s: %s", stored.filename, error)
        return ""
    parts = [p.text for p in doc.paragraphs if p.text.strip()]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells if cell.text.strip())
    return "\n".join(parts)[:MAX_CHARS]
