"""Import of a payment-portal statement (Cổng Dịch vụ công Quốc gia): a CSV or XLSX file with one payment a
row — member code, month, amount, reference — matched to the members of the importer's subtree. All or
nothing: every row is checked first (without a query per row) and the file is refused, with each row's error in
the user's language, when any row is wrong — an unknown member refuses the whole file; otherwise every row
becomes a payment in one transaction, linked to the `Statement`. The same file, or a reference already
recorded, is refused.

The member code is the party card number, or the code the system gives a member without a card ("DV" and the
record number, shown on the member's fee page: `fee_code`)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.accounts.scope import members_for
from dangvu.fees import months, services
from dangvu.fees.access import IMPORT
from dangvu.fees.forms import parse_amount
from dangvu.fees.models import Method, Payment, Statement
from dangvu.imports.readers import decode_csv, detect_format
from dangvu.lib.cleaning import strip_unsafe
from dangvu.lib.errors import DomainError
from dangvu.lib.text import fold
from dangvu.lib.uploads import check_package

MAX_ROWS = 20_000
HEADERS = {
    "code": {"ma dang vien", "ma dv", "so the dang vien", "so the", "ma", "member code", "code"},
    "month": {"thang", "thang dong", "ky dong", "ky", "month"},
    "amount": {"so tien", "so tien (dong)", "so tien dong", "amount"},
    "reference": {"ma giao dich", "so tham chieu", "tham chieu", "ma tham chieu", "reference"},
}
_CODE = re.compile(r"^DV0*(\d+)$", re.IGNORECASE)


def fee_code(member) -> str:
    return member.card_number or f"DV{member.pk:06d}"


@dataclass
class Line:
    number: int
    code: str
    month: dt.date | None
    amount: int | None
    reference: str
    raw_month: str = ""
    member_id: int | None = None


@dataclass
class Checked:
    lines: list[Line] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, message)

    @property
    def total(self) -> int:
        return sum(line.amount or 0 for line in self.lines)


def _cells(data: bytes, filename: str) -> Iterator[tuple[int, list[object]]]:
    if detect_format(data, filename) == "xlsx":
        from openpyxl import load_workbook

        check_package(data, "xl/workbook.xml")
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise DomainError(
                _("The Excel file cannot be read; it may be damaged or protected by a password.")
            ) from exc
        try:
            yield from enumerate((list(r) for r in book.worksheets[0].iter_rows(values_only=True)), start=1)
        finally:
            book.close()
        return
    text = decode_csv(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)
    except csv.Error as exc:
        raise DomainError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%m/%Y}"
    return strip_unsafe(str(value)).strip()


def read(data: bytes, filename: str = "") -> list[Line]:
    """The rows of the file (refused when its header row is not found)."""
    if not data:
        raise DomainError(_("The file is empty."))
    rows = _cells(data, filename)
    positions: dict[str, int] = {}
    for number, values in rows:
        found = {}
        for i, value in enumerate(values):
            name = fold(_text(value)).strip(" :")
            for key, names in HEADERS.items():
                if name in names and key not in found:
                    found[key] = i
        if {"code", "month", "amount"} <= set(found):
            positions = found
            break
        if number >= 10:
            break
    if not positions:
        raise DomainError(_("The header row was not found: the file needs the columns Mã đảng viên, Tháng, Số tiền."))
    lines = []
    for number, values in rows:
        cells = {key: _text(values[i]) if i < len(values) else "" for key, i in positions.items()}
        if not any(cells.values()):
            continue
        if len(lines) >= MAX_ROWS:
            raise DomainError(_("At most %(n)s rows in one statement.") % {"n": MAX_ROWS})
        lines.append(
            Line(
                number,
                cells["code"],
                months.parse(cells["month"]),
                _amount(cells["amount"]),
                cells.get("reference", "")[:64],
                cells["month"],
            )
        )
    return lines


def _amount(text: str) -> int | None:
    try:
        return parse_amount(text) if text else None
    except Exception:  # noqa: BLE001  (any unreadable amount is the row's error)
        return None


def check(user, data: bytes, filename: str = "") -> Checked:
    """Every row checked against the records, in a fixed number of queries."""
    lines = read(data, filename)
    result = Checked(lines)
    if not lines:
        result.errors.append((0, _("The file has no payment row.")))
        return result
    scope = members_for(user, IMPORT)
    cards = {c for c in (line.code for line in lines) if c and not _CODE.match(c)}
    ids = {int(m[1]) for m in (_CODE.match(line.code) for line in lines) if m}
    by_card = dict(scope.filter(card_number__in=cards).values_list("card_number", "pk"))
    by_id = set(scope.filter(pk__in=ids).values_list("pk", flat=True))
    references = [line.reference for line in lines if line.reference]
    taken = set(
        Payment.objects.filter(method=Method.PORTAL, reference__in=references, annulled_at__isnull=True).values_list(
            "reference", flat=True
        )
    )
    seen: set[str] = set()
    ahead = months.shift(months.current(), services.ADVANCE_MONTHS)
    for line in lines:
        problems = []
        match = _CODE.match(line.code)
        line.member_id = (
            (int(match[1]) if match and int(match[1]) in by_id else None) if match else by_card.get(line.code)
        )
        if not line.code:
            problems.append(_("the member code is missing"))
        elif line.member_id is None:
            problems.append(_("no member with code %(code)s in your organisations") % {"code": line.code})
        if line.month is None:
            problems.append(_("the month %(value)s is not a month (mm/yyyy)") % {"value": line.raw_month or "—"})
        elif line.month > ahead:
            problems.append(_("the month %(value)s is too far ahead") % {"value": months.fmt(line.month)})
        if line.amount is None or line.amount <= 0 or line.amount > services.MAX_AMOUNT:
            problems.append(_("the amount is not a whole number of đồng greater than 0"))
        if line.reference:
            if line.reference in taken:
                problems.append(_("reference %(ref)s is already recorded") % {"ref": line.reference})
            elif line.reference in seen:
                problems.append(_("reference %(ref)s appears twice in the file") % {"ref": line.reference})
            seen.add(line.reference)
        for problem in problems:
            result.errors.append((line.number, problem))
    _check_in_party(result)
    return result


def _check_in_party(result: Checked) -> None:
    by_month: dict[dt.date, set[int]] = {}
    for line in result.lines:
        if line.member_id and line.month:
            by_month.setdefault(line.month, set()).add(line.member_id)
    for month, ids in by_month.items():
        present = services.cells_in_month(month, member_ids=ids)
        for line in result.lines:
            if line.month == month and line.member_id in ids and line.member_id not in present:
                result.errors.append(
                    (line.number, _("the member was not in the Party in %(month)s") % {"month": months.fmt(month)})
                )


def describe(errors: list[tuple[int, str]]) -> list[str]:
    return [
        (_("Row %(row)s: %(problem)s.") % {"row": number, "problem": problem}) if number else problem
        for number, problem in sorted(errors)
    ]


@transaction.atomic
def import_statement(user, organisation, data: bytes, filename: str, *, paid_on: dt.date | None = None) -> Statement:
    """Check and record the whole statement, or nothing (DomainError listing every row's error)."""
    digest = hashlib.sha256(data).hexdigest()
    if Statement.objects.filter(digest=digest).exists():
        raise DomainError(_("This statement was already imported."))
    checked = check(user, data, filename)
    if checked.errors:
        raise DomainError(describe(checked.errors))
    from dangvu.members.models import Member

    statement = Statement(
        organisation=organisation,
        file_name=filename[:255],
        digest=digest,
        rows=len(checked.lines),
        total=checked.total,
        imported_by=user,
    )
    statement._history_user = user
    statement.save()
    members = Member.objects.in_bulk([line.member_id for line in checked.lines])
    day = paid_on or timezone.localdate()
    for line in checked.lines:
        services.record_payment(
            members[line.member_id],
            month=line.month,
            amount=line.amount,
            paid_on=day,
            method=Method.PORTAL,
            reference=line.reference,
            actor=user,
            statement=statement,
        )
    return statement
