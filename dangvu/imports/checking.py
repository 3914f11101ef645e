"""Checking an import's rows: conversion of cell values, the per-chunk lookups and the checks of one row.

Split from dangvu.imports.services, which applies what this module has checked (see its docstring for the
streaming, all-or-nothing pass). Nothing here writes.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.accounts.scope import Scope
from dangvu.imports import notices as kinds
from dangvu.imports.columns import (
    BY_KEY,
    COLUMNS,
    DATE,
    DIGITS,
    EXAMPLE_MARK,
    MEMBER_FIELDS,
    SEX,
    SEX_VALUES,
    TEXT,
    THEORY,
    THEORY_VALUES,
)
from dangvu.imports.notices import RowNotice
from dangvu.lib import legacy
from dangvu.lib.dates import NoSuchDate, fmt, parse_vn_date
from dangvu.lib.errors import DomainError
from dangvu.lib.text import fold, nfc
from dangvu.lib.uploads import excerpt
from dangvu.members import lifecycle
from dangvu.members.models import EventKind, Member, MemberEvent, Sex, Status
from dangvu.members.services import limits_for
from dangvu.members.validators import validate_member_fields
from dangvu.orgs.models import Organisation, OrgKind
from dangvu.rules.models import RuleSet

log = logging.getLogger(__name__)


CAPABILITY = "members.import"
MAX_STORED_ERRORS = 5000
PREVIEW_ROWS = 10


@dataclass
class RowError:
    row: int
    column: str  # the header as in the template ("" = the whole row)
    value: str
    message: str

    def as_list(self) -> list:
        return [self.row, self.column, self.value, self.message]


@dataclass
class Result:
    rows: int = 0
    created: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[dict[str, str]] = field(default_factory=list)
    notice_count: int = 0
    notices: list[RowNotice] = field(default_factory=list)  # values stored otherwise than written
    notice_counts: Counter[str] = field(default_factory=Counter)  # per kind (dangvu.imports.notices)


class _Event:
    """The EventLike that lifecycle.derive replays (a MemberEvent is built only when writing)."""

    __slots__ = ("kind", "date", "organisation_id", "external", "id", "annuls_id")

    def __init__(self, kind: str, date: dt.date, organisation_id: int | None, external: str = ""):
        self.kind, self.date, self.organisation_id, self.external = kind, date, organisation_id, external
        self.id = self.annuls_id = None


@dataclass
class _Plan:
    member: Member
    events: list[_Event]
    periods: list[lifecycle.Period]


@dataclass(frozen=True)
class _Cell:
    id: int
    code: str
    name: str
    holds_members: bool
    valid_to: dt.date | None
    path: str = ""


@dataclass
class _Staged:
    converted: list[tuple[int, dict[str, Any], set[str]]]
    taken_citizen: set[str]
    taken_card: set[str]


class _Limits:
    """limits_for() with one query for the rule-set dates: the limits on a date equal the limits on the
    effective date of the rule set in force then, so they are computed once per rule set, not per row."""

    def __init__(self) -> None:
        self.starts = sorted(RuleSet.objects.values_list("effective_from", flat=True))
        self.memo: dict[dt.date, lifecycle.Limits] = {}

    def __call__(self, day: dt.date) -> lifecycle.Limits:
        i = bisect.bisect_right(self.starts, day)
        key = self.starts[i - 1] if i else dt.date.min
        limits = self.memo.get(key)
        if limits is None:
            limits = self.memo[key] = limits_for(key)
        return limits


def _taken(field_name: str, values: list[str]) -> set[str]:
    """Which of `values` stored members already use in `field_name` (one query). On PostgreSQL one array
    parameter (= ANY) is much cheaper to send and plan than an IN list of 2,000 literals."""
    if not values:
        return set()
    if connection.vendor != "postgresql":
        return set(Member.objects.filter(**{f"{field_name}__in": values}).values_list(field_name, flat=True))
    column = connection.ops.quote_name(Member._meta.get_field(field_name).column)
    table = connection.ops.quote_name(Member._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {column} = ANY(%s)", [values])  # noqa: S608
        return {row[0] for row in cursor.fetchall()}


def _display(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return fmt(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value))


def _to_date(value: object) -> dt.date:
    """A date from a real date cell or from text dd/mm/yyyy (a time part is ignored); raises ValueError."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_vn_date(value.split(" ", 1)[0].split("T", 1)[0])
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        # A date cell that lost its date format shows Excel's serial day number.
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    raise ValueError(value)


def _to_digits(value: object) -> tuple[str, bool]:
    """Digits as text; the flag tells the cell held a number (which loses leading zeros)."""
    if isinstance(value, bool):
        return str(value), False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else str(value)), True
    text = nfc(str(value)).replace(" ", "").replace(".", "").lstrip("'")
    return text, False


class _Checker:
    """State of one pass: scope, resolved cells, values seen, errors."""

    def __init__(self, user, organisation: Organisation | None, today: dt.date | None) -> None:
        self.scope = Scope.of(user, CAPABILITY)
        if self.scope.empty:
            raise DomainError(_("You may not import members."))
        if organisation is not None and not self.scope.covers_path(organisation.path):
            raise DomainError(_("You may not import into this organisation."))
        self.root_path = organisation.path if organisation is not None else None
        self.today = today or timezone.localdate()
        self.limits = _Limits()
        self.cells: dict[str, _Cell | None] = {}
        self.holding: set[int] = set()
        self.seen_citizen: dict[str, int] = {}
        self.seen_card: dict[str, int] = {}
        self.result = Result()
        self.labels = {c.key: c.label for c in COLUMNS}
        self.lengths = {
            name: Member._meta.get_field(name).max_length
            for name in MEMBER_FIELDS
            if BY_KEY[name].kind in (TEXT, DIGITS)
        }
        self.lengths["admission_place"] = MemberEvent._meta.get_field("external_organisation").max_length
        self.event_columns = {
            str(EventKind.ADMISSION.label): "admission_date",
            str(EventKind.OFFICIAL.label): "official_date",
            str(EventKind.TRANSFER_IN.label): "transfer_date",
        }
        self.msg_required = _("This column is required.")
        self.msg_date = _("Write the date as dd/mm/yyyy.")

    # -- errors ---------------------------------------------------------------------------------------

    def error(self, row: int, key: str, value: object, message: str) -> None:
        self.result.error_count += 1
        if len(self.result.errors) < MAX_STORED_ERRORS:
            # A bounded excerpt: a bad value is never stored, shown or exported whole (issue 16 item 4).
            self.result.errors.append(RowError(row, self.labels.get(key, ""), excerpt(_display(value)), message))

    def notice(self, row: int, key: str, entered: str, stored: str, kind: str) -> None:
        self.result.notice_count += 1
        self.result.notice_counts[kind] += 1
        if len(self.result.notices) < MAX_STORED_ERRORS:
            self.result.notices.append(RowNotice(row, self.labels[key], entered, stored, kind))

    # -- per chunk ------------------------------------------------------------------------------------

    def _resolve_cells(self, codes: set[str]) -> None:
        new = [c for c in codes if c not in self.cells]
        if not new:
            return
        qs = Organisation.objects.filter(self.scope.q("path"), code__in=new)
        if self.root_path is not None:
            qs = qs.filter(path__startswith=self.root_path)
        for pk, code, name, kind, valid_to, path in qs.values_list("id", "code", "name", "kind", "valid_to", "path"):
            cell = _Cell(pk, code, name, kind in OrgKind.member_holding(), valid_to, path)
            self.cells[code] = cell
            if cell.holds_members:
                self.holding.add(pk)
        for code in new:
            self.cells.setdefault(code, None)

    def stage(self, chunk: list[tuple[int, dict[str, Any]]]) -> _Staged:
        """Convert a chunk and make its lookups: cells, and citizen IDs and card numbers already stored
        (one query each, whatever the number of rows)."""
        converted = [self._convert(number, record) for number, record in chunk]
        self._resolve_cells({c["cell_code"] for _n, c, _b in converted if c.get("cell_code")})
        citizen_ids = [c["citizen_id"] for _n, c, _b in converted if c.get("citizen_id")]
        card_numbers = [c["card_number"] for _n, c, _b in converted if c.get("card_number")]
        return _Staged(converted, _taken("citizen_id", citizen_ids), _taken("card_number", card_numbers))

    def check(self, staged: _Staged) -> list[_Plan]:
        """The rules on every row of a staged chunk, in memory (no query)."""
        plans = []
        for number, values, bad in staged.converted:
            plan = self._check_row(number, values, bad, staged.taken_citizen, staged.taken_card)
            if plan is not None:
                plans.append(plan)
        return plans

    # -- per row --------------------------------------------------------------------------------------

    def _convert(self, number: int, record: dict[str, Any]) -> tuple[int, dict[str, Any], set[str]]:
        """Typed values of one row; format errors are reported and their column marked bad."""
        values: dict[str, Any] = {}
        bad: set[str] = set()
        # Text written in TCVN3 or VNI, converted to Unicode: (key, written, stored, encoding), listed by
        # _check_row as notices and shown on the preview (issue 16 item 10).
        values["_legacy"] = converted = []
        for column in COLUMNS:
            key = column.key
            raw = record.get(key)
            if raw is None or raw == "":
                if column.required:
                    self.error(number, key, "", self.msg_required)
                    bad.add(key)
                values[key] = None
                continue
            kind = column.kind
            if kind == DATE:
                try:
                    values[key] = _to_date(raw)
                except NoSuchDate as exc:  # 31/02/1990: written right, but no such day
                    self.error(number, key, raw, exc.message)
                    bad.add(key)
                    values[key] = None
                except (ValueError, TypeError):
                    self.error(number, key, raw, self.msg_date)
                    bad.add(key)
                    values[key] = None
            elif kind == DIGITS:
                text, was_number = _to_digits(raw)
                values[key] = text
                if was_number:
                    values[f"{key}_was_number"] = True
            elif kind == SEX:
                sex, raw = _choice(SEX_VALUES, key, raw, converted)
                if sex is None:
                    self.error(number, key, raw, _("Write Nam or Nữ."))
                    bad.add(key)
                values[key] = sex
            elif kind == THEORY:
                theory, raw = _choice(THEORY_VALUES, key, raw, converted)
                if theory is None:
                    self.error(number, key, raw, _("Write Sơ cấp, Trung cấp, Cao cấp or Cử nhân, or leave it empty."))
                    bad.add(key)
                values[key] = theory
            else:
                text = _display(raw)
                found = legacy.detect(text)
                if found is not None:
                    converted.append((key, text, found.text, found.encoding))
                    text = found.text
                limit = self.lengths.get(key)
                if limit and len(text) > limit:
                    self.error(number, key, raw, _("At most %(max)s characters.") % {"max": limit})
                    bad.add(key)
                values[key] = text
        return number, values, bad

    def _check_row(
        self,
        number: int,
        v: dict[str, Any],
        bad: set[str],
        taken_citizen: set[str],
        taken_card: set[str],
    ) -> _Plan | None:
        errors_before = self.result.error_count
        for key, written, stored, encoding in v["_legacy"]:
            self.notice(number, key, written, stored, encoding)
        member = Member(
            full_name=v["full_name"] or "",
            other_names=v["other_names"] or "",
            sex=v["sex"] or "",
            birth_date=v["birth_date"],
            birth_place=v["birth_place"] or "",
            home_town=v["home_town"] or "",
            residence=v["residence"] or "",
            ethnicity=v["ethnicity"] or "Kinh",
            religion=v["religion"] or "",
            citizen_id=v["citizen_id"] or None,
            occupation=v["occupation"] or "",
            position=v["position"] or "",
            general_education=v["general_education"] or "",
            professional_degree=v["professional_degree"] or "",
            political_theory=v["political_theory"] or "",
            foreign_language=v["foreign_language"] or "",
            card_number=v["card_number"] or None,
        )
        member.prepare()

        if (fold(member.full_name), member.citizen_id) == EXAMPLE_MARK:
            self.error(number, "full_name", member.full_name, _("This is the example row of the template; delete it."))
        for key, messages in validate_member_fields(member, today=self.today).items():
            if key in bad:
                continue  # already reported as a format error
            bad.add(key)
            message = " ".join(messages)  # one error per cell, saying everything that is wrong with it
            if key in ("citizen_id", "card_number") and v.get(f"{key}_was_number"):
                message = f"{message} " + _(
                    "The cell holds a number, which loses leading zeros: format the column as text."
                )
            self.error(number, key, v.get(key) or getattr(member, key, ""), message)

        # Duplicates within the file (first occurrence wins) and against the records already stored.
        if member.citizen_id and "citizen_id" not in bad:
            first = self.seen_citizen.setdefault(member.citizen_id, number)
            if first != number:
                self.error(
                    number,
                    "citizen_id",
                    member.citizen_id,
                    _("Citizen ID %(value)s also appears in row %(row)s.") % {"value": member.citizen_id, "row": first},
                )
            elif member.citizen_id in taken_citizen:
                self.error(
                    number,
                    "citizen_id",
                    member.citizen_id,
                    _("Citizen ID %(value)s is already used by another member.") % {"value": member.citizen_id},
                )
        if member.card_number and "card_number" not in bad:
            first = self.seen_card.setdefault(member.card_number, number)
            if first != number:
                self.error(
                    number,
                    "card_number",
                    member.card_number,
                    _("Party card number %(value)s also appears in row %(row)s.")
                    % {"value": member.card_number, "row": first},
                )
            elif member.card_number in taken_card:
                self.error(
                    number,
                    "card_number",
                    member.card_number,
                    _("Party card number %(value)s is already used by another member.") % {"value": member.card_number},
                )

        # The cell: known, in scope (an unknown code and a code outside scope get the same answer), a cell.
        cell: _Cell | None = None
        code = v["cell_code"]
        if code:
            cell = self.cells.get(code)
            if cell is None:
                self.error(
                    number,
                    "cell_code",
                    code,
                    _("No party cell has this code among the organisations you may import into."),
                )
            elif not cell.holds_members:
                self.error(
                    number,
                    "cell_code",
                    code,
                    _("%(name)s is not a party cell; members can only belong to a party cell.") % {"name": cell.name},
                )
                cell = None
            elif cell.valid_to is not None:
                self.error(
                    number,
                    "cell_code",
                    code,
                    _("%(name)s was dissolved or merged on %(date)s; use the code of the cell that succeeded it.")
                    % {"name": cell.name, "date": fmt(cell.valid_to)},
                )
                cell = None

        # The events the row implies.
        admitted, official, place, moved_in = (
            v["admission_date"],
            v["official_date"],
            v["admission_place"],
            v["transfer_date"],
        )
        if place and moved_in is None and "transfer_date" not in bad:
            self.error(number, "transfer_date", "", _("Required when the place of admission is filled."))
            bad.add("transfer_date")
        if moved_in is not None and not place:
            self.error(
                number,
                "transfer_date",
                moved_in,
                _("Fill this only for members admitted outside this system, with the place of admission."),
            )
            bad.add("transfer_date")
        if admitted and moved_in and moved_in < admitted:
            self.error(number, "transfer_date", moved_in, _("The transfer date cannot be before the admission date."))
            bad.add("transfer_date")

        if (
            bad
            or self.result.error_count > errors_before
            or cell is None
            or member.birth_date is None
            or admitted is None
        ):
            return None

        if place:
            events = [_Event(EventKind.ADMISSION, admitted, None, place)]
            if official is not None:
                outside = official < moved_in
                events.append(
                    _Event(EventKind.OFFICIAL, official, None if outside else cell.id, place if outside else "")
                )
            events.append(_Event(EventKind.TRANSFER_IN, moved_in, cell.id, place))
        else:
            events = [_Event(EventKind.ADMISSION, admitted, cell.id)]
            if official is not None:
                events.append(_Event(EventKind.OFFICIAL, official, cell.id))
        try:
            state = lifecycle.derive(
                events,
                birth_date=member.birth_date,
                today=self.today,
                limits_for=self.limits,
                member_holding=self.holding,
            )
        except DomainError as exc:
            message = exc.messages[0]
            key = next((k for label, k in self.event_columns.items() if message.startswith(label)), "admission_date")
            self.error(number, key, v.get(key), message)
            return None

        member.status = state.status
        member.organisation_id = state.organisation_id or state.last_organisation_id
        member.org_path = cell.path  # Member.org_path, as Member.save() would write it (the member's cell)
        member.admission_date = state.admission_date
        member.official_date = state.official_date
        member.is_exempt, member.is_suspended, member.is_away = state.is_exempt, state.is_suspended, state.is_away
        entered_official = None
        if official is not None and official != state.official_date:
            # Official from the end of probation (Điều lệ Đảng, Điều 5): the record holds the derived date,
            # and the preview says so on this row (issue 8 item 7).
            entered_official = official
            self.notice(number, "official_date", fmt(official), fmt(state.official_date), kinds.DATE)
        if len(self.result.preview) < PREVIEW_ROWS:
            entered_name = next((w for k, w, _s, _e in v["_legacy"] if k == "full_name"), "")
            self.result.preview.append(_preview(number, member, cell, entered_official, entered_name))
        return _Plan(member, events, state.periods)


def _choice(choices: dict[str, str], key: str, raw: object, converted: list) -> tuple[str | None, object]:
    """The value of a choice column (sex, political theory) and the text it was read from: a value written
    in TCVN3 or VNI ("N÷" for Nữ) is converted first and listed with the row's conversions."""
    value = choices.get(fold(str(raw)))
    if value is None and isinstance(raw, str):
        found = legacy.detect(nfc(raw))
        if found is not None and (value := choices.get(fold(found.text))) is not None:
            converted.append((key, nfc(raw), found.text, found.encoding))
            raw = found.text
    return value, raw


def _preview(
    number: int, member: Member, cell: _Cell, entered_official: dt.date | None, entered_name: str
) -> dict[str, str]:
    return {
        "row": str(number),
        "full_name": member.full_name,
        "full_name_entered": entered_name,  # empty: not converted from a legacy encoding
        "sex": str(Sex(member.sex).label),
        "birth_date": fmt(member.birth_date),
        "citizen_id": member.citizen_id or "",
        "card_number": member.card_number or "",
        "cell": f"{cell.code} · {cell.name}",
        "status": str(Status(member.status).label),
        "admission_date": fmt(member.admission_date),
        "official_date": fmt(member.official_date),
        "official_date_entered": fmt(entered_official),  # empty: stored as entered
    }
