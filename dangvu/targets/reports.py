"""Official reports on a resolution (issue 13 item 8): what they hold and how they are asked for and built.

- **The targets' appendix** ("Kết quả thực hiện chỉ tiêu Nghị quyết", seed 003 appendices 1–3): for each
  target, its text, the result and the verdict over the report's period — the term to date, or one year of it
  — from dangvu.targets.evaluation (the same evaluations as the resolution's page). One table per predecessor
  (each part of the computed figures: the organisation and each organisation merged or split into it) and
  one combined. A yearly target lists each year of the period with its verdict; its verdict in the table is
  the lowest of those years ("hằng năm": every year must be met). Per predecessor, a share (floor, ceiling,
  rate) is judged by the same verdict function and rule values; a count is not judged per predecessor (the
  resolution sets it for the whole) and its parts add up to the combined count. A result entered by hand has
  no parts: shown in the combined table only.
- **The members' summary**: dangvu.members.stats.summary on the period's last day, per predecessor and
  combined, with the increase and decrease over the period.

`request_report` registers the report's number in the documents register (dangvu.docregister.services:
numbers under the series lock, so two reports asked for at once get different numbers) and queues the
build (dangvu.targets.jobs.build_report) in the same transaction; `rebuild` queues it again with the same
number. `build` writes the DOCX and XLSX (dangvu.targets.report_files) and reports its progress through
dangvu.tasks.side (visible while the build runs).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangvu.docregister import services as register
from dangvu.docregister.models import DocType, Document
from dangvu.lib.errors import DomainError
from dangvu.orgs.models import Organisation
from dangvu.rules.registry import rules_on
from dangvu.targets import indicators, verdicts
from dangvu.targets.access import can_manage
from dangvu.targets.evaluation import Evaluation, evaluate, periods
from dangvu.targets.models import Kind, Report, ReportKind, ReportState, Target
from dangvu.tasks import side

log = logging.getLogger(__name__)
WORST_FIRST = list(reversed(verdicts.Verdict.values))  # not met … exceeded
TITLES = {
    ReportKind.TARGETS: "Kết quả thực hiện chỉ tiêu Nghị quyết số {number}",
    ReportKind.MEMBERS: "Thống kê đảng viên (thực hiện Nghị quyết số {number})",
}


# -- the period -----------------------------------------------------------------------------------------


def period_choices(resolution: Document, today: dt.date | None = None) -> list[tuple[str, str]]:
    """The term to date and each year of it up to today: (label, label)."""
    today = today or timezone.localdate()
    term = resolution.term
    years = [str(y) for y in range(term.start.year, min(term.end, today).year + 1)] if today >= term.start else []
    return [(term.code, term.code), *((y, y) for y in years)]


def period_range(resolution: Document, label: str, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """[start, end] of a period label (the term to date, or a year of it clipped to the term and today)."""
    today = today or timezone.localdate()
    term = resolution.term
    if label == term.code:
        start, end = term.start, min(term.end, today)
    else:
        try:
            year = int(label)
        except ValueError:
            raise DomainError({"label": [_("Choose the term or one of its years.")]}) from None
        start, end = max(term.start, dt.date(year, 1, 1)), min(term.end, today, dt.date(year, 12, 31))
    if end < start:
        raise DomainError({"label": [_("Choose the term or one of its years.")]})
    return start, end


# -- the targets' appendix ------------------------------------------------------------------------------


@dataclass
class Cell:
    """One period of one target for one part (or combined): the figure, the share and the verdict."""

    label: str
    value: Decimal | None  # rounded as people read it (counts whole, shares and rates to 2 places)
    percent: Decimal | None  # of the target achieved (207.0)
    verdict: str  # a verdicts.Verdict value, "" when not judged


@dataclass
class Row:
    target: Target
    unit: str  # indicators.COUNT / PERCENT / RATE
    cells: list[Cell]

    @property
    def verdict(self) -> str:
        """The lowest verdict over the periods ("" when none is judged)."""
        found = [c.verdict for c in self.cells if c.verdict]
        return min(found, key=WORST_FIRST.index) if found else ""


@dataclass
class Appendix:
    organisation: Organisation | None  # None: combined
    rows: list[Row] = field(default_factory=list)


def _rounded(value: Fraction | None, unit: str) -> Decimal | None:
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("1") if unit == indicators.COUNT else Decimal("0.01"))


def _unit(target: Target, evaluation: Evaluation) -> str:
    if evaluation.result is not None:
        return evaluation.result.indicator.unit
    if target.kind in (Kind.COUNT,):
        return indicators.COUNT
    return indicators.RATE if target.kind == Kind.RATE else indicators.PERCENT


def _part_cell(target: Target, evaluation: Evaluation, part: indicators.Value, unit: str) -> Cell:
    value = part.value(unit)
    percent, verdict = None, ""
    if value is not None and target.kind not in (Kind.COUNT, Kind.QUALITATIVE):
        threshold = Fraction(str(target.threshold))
        percent = verdicts.percent(verdicts.achieved(target.kind, threshold, value))
        values = rules_on(evaluation.end)
        verdict = verdicts.verdict(target.kind, threshold, value, values, strict=target.strict)
    return Cell(evaluation.label, _rounded(value, unit), percent, verdict)


def evaluations(target: Target, start: dt.date, end: dt.date) -> list[Evaluation]:
    """The target's evaluations (dangvu.targets.evaluation) whose period lies in [start, end]."""
    return [
        evaluate(target, label, s, e)
        for label, s, e in periods(target, today=end)
        if s >= start or label == target.resolution.term.code
    ]


def appendices(resolution: Document, start: dt.date, end: dt.date, progress=None) -> list[Appendix]:
    """The per-predecessor tables (one per part that the computed figures have) and the combined one last."""
    targets = list(resolution.targets.select_related("scope", "resolution__term"))
    combined = Appendix(None)
    parts: dict[int, Appendix] = {}
    for i, target in enumerate(targets, start=1):
        found = evaluations(target, start, end)
        unit = _unit(target, found[0]) if found else indicators.PERCENT
        combined.rows.append(Row(target, unit, [Cell(e.label, e.shown, e.percent, e.verdict) for e in found]))
        by_part: dict[int, list[Cell]] = {}
        for evaluation in found:
            if evaluation.result is None:
                continue
            for part in evaluation.result.parts:
                parts.setdefault(part.organisation.pk, Appendix(part.organisation))
                by_part.setdefault(part.organisation.pk, []).append(_part_cell(target, evaluation, part, unit))
        for pk, cells in by_part.items():
            parts[pk].rows.append(Row(target, unit, cells))
        if progress:
            progress(i, len(targets))
    return [*parts.values(), combined]


# -- asking for and building ----------------------------------------------------------------------------


def progress_key(report_id: int) -> str:
    return f"targets:report:{report_id}:progress"


def get_progress(report: Report) -> int:
    if not report.running:
        return report.progress
    return int(side.get(progress_key(report.pk), 0))


def _queue(report: Report) -> None:
    """Queue the build and keep its task's id on the report (`job_id`, saved by the caller)."""
    from dangvu.targets import jobs

    side.put(progress_key(report.pk), 0)
    language = translation.get_language() or settings.LANGUAGE_CODE
    report.job_id = str(jobs.build_report.enqueue(report.pk, language).id)


def _save(obj, actor, reason: str) -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()


@transaction.atomic
def request_report(resolution: Document, kind: str, label: str, actor, *, today: dt.date | None = None) -> Report:
    """Register the report's number and queue its build. PermissionDenied unless the actor manages the
    resolution's targets; the register refuses an actor who may not register for the organisation."""
    if not can_manage(actor, resolution):
        raise PermissionDenied
    if kind not in ReportKind.values:
        raise DomainError({"kind": [_("Choose the kind of report.")]})
    today = today or timezone.localdate()
    start, end = period_range(resolution, label, today)
    entry = register.Entry(
        organisation=resolution.organisation,
        doc_type=DocType.REPORT,
        date=today,
        title=TITLES[ReportKind(kind)].format(number=resolution.number) + f", {label}",
    )
    document = register.register(entry, actor)
    from dangvu.documents.admission import document_place

    report = Report(
        resolution=resolution,
        kind=kind,
        label=label,
        start=start,
        end=end,
        document=document,
        place=document_place(),
        created_by=actor,
    )
    _save(report, actor, "request")
    _queue(report)
    Report.objects.filter(pk=report.pk).update(job_id=report.job_id)
    return report


@transaction.atomic
def rebuild(report: Report, actor, *, today: dt.date | None = None) -> bool:
    """Queue the report's build again (the figures as they are now), with the same number; False while a
    build is waiting or running."""
    if not can_manage(actor, report.resolution):
        raise PermissionDenied
    today = today or timezone.localdate()
    moved = Report.objects.filter(pk=report.pk, state__in=[ReportState.DONE, ReportState.FAILED]).update(
        state=ReportState.QUEUED, progress=0, message=""
    )
    if not moved:
        return False
    report.refresh_from_db()
    if report.label == report.resolution.term.code:  # the term to date moves on with the days
        report.start, report.end = period_range(report.resolution, report.label, today)
    _queue(report)
    _save(report, actor, "rebuild")
    return True


def build(report: Report) -> Report:
    """Compute the figures and write the files (in the job). Idempotent: builds a waiting report once."""
    from dangvu.targets import report_files

    claimed = Report.objects.filter(pk=report.pk, state=ReportState.QUEUED).update(state=ReportState.RUNNING)
    if not claimed:
        return report
    report.refresh_from_db()
    key = progress_key(report.pk)

    def progress(done: int, total: int) -> None:
        side.put(key, int(90 * done / max(total, 1)))

    try:
        docx, xlsx = report_files.render(report, progress)
    except Exception as error:  # a report that cannot be built must say so, never stay "being built"
        log.exception("Building report %s failed", report.pk)
        Report.objects.filter(pk=report.pk).update(state=ReportState.FAILED, message=str(error)[:500])
        report.refresh_from_db()
        return report
    stem = f"bao-cao-{report.document.serial:02d}-{report.kind}-{report.label}"
    with transaction.atomic():
        for field_name, data, ext in (("docx", docx, "docx"), ("xlsx", xlsx, "xlsx")):
            old = getattr(report, field_name)
            if old:
                old.delete(save=False)
            getattr(report, field_name).save(f"{stem}.{ext}", ContentFile(data), save=False)
        report.state, report.progress, report.builds = ReportState.DONE, 100, report.builds + 1
        report.built_at = timezone.now()
        _save(report, report.created_by, "built")
    side.put(key, 100)
    return report


def give_up(report_id: int, reason: str) -> None:
    Report.objects.filter(pk=report_id).exclude(state=ReportState.DONE).update(
        state=ReportState.FAILED, message=reason[:500]
    )
