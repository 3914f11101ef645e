"""Member list export to XLSX (the spreadsheets offices exchange in practice, domain.md §3).

The headers and coded values (sex, status, political theory) are written in Vietnamese whatever the UI
language is: the file is a data-exchange format read by other offices and by the national member
database workflow, not a translated screen.

Security: a text cell that starts with = + - @ (or a tab / carriage return) would be evaluated as a formula
by a spreadsheet program ("CSV/formula injection", OWASP). Such values get a leading apostrophe and every
text cell is stored with the string data type, so nothing a user typed into a record is ever evaluated.

Memory: the workbook is write-only (rows are streamed to the zip file) and the queryset is read with
`.iterator()`, so exporting a whole committee does not load every member at once.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable
from typing import IO, Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dangvu.members.models import Member, PoliticalTheory, Sex, Status
from dangvu.orgs.labels import org_labels
from dangvu.orgs.models import Organisation

DATE_FORMAT = "DD/MM/YYYY"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000

SEX_VI = {Sex.MALE: "Nam", Sex.FEMALE: "Nữ"}
STATUS_VI = {
    Status.PROBATIONARY: "Đảng viên dự bị",
    Status.OFFICIAL: "Đảng viên chính thức",
    Status.TRANSFERRED_OUT: "Đã chuyển sinh hoạt đi",
    Status.REMOVED: "Xóa tên",
    Status.EXPELLED: "Khai trừ",
    Status.LEFT: "Ra khỏi Đảng",
    Status.DECEASED: "Từ trần",
}
THEORY_VI = {
    PoliticalTheory.NONE: "",
    PoliticalTheory.ELEMENTARY: "Sơ cấp",
    PoliticalTheory.INTERMEDIATE: "Trung cấp",
    PoliticalTheory.ADVANCED: "Cao cấp",
    PoliticalTheory.BACHELOR: "Cử nhân",
}

# (header, value of a member). Order is the column order.
COLUMNS: list[tuple[str, Any]] = [
    ("Họ và tên", lambda m: m.full_name),
    ("Tên gọi khác", lambda m: m.other_names),
    ("Giới tính", lambda m: SEX_VI.get(m.sex, m.sex)),
    ("Ngày sinh", lambda m: m.birth_date),
    ("Nơi sinh", lambda m: m.birth_place),
    ("Quê quán", lambda m: m.home_town),
    ("Nơi cư trú", lambda m: m.residence),
    ("Chi bộ", lambda m: m.organisation.label),  # named with its parent where names repeat
    ("Trạng thái", lambda m: STATUS_VI.get(m.status, m.status)),
    ("Ngày vào Đảng", lambda m: m.admission_date),
    ("Ngày chính thức", lambda m: m.official_date),
    ("Số thẻ đảng viên", lambda m: m.card_number or ""),
    ("CCCD", lambda m: m.citizen_id or ""),
    ("Dân tộc", lambda m: m.ethnicity),
    ("Tôn giáo", lambda m: m.religion),
    ("Nghề nghiệp", lambda m: m.occupation),
    ("Chức vụ", lambda m: m.position),
    ("Giáo dục phổ thông", lambda m: m.general_education),
    ("Chuyên môn", lambda m: m.professional_degree),
    ("Trình độ LLCT", lambda m: THEORY_VI.get(m.political_theory, m.political_theory)),
    ("Ngoại ngữ", lambda m: m.foreign_language),
]
HEADERS = [header for header, _ in COLUMNS]
WIDTHS = [28, 16, 9, 12, 20, 20, 24, 28, 20, 14, 14, 16, 14, 10, 12, 20, 20, 10, 20, 14, 14]


def safe_text(value: str) -> str:
    """A text value that a spreadsheet program will never evaluate as a formula."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(ws, value: Any) -> WriteOnlyCell:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if value is None:
        return WriteOnlyCell(ws, value=None)
    cell = WriteOnlyCell(ws, value=safe_text(str(value)))
    cell.data_type = "s"  # never "f" (formula) nor "e" (error code such as "#N/A")
    return cell


def _labelled(members: Iterable[Member], labels: dict[int, str]):
    for member in members:
        member.organisation._label = labels.get(member.organisation_id)
        yield member


def _rows(members: Iterable[Member]):
    for member in members:
        yield [getter(member) for _, getter in COLUMNS]


def write_members_xlsx(queryset: QuerySet[Member], out: IO[bytes]) -> int:
    """Write the members of `queryset` (already filtered and scope-limited by the caller) to `out`.
    Returns the number of rows written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Đảng viên")
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    header_cells = []
    for header in HEADERS:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    ws.append(header_cells)
    count = 0
    # The cells' labels once for the whole export (dangvu.orgs.labels), not per row.
    labels = org_labels(Organisation.objects.filter(pk__in=queryset.order_by().values("organisation_id")))
    members = queryset.select_related("organisation").iterator(chunk_size=CHUNK_SIZE)
    for row in _rows(_labelled(members, labels)):
        ws.append([_cell(ws, value) for value in row])
        count += 1
    wb.save(out)
    return count


def members_xlsx(queryset: QuerySet[Member]) -> bytes:
    """The workbook as bytes (for small exports and tests; views stream a temporary file instead)."""
    with tempfile.TemporaryFile() as out:
        write_members_xlsx(queryset, out)
        out.seek(0)
        return out.read()
