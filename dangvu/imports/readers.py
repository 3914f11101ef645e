"""Read an uploaded XLSX or CSV file into rows keyed by column key, streaming (150,000 rows fit).

A reader yields `(row_number, {key: raw value})`, the row number being the one the user sees in the
spreadsheet (the header row counts). Values are left raw (str, int, float, datetime, None): conversion and
validation are the job of dangvu.imports.services, so that the same rules apply to rows given directly
(a benchmark, another importer).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dangvu.imports.columns import COLUMNS, Column, match_header
from dangvu.lib.cleaning import strip_unsafe
from dangvu.lib.errors import DomainError
from dangvu.lib.uploads import check_package

Row = tuple[int, dict[str, object]]
XLSX, CSV = "xlsx", "csv"
_HEADER_SCAN_ROWS = 10  # a title line or two above the headers is tolerated
# Excel itself holds at most 32,767 characters in a cell: a longer value was not typed by an office, and
# reading on would only carry it into the validation, the error report and the preview.
MAX_CELL_CHARS = 32_767


@dataclass
class Layout:
    """Where each known column is in the file."""

    header_row: int
    positions: dict[int, Column]  # 0-based position -> column


def detect_format(data: bytes, filename: str) -> str:
    name = filename.lower()
    if data[:4] == b"PK\x03\x04":
        return XLSX
    if name.endswith((".xls", ".xlsx", ".xlsm", ".ods")) or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DomainError(_("The file is not an Excel .xlsx workbook. Save it as .xlsx (Excel 2007 or later) or CSV."))
    return CSV


def _layout(rows: Iterator[tuple[int, list[object]]]) -> Layout:
    best: Layout | None = None
    for number, values in rows:
        positions: dict[int, Column] = {}
        duplicates: list[str] = []
        for i, value in enumerate(values):
            column = match_header(value)
            if column is None:
                continue
            if column in positions.values():
                duplicates.append(column.header)
            positions[i] = column
        if len(positions) >= 3:
            if duplicates:
                raise DomainError(
                    _("Row %(row)s repeats the column(s) %(columns)s.")
                    % {"row": number, "columns": ", ".join(duplicates)}
                )
            best = Layout(number, positions)
            break
        if number >= _HEADER_SCAN_ROWS:
            break
    if best is None:
        raise DomainError(
            _("No header row was found. Use the template: its first row holds the column names (e.g. %(example)s).")
            % {"example": COLUMNS[0].label}
        )
    present = set(best.positions.values())
    missing = [c.label for c in COLUMNS if c.required and c not in present]
    if missing:
        raise DomainError(_("Required column(s) missing: %(columns)s.") % {"columns": ", ".join(missing)})
    return best


def _column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _too_long(number: int, index: int, value: str) -> DomainError:
    return DomainError(
        _(
            "Cell %(cell)s holds %(n)s characters; a cell may hold at most %(max)s (Excel's own limit). "
            "The file is refused: correct that cell."
        )
        % {
            "cell": f"{_column_name(index)}{number}",
            "n": number_format(len(value), force_grouping=True),
            "max": number_format(MAX_CELL_CHARS, force_grouping=True),
        }
    )


def _rows(layout: Layout, rows: Iterator[tuple[int, list[object]]]) -> Iterator[Row]:
    positions = list(layout.positions.items())
    for number, values in rows:
        record: dict[str, object] = {}
        empty = True
        n = len(values)
        for i, value in enumerate(values):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise _too_long(number, i, value)
        for i, column in positions:
            value = values[i] if i < n else None
            if isinstance(value, str):
                # Control, bidirectional and zero-width characters are stripped, as in page forms: a NUL
                # cannot be stored in PostgreSQL text (nor in the job's error report).
                value = strip_unsafe(value).strip()
                if not value:
                    value = None
            if value is not None:
                empty = False
            record[column.key] = value
        if not empty:
            yield number, record


def read_xlsx(data: bytes) -> Iterator[Row]:
    """Rows of the first worksheet. openpyxl's read-only mode streams the sheet XML."""
    from openpyxl import load_workbook

    # A workbook whose parts expand beyond the limits is refused before openpyxl reads it.
    check_package(data, "xl/workbook.xml", max_bytes=int(settings.DANGVU_IMPORT_MAX_UNPACKED_BYTES))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DomainError(_("The Excel file cannot be read; it may be damaged or protected by a password.")) from exc
    try:
        sheet = workbook.worksheets[0]
        source = ((i, list(values)) for i, values in enumerate(sheet.iter_rows(values_only=True), start=1))
        layout = _layout(source)
        yield from _rows(layout, source)
    finally:
        workbook.close()


def decode_csv(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(
            _(
                "The CSV file is not in UTF-8 (line %(line)s). In Excel choose 'Save as' → 'CSV UTF-8 (comma "
                "delimited)', or use the .xlsx template."
            )
            % {"line": data[: exc.start].count(b"\n") + 1}
        ) from exc


def read_csv(data: bytes) -> Iterator[Row]:
    """Rows of a UTF-8 CSV (with or without BOM), delimited by ';' or ','. Row numbers count records,
    as a spreadsheet program shows them."""
    text = decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    source = ((i, list(values)) for i, values in enumerate(reader, start=1))
    try:
        layout = _layout(source)
        yield from _rows(layout, source)
    except csv.Error as exc:
        raise DomainError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc


def read_upload(data: bytes, filename: str = "") -> Iterator[Row]:
    """Rows of an uploaded file (XLSX or CSV, told apart by content). Raises DomainError with a message
    for the user when the file itself is unreadable; row problems are left to validation."""
    if not data:
        raise DomainError(_("The file is empty."))
    if detect_format(data, filename) == XLSX:
        return read_xlsx(data)
    return read_csv(data)


def estimate_rows(data: bytes, filename: str = "") -> int:
    """A cheap upper estimate of the data rows, to choose between the synchronous and background paths."""
    if not data:
        return 0
    if detect_format(data, filename) == CSV:
        return data.count(b"\n")
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        try:
            return max((workbook.worksheets[0].max_row or 1) - 1, 0)
        finally:
            workbook.close()
    except Exception:  # noqa: BLE001 - an unreadable file is reported by the reader itself
        return 0
