"""Check and apply a member import: one streaming pass, chunk by chunk, all-or-nothing.

`process()` reads rows in chunks of CHUNK rows. For each chunk it resolves the cell codes and looks up
existing citizen IDs and card numbers with one query each (`__in`), then checks every row in memory:
formats, the member validators, the cell (exists, holds members, lies in the importer's scope) and the
life-cycle rules (dangvu.members.lifecycle.derive on the events the row implies). No query is made per
row, so validation costs a constant number of queries per chunk.

Applying is the same pass with writes: as long as no error has been seen, each chunk is bulk-inserted
(members, their events, their derived periods, and the audit trail of members and events attributed to
the importing user). The caller holds one transaction around the pass; any error raises ImportRefused at
the end, so the transaction rolls back and nothing is written.

Every check and apply of an uploaded file is a background task (dangvu.imports.jobs, run by `dangvu
worker`), whatever the file's size or what it declares. Progress is a side value in the database
(dangvu.tasks.side), written outside the import's own transaction — which is not committed until the end —
so any web process on any machine shows it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangvu.accounts.scope import Scope
from dangvu.imports import jobs
from dangvu.imports import notices as kinds
from dangvu.imports.bulk import Table
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
    match_header,
)
from dangvu.imports.models import ImportJob, JobStatus
from dangvu.imports.notices import RowNotice
from dangvu.imports.readers import estimate_rows, read_upload
from dangvu.lib import legacy
from dangvu.lib.dates import NoSuchDate, fmt, parse_vn_date
from dangvu.lib.errors import DomainError
from dangvu.lib.text import fold, nfc
from dangvu.lib.uploads import excerpt
from dangvu.members import lifecycle
from dangvu.members.counts import add_rows, adjust
from dangvu.members.models import EventKind, Member, MemberEvent, MemberPeriod, Sex, Status
from dangvu.members.services import limits_for
from dangvu.members.validators import validate_member_fields
from dangvu.orgs.models import Organisation, OrgKind
from dangvu.rules.models import RuleSet
from dangvu.tasks import side

log = logging.getLogger(__name__)

CAPABILITY = "members.import"
CHUNK = 2000  # rows checked (and inserted) together; also the bulk_create batch size
MAX_STORED_ERRORS = 5000
PREVIEW_ROWS = 10
SOURCE = "import"

Progress = Callable[[int], None]


@dataclass
class RowError:
    row: int
    column: str  # the header as in the template ("" = the whole row)
    value: str
    message: str

    def as_list(self) -> list:
        return [self.row, self.column, self.value, self.message]


class ImportRefused(DomainError):
    """The rows have errors; nothing was written. `row_errors` holds the report (capped)."""

    def __init__(self, row_errors: list[RowError], error_count: int):
        self.row_errors = row_errors
        self.error_count = error_count
        super().__init__(
            ngettext(
                "The file has %(count)s error; nothing was imported.",
                "The file has %(count)s errors; nothing was imported.",
                error_count,
            )
            % {"count": error_count}
        )


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


class _Tables:
    """Column layouts of the tables an import writes (built once per process)."""

    def __init__(self) -> None:
        self.member = Table(Member)
        self.member_history = Table(Member.history.model)
        self.event = Table(MemberEvent)
        self.event_history = Table(MemberEvent.history.model)
        self.period = Table(MemberPeriod)
        self.member_fields = [a for a in self.member.attnames if a != "id"]
        self.member_tracked = [f.attname for f in Member.history.model.tracked_fields]
        self.event_tracked = [f.attname for f in MemberEvent.history.model.tracked_fields]


_tables: _Tables | None = None


def _layout() -> _Tables:
    global _tables
    if _tables is None:
        _tables = _Tables()
    return _tables


def _history(row: dict[str, Any], table: Table, tracked: list[str], meta: dict[str, Any]) -> dict[str, Any]:
    """The simple-history row of an inserted row: its tracked fields and the history metadata."""
    get, defaults = row.get, table.defaults
    out = {name: get(name, defaults.get(name)) for name in tracked}
    out.update(meta)
    return out


def _write(plans: list[_Plan], user, now: dt.datetime, reason: str, raw=None) -> None:
    """Insert one chunk: members, their events, their periods, and the audit trail (simple-history rows
    of type "+" attributed to the importing user) of members and events. See dangvu.imports.bulk."""
    t = _layout()
    user_id = getattr(user, "pk", None)
    meta = {"history_date": now, "history_change_reason": reason, "history_type": "+", "history_user_id": user_id}
    member_rows = []
    for p in plans:
        m = p.member
        m.created_at = m.updated_at = now
        row = {name: getattr(m, name) for name in t.member_fields}
        row["status"] = str(m.status)
        member_rows.append(row)
    t.member.insert(member_rows, return_ids=True, raw=raw)
    t.member_history.insert([_history(r, t.member, t.member_tracked, meta) for r in member_rows], raw=raw)

    event_rows: list[dict[str, Any]] = []
    period_rows: list[dict[str, Any]] = []
    for p, member_row in zip(plans, member_rows, strict=True):
        member_id = p.member.pk = member_row["id"]
        for e in p.events:
            event_rows.append(
                {
                    "member_id": member_id,
                    "kind": str(e.kind),
                    "date": e.date,
                    "organisation_id": e.organisation_id,
                    "external_organisation": e.external,
                    "source": SOURCE,
                    "recorded_by_id": user_id,
                    "recorded_at": now,
                }
            )
        for q in p.periods:
            period_rows.append(
                {
                    "member_id": member_id,
                    "organisation_id": q.organisation_id,
                    "status": str(q.status),
                    "is_exempt": q.is_exempt,
                    "is_suspended": q.is_suspended,
                    "is_away": q.is_away,
                    "valid_from": q.valid_from,
                    "valid_to": q.valid_to,
                }
            )
    t.event.insert(event_rows, return_ids=True, raw=raw)
    t.event_history.insert([_history(r, t.event, t.event_tracked, meta) for r in event_rows], raw=raw)
    t.period.insert(period_rows, raw=raw)


def _keyed(rows: Iterable[Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Accept reader rows `(number, {key: value})` or plain dicts keyed by column key or header (an optional
    "_row" gives the row number; by default rows count from 2, after a header row)."""
    keys: dict[str, str | None] = {}
    for i, item in enumerate(rows, start=2):
        if isinstance(item, tuple):
            number, record = item
        else:
            number, record = item.get("_row", i), item
        out: dict[str, Any] = {}
        for name, value in record.items():
            key = keys.get(name, "")
            if key == "":
                column = BY_KEY.get(name) or match_header(name)
                key = keys[name] = column.key if column else None
            if key is not None:
                out[key] = value
        yield number, out


class _Writer:
    """Writes checked chunks. On PostgreSQL it writes in a helper thread on the same database connection
    (same transaction) while the next chunk is being read and checked, so that the server inserting one
    chunk overlaps Python checking the next; psycopg serialises the statements of the two threads. One
    chunk at most is in flight; an error of the writer is raised by the next submit() or by close()."""

    def __init__(self, user, now: dt.datetime, reason: str) -> None:
        self.user, self.now, self.reason = user, now, reason
        self.cell_counts: Counter[int] = Counter()  # dangvu.members.counts, added once all chunks are in
        self.future: Future | None = None
        self.executor: ThreadPoolExecutor | None = None
        self.raw = None
        if connection.vendor == "postgresql" and getattr(settings, "DANGVU_IMPORT_WRITER_THREAD", True):
            connection.ensure_connection()
            self.raw = connection.connection
            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dangvu-import-writer")
            # Check foreign keys as each chunk is written (in the writer thread, overlapping the checking
            # of the next chunk) rather than all at COMMIT; put back Django's deferred mode at the end.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def submit(self, plans: list[_Plan]) -> None:
        self.cell_counts.update(add_rows((p.member.organisation_id, p.member.status) for p in plans))
        self.wait()
        if self.executor is None:
            _write(plans, self.user, self.now, self.reason)
        else:
            self.future = self.executor.submit(_write, plans, self.user, self.now, self.reason, self.raw)

    def wait(self) -> None:
        if self.future is not None:
            future, self.future = self.future, None
            future.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self.executor is not None:
                self.executor.shutdown(wait=True)
        adjust(self.cell_counts)  # in the caller's transaction, on its connection
        if self.executor is not None:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def process(
    rows: Iterable[Any],
    user,
    *,
    organisation: Organisation | None = None,
    write: bool = False,
    progress: Progress | None = None,
    today: dt.date | None = None,
    reason: str = "",
) -> Result:
    """Check the rows and, with `write`, insert them chunk by chunk while no error has been seen.
    The caller must hold a transaction when writing and roll it back when the result has errors
    (apply_rows does both). Raises DomainError when the file itself is unreadable."""
    checker = _Checker(user, organisation, today)
    result = checker.result
    chunk: list[tuple[int, dict[str, Any]]] = []
    pending: list[_Plan] = []
    writer = _Writer(user, timezone.now(), reason) if write else None

    def flush() -> None:
        nonlocal pending
        staged = checker.stage(chunk)  # lookups first: they wait for the writer's statement to finish
        if writer is not None and pending and result.error_count == 0:
            writer.submit(pending)  # the previous chunk is written while this one is checked
            result.created += len(pending)
        pending = checker.check(staged)
        result.rows += len(chunk)
        chunk.clear()
        if progress is not None:
            progress(result.rows)

    try:
        for item in _keyed(rows):
            chunk.append(item)
            if len(chunk) >= CHUNK:
                flush()
        if chunk or result.rows == 0:
            flush()
        if writer is not None and pending and result.error_count == 0:
            writer.submit(pending)
            result.created += len(pending)
    finally:
        if writer is not None:
            writer.close()
    if result.rows == 0:
        raise DomainError(_("The file has no data rows."))
    return result


def apply_rows(
    rows: Iterable[Any],
    user,
    progress: Progress | None = None,
    *,
    organisation: Organisation | None = None,
    reason: str = "",
) -> int:
    """Import rows all-or-nothing in ONE transaction and return the number of members created.

    `rows`: reader rows (dangvu.imports.readers.read_upload) or dicts keyed by column key (see
    dangvu.imports.columns: full_name, sex "Nam"/"Nữ", birth_date date or "dd/mm/yyyy", cell_code,
    admission_date, ...) or by Vietnamese header. `user` needs the "members.import" capability over the
    cells. `progress(rows_done)` is called after each chunk. Raises ImportRefused (a DomainError) with the
    row-by-row report when any row is wrong; nothing is written then."""
    with transaction.atomic():
        result = process(rows, user, organisation=organisation, write=True, progress=progress, reason=reason)
        if result.error_count:
            raise ImportRefused(result.errors, result.error_count)
    return result.created


# -- jobs ---------------------------------------------------------------------------------------------


def progress_key(job_id: int) -> str:
    return f"imports:{job_id}:progress"


def get_progress(job: ImportJob) -> int:
    return int(side.get(progress_key(job.pk), 0))


def _progress_for(job_id: int) -> Progress:
    key = progress_key(job_id)

    def report(done: int) -> None:
        side.put(key, done)

    return report


def create_job(user, organisation: Organisation | None, filename: str, data: bytes) -> ImportJob:
    """Store an uploaded file and queue its dry run (dangvu.imports.jobs.check), in one transaction."""
    scope = Scope.of(user, CAPABILITY)
    if scope.empty or (organisation is None and not scope.everything):
        raise DomainError(_("You may not import members."))
    if organisation is not None and not scope.covers_path(organisation.path):
        raise DomainError(_("You may not import into this organisation."))
    job = ImportJob(user=user, organisation=organisation, filename=filename[:255], data=data)
    job.estimated_rows = estimate_rows(data, filename)
    job._history_user = user
    with transaction.atomic():
        job.save()
        side.put(progress_key(job.pk), 0)
        jobs.check.enqueue(job.pk, user.pk, translation.get_language() or settings.LANGUAGE_CODE)
    return job


def _save(job: ImportJob, user, **changes: Any) -> None:
    for name, value in changes.items():
        setattr(job, name, value)
    job._history_user = user
    job.save()


def validate_job(job: ImportJob, user) -> ImportJob:
    """The dry run: check every row, store counts, the first rows and the error report."""
    _save(job, user, status=JobStatus.UPLOADED, started_at=timezone.now())
    try:
        result = process(
            read_upload(bytes(job.data), job.filename),
            user,
            organisation=job.organisation,
            progress=_progress_for(job.pk),
        )
    except DomainError as exc:
        _save(job, user, status=JobStatus.FAILED, message=" ".join(exc.messages), finished_at=timezone.now(), errors=[])
        return job
    except Exception:  # a file that breaks the reader in an unforeseen way must not leave the job hanging
        log.exception("Checking import job %s failed", job.pk)
        message = _("The file could not be read; check that it is a valid .xlsx or CSV file.")
        _save(job, user, status=JobStatus.FAILED, message=message, finished_at=timezone.now(), errors=[])
        return job
    _save(
        job,
        user,
        status=JobStatus.FAILED if result.error_count else JobStatus.VALIDATED,
        total_rows=result.rows,
        error_count=result.error_count,
        errors=[e.as_list() for e in result.errors],
        preview=result.preview,
        notice_count=result.notice_count,
        notice_counts=dict(result.notice_counts),
        notices=[n.as_list() for n in result.notices],
        message="",
        finished_at=timezone.now(),
    )
    return job


def claim_for_apply(job: ImportJob, user) -> bool:
    """Move a clean, validated job to APPLYING and queue its apply (in one transaction); False when another
    request did it first or it is not ready."""
    if not job.can_apply:
        return False
    with transaction.atomic():
        return _claim(job, user)


def _claim(job: ImportJob, user) -> bool:
    claimed = ImportJob.objects.filter(pk=job.pk, status=JobStatus.VALIDATED, error_count=0).update(
        status=JobStatus.APPLYING, started_at=timezone.now(), finished_at=None, message=""
    )
    if claimed:
        job.refresh_from_db()
        _save(job, user)  # audit the transition with the acting user
        side.put(progress_key(job.pk), 0)
        jobs.apply.enqueue(job.pk, user.pk, translation.get_language() or settings.LANGUAGE_CODE)
    return bool(claimed)


def apply_job(job: ImportJob, user) -> ImportJob:
    """Apply a claimed job: re-validate and write in one transaction with the job's final state; on any
    failure everything rolls back and the job records why."""
    try:
        with transaction.atomic():
            result = process(
                read_upload(bytes(job.data), job.filename),
                user,
                organisation=job.organisation,
                write=True,
                progress=_progress_for(job.pk),
                reason=f"import #{job.pk}",
            )
            if result.error_count:
                raise ImportRefused(result.errors, result.error_count)
            if result.notice_count != job.notice_count or [n.as_list() for n in result.notices] != kinds.stored(
                job.notices
            ):
                # A stored value would differ from the preview the user saw (a rule set took effect since).
                raise DomainError(
                    _("The dates to be stored differ from the preview (the rules changed); upload the file again.")
                )
            _save(
                job,
                user,
                status=JobStatus.APPLIED,
                total_rows=result.rows,
                created_count=result.created,
                finished_at=timezone.now(),
            )
    except ImportRefused as exc:
        _save(
            job,
            user,
            status=JobStatus.FAILED,
            error_count=exc.error_count,
            errors=[e.as_list() for e in exc.row_errors],
            message=exc.messages[0],
            finished_at=timezone.now(),
        )
    except DomainError as exc:
        _save(job, user, status=JobStatus.FAILED, message=" ".join(exc.messages), finished_at=timezone.now())
    except Exception:
        log.exception("Import job %s failed", job.pk)
        _save(
            job,
            user,
            status=JobStatus.FAILED,
            message=_("The import failed because of an internal error; nothing was imported."),
            finished_at=timezone.now(),
        )
    return job


def give_up(job_id: int, reason: str) -> None:
    """The task of a job could not finish (its worker died on every attempt): the job is refused with the
    reason, never left "running". Nothing was written: the apply's transaction was rolled back."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not job.running:
        return
    with translation.override(settings.LANGUAGE_CODE):  # run by a worker, outside any request
        message = _("The import was interrupted and could not be completed; nothing was imported.")
    _save(job, job.user, status=JobStatus.FAILED, message=f"{message} ({reason})", finished_at=timezone.now())
