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

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
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
from dangvu.imports.checking import (  # noqa: F401  (re-exported: the public names of an import)
    CAPABILITY,
    MAX_STORED_ERRORS,
    PREVIEW_ROWS,
    Result,
    RowError,
    _Checker,
    _Plan,
)
from dangvu.imports.columns import (
    BY_KEY,
    match_header,
)
from dangvu.imports.models import ImportJob, JobStatus
from dangvu.imports.readers import estimate_rows, read_upload
from dangvu.lib.errors import DomainError
from dangvu.members.counts import add_rows, adjust
from dangvu.members.models import Member, MemberEvent, MemberPeriod
from dangvu.orgs.models import Organisation
from dangvu.tasks import side

log = logging.getLogger(__name__)

CHUNK = 2000  # rows checked (and inserted) together; also the bulk_create batch size
SOURCE = "import"

Progress = Callable[[int], None]


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
