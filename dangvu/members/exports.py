"""Member list export to XLSX (the spreadsheets offices exchange in practice, domain.md §3).

The headers and coded values (sex, status, political theory) are written in Vietnamese whatever the UI
language is: the file is a data-exchange format read by other offices and by the national member
database workflow, not a translated screen.

Security: a text cell that starts with = + - @ (or a tab / carriage return) would be evaluated as a formula
by a spreadsheet program ("CSV/formula injection", OWASP). Such values get a leading apostrophe and every
text cell is stored with the string data type, so nothing a user typed into a record is ever evaluated.

Personal data: the columns and cells follow dangvu.accounts.privacy — a column hidden on every exported
member is left out, a cell hidden on its row is empty (the member list's other surfaces apply the same
table).

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

from dangvu.accounts import privacy
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

# (header, personal-data field of dangvu.accounts.permissions.PERSONAL_DATA or None, value of a member).
# Order is the column order.
COLUMNS: list[tuple[str, str | None, Any]] = [
    ("Họ và tên", "full_name", lambda m: m.full_name),
    ("Tên gọi khác", "other_names", lambda m: m.other_names),
    ("Giới tính", "sex", lambda m: SEX_VI.get(m.sex, m.sex)),
    ("Ngày sinh", "birth_date", lambda m: m.birth_date),
    ("Nơi sinh", "birth_place", lambda m: m.birth_place),
    ("Quê quán", "home_town", lambda m: m.home_town),
    ("Nơi cư trú", "residence", lambda m: m.residence),
    ("Chi bộ", None, lambda m: m.organisation.label),  # named with its parent where names repeat
    ("Trạng thái", None, lambda m: STATUS_VI.get(m.status, m.status)),
    ("Ngày vào Đảng", None, lambda m: m.admission_date),
    ("Ngày chính thức", None, lambda m: m.official_date),
    ("Số thẻ đảng viên", "card_number", lambda m: m.card_number or ""),
    ("CCCD", "citizen_id", lambda m: m.citizen_id or ""),
    ("Dân tộc", "ethnicity", lambda m: m.ethnicity),
    ("Tôn giáo", "religion", lambda m: m.religion),
    ("Nghề nghiệp", "occupation", lambda m: m.occupation),
    ("Chức vụ", "position", lambda m: m.position),
    ("Giáo dục phổ thông", "general_education", lambda m: m.general_education),
    ("Chuyên môn", "professional_degree", lambda m: m.professional_degree),
    ("Trình độ LLCT", "political_theory", lambda m: THEORY_VI.get(m.political_theory, m.political_theory)),
    ("Ngoại ngữ", "foreign_language", lambda m: m.foreign_language),
]
HEADERS = [header for header, _field, _getter in COLUMNS]
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


def columns_for(queryset: QuerySet[Member], user) -> list[tuple[str, str | None, Any]]:
    """The columns `user` gets (dangvu.accounts.privacy): a personal-data column is left out when the
    field is hidden on every exported member. Without a user (internal use): every column."""
    if user is None:
        return list(COLUMNS)
    kept = []
    for column in COLUMNS:
        field = column[1]
        if field is not None and not privacy.covers(user, field, "members.export"):
            where = privacy.where_visible(user, field)
            if where is None or not queryset.filter(where).exists():
                continue
        kept.append(column)
    return kept


def _rows(members: Iterable[Member], columns, user):
    for member in members:
        hidden = privacy.hidden_fields(user, member) if user is not None else frozenset()
        yield [None if field in hidden else getter(member) for _header, field, getter in columns]


def write_members_xlsx(queryset: QuerySet[Member], out: IO[bytes], *, user=None) -> int:
    """Write the members of `queryset` (already filtered and scope-limited by the caller) to `out`, with
    the personal data `user` may see (dangvu.accounts.privacy; every field when `user` is None).
    Returns the number of rows written."""
    columns = columns_for(queryset, user)
    widths = dict(zip(HEADERS, WIDTHS, strict=True))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Đảng viên")
    for i, (header, _field, _getter) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = widths[header]
    ws.freeze_panes = "A2"
    header_cells = []
    for header, _field, _getter in columns:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    ws.append(header_cells)
    count = 0
    # The cells' labels once for the whole export (dangvu.orgs.labels), not per row.
    labels = org_labels(Organisation.objects.filter(pk__in=queryset.order_by().values("organisation_id")))
    members = queryset.select_related("organisation").iterator(chunk_size=CHUNK_SIZE)
    for row in _rows(_labelled(members, labels), columns, user):
        ws.append([_cell(ws, value) for value in row])
        count += 1
    wb.save(out)
    return count


def members_xlsx(queryset: QuerySet[Member], *, user=None) -> bytes:
    """The workbook as bytes (for small exports and tests; views stream a temporary file instead)."""
    with tempfile.TemporaryFile() as out:
        write_members_xlsx(queryset, out, user=user)
        out.seek(0)
        return out.read()
