"""Resolution targets (issue 13 item 10): the resolutions of the documents register with their targets, a
target's results per year and over the term to date with the percentage achieved and the verdict, projected to
the end of the term (dangvu.targets.projection), the indicator registry, the records behind a computed figure
(dangvu.targets.provenance, a page at a time), the official reports on a resolution (dangvu.targets.reports:
asked for with a number from the documents register and built in the background — the task's id, the state and
progress, the DOCX and XLSX files), and the office's writes: a target added to a resolution and a result
entered by hand (through dangvu.targets.services only).

Access (dangvu.targets.access), as on the pages: reading needs `targets.view` over the resolution's
organisation (a resolution, target or report outside it is a 404, a list without the capability a 403); writing
and asking for a report need `targets.manage` over it (403). A rule refusing a change is a 422 with the
messages, and nothing is written."""

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from dangvu.accounts.scope import get_organisation_or_404
from dangvu.api.access import require
from dangvu.api.idempotency import idempotent
from dangvu.api.pagination import Page, PageInput
from dangvu.api.schemas import ErrorOut
from dangvu.api.schemas_targets import (
    IndicatorOut,
    ManualOut,
    ProgressOut,
    ProvenanceIn,
    ProvenanceOut,
    ReportIn,
    ReportOut,
    ResolutionFilterIn,
    ResolutionOut,
    TargetIn,
    TargetOut,
    ValueIn,
)
from dangvu.api.types import Id, Line
from dangvu.docregister.access import get_document_or_404
from dangvu.targets import indicators, provenance, reports, services
from dangvu.targets.access import MANAGE, VIEW, can_manage, get_resolution_or_404, resolutions_for
from dangvu.targets.evaluation import Evaluation
from dangvu.targets.models import Report, Source, Target
from dangvu.targets.projection import Projection, progress
from dangvu.targets.report_views import CONTENT_TYPES

router = Router(tags=["targets"])
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def today():
    """The day the results run to (a function, so that tests can set it)."""
    return timezone.localdate()


def _target_or_404(request, target_id: int, capability: str = VIEW) -> Target:
    target = Target.objects.select_related("scope").filter(pk=target_id).first()
    if target is None:
        raise Http404
    target.resolution = get_resolution_or_404(request.auth, target.resolution_id, capability)
    return target


def _number(value) -> float | None:
    return None if value is None else float(value)


def _result(evaluation: Evaluation | None) -> dict | None:
    if evaluation is None:
        return None
    parts = []
    if evaluation.result is not None:
        unit = evaluation.result.indicator.unit
        parts = [
            {
                "organisation": part.organisation,
                "numerator": float(part.numerator),
                "denominator": _number(part.denominator),
                "value": _number(part.value(unit)),
            }
            for part in evaluation.result.parts
        ]
    return {
        "label": evaluation.label,
        "start": evaluation.start,
        "end": evaluation.end,
        "value": _number(evaluation.shown),
        "percent": _number(evaluation.percent),
        "verdict": evaluation.verdict,
        "verdict_label": evaluation.verdict_label,
        "parts": parts,
        "manual": evaluation.manual,
    }


def _projection(projection: Projection | None) -> dict | None:
    if projection is None:
        return None
    return {
        "elapsed_days": projection.elapsed_days,
        "term_days": projection.term_days,
        "value": _number(projection.shown),
        "percent": _number(projection.percent),
        "verdict": projection.verdict,
        "verdict_label": projection.verdict_label,
    }


def _resolutions(request):
    return resolutions_for(request.auth).select_related("organisation", "term").prefetch_related("targets__scope")


@router.get(
    "/targets/resolutions",
    summary="List resolutions with their targets",
    response={200: list[ResolutionOut], 403: ErrorOut},
)
@paginate(Page)
def list_resolutions(request, filters: Query[ResolutionFilterIn]):
    """Resolutions issued in the caller's subtrees (`targets.view`), newest first, each with its targets."""
    require(request, VIEW)
    qs = _resolutions(request)
    if filters.organisation_id:
        qs = qs.filter(organisation_id=filters.organisation_id)
    return qs.order_by("-date", "-id")


@router.get(
    "/targets/resolutions/{resolution_id}",
    summary="A resolution with its targets",
    response={200: ResolutionOut, 404: ErrorOut},
)
def resolution_detail(request, resolution_id: Id):
    return _resolutions(request).get(pk=get_resolution_or_404(request.auth, resolution_id).pk)


@router.get("/targets/indicators", summary="The indicator registry", response={200: list[IndicatorOut], 403: ErrorOut})
def list_indicators(request):
    """The indicators a target can be computed from (its `indicator`), by key."""
    require(request, VIEW)
    return [
        {"key": key, "label": str(ind.label), "unit": ind.unit, "subject": ind.subject}
        for key, ind in sorted(indicators.REGISTRY.items())
    ]


@router.get(
    "/targets/{target_id}",
    summary="A target's results, verdicts and projection",
    response={200: ProgressOut, 404: ErrorOut},
)
def target_progress(request, target_id: Id):
    """The target's result for each year of the term to date and over the term to date, with the percentage
    achieved and the verdict (rule values of the period's last day), and projected to the end of the term at
    the pace so far. A computed result gives its parts: the organisation and each predecessor."""
    target = _target_or_404(request, target_id)
    found = progress(target, today=today())
    unit = indicators.get(target.indicator).unit if target.source == Source.INDICATOR else ""
    return {
        "target": target,
        "unit": unit,
        "years": [_result(e) for e in found.years],
        "to_date": _result(found.to_date),
        "projection": _projection(found.projection),
    }


@router.get(
    "/targets/{target_id}/records/{label}",
    summary="The records behind a target's figure",
    response={200: ProvenanceOut, 404: ErrorOut},
)
def target_records(request, target_id: Id, label: Line, filters: Query[ProvenanceIn], page: Query[PageInput]):
    """The records the indicator counted for the period `label` (a year of the term, or the term's code), all
    parts or one (`part`), the numerator's or the denominator's (`list`), `limit` rows from `offset`; `count`
    is the list's length and equals `figure`. A target entered by hand has none (404)."""
    target = _target_or_404(request, target_id)
    found = provenance.listing(target, label, part=filters.part, which=filters.which, today=today())
    if found is None:
        raise Http404
    rows = found.records[page.offset : page.offset + page.limit]
    items = []
    for org, record in rows:
        row = provenance.describe(record)
        items.append({"part": org, "url": "", **row, "organisation": row.get("organisation") or ""})
    return {
        "target_id": target.pk,
        "label": label,
        "start": found.start,
        "end": found.end,
        "which": filters.which,
        "figure": found.figure,
        "count": found.records.count(),
        "items": items,
    }


@router.post(
    "/targets/resolutions/{resolution_id}/targets",
    summary="Add a target to a resolution",
    response={201: TargetOut, **WRITE_ERRORS},
)
@idempotent
def add_target(request, resolution_id: Id, payload: TargetIn):
    """Add a numbered target to a resolution of the caller's `targets.manage` scope (the next number unless
    `position` is given); its result is computed from `indicator` or entered by hand."""
    require(request, MANAGE)
    resolution = get_resolution_or_404(request.auth, resolution_id)
    if not can_manage(request.auth, resolution):
        raise PermissionDenied
    scope = get_organisation_or_404(request.auth, payload.scope_id) if payload.scope_id else None
    target = services.add_target(
        resolution,
        services.TargetSpec(
            text=payload.text,
            kind=payload.kind,
            period=payload.period,
            subject=payload.subject,
            source=payload.source,
            threshold=payload.threshold,
            strict=payload.strict,
            indicator=payload.indicator.strip(),
            scope=scope,
            position=payload.position,
        ),
        request.auth,
    )
    return Status(201, Target.objects.select_related("scope").get(pk=target.pk))


@router.post("/targets/{target_id}/values", summary="Enter a result by hand", response={201: ManualOut, **WRITE_ERRORS})
@idempotent
def record_value(request, target_id: Id, payload: ValueIn):
    """Enter the result of a target judged by hand, with its evidence: for a year of the term (a yearly
    target) or for the term (`year` empty). The latest entered counts."""
    require(request, MANAGE)
    target = _target_or_404(request, target_id)
    if not can_manage(request.auth, target.resolution):
        raise PermissionDenied
    document = get_document_or_404(request.auth, payload.document_id) if payload.document_id else None
    row = services.record_value(target, payload.year, payload.value, payload.evidence, request.auth, document=document)
    return Status(201, row)


# -- official reports -----------------------------------------------------------------------------------


def _report_or_404(request, report_id: int) -> Report:
    report = Report.objects.select_related("document", "created_by", "resolution").filter(pk=report_id).first()
    if report is None:
        raise Http404
    report.resolution = get_resolution_or_404(request.auth, report.resolution_id)  # scope: 404 outside it
    return report


@router.get(
    "/targets/resolutions/{resolution_id}/reports",
    summary="The official reports on a resolution",
    response={200: list[ReportOut], 404: ErrorOut},
)
@paginate(Page)
def list_reports(request, resolution_id: Id):
    """The reports asked for on a resolution of the caller's `targets.view` scope, newest first, with their
    state, progress and the files ready to download."""
    resolution = get_resolution_or_404(request.auth, resolution_id)
    return resolution.target_reports.select_related("document", "created_by").order_by("-created_at", "-id")


@router.post(
    "/targets/resolutions/{resolution_id}/reports",
    summary="Ask for an official report",
    response={201: ReportOut, **WRITE_ERRORS},
)
@idempotent
def request_report(request, resolution_id: Id, payload: ReportIn):
    """Ask for the report of `kind` over the period `label` (the term's code: the term to date; or one of its
    years): it takes its number in the documents register at once and is built in the background (`job_id`
    is the task); follow `state` and `progress` at GET /targets/reports/{id}, then download its files."""
    require(request, MANAGE)
    resolution = get_resolution_or_404(request.auth, resolution_id)
    if not can_manage(request.auth, resolution):
        raise PermissionDenied
    report = reports.request_report(resolution, payload.kind, payload.label.strip(), request.auth, today=today())
    return Status(201, _report_or_404(request, report.pk))


@router.get(
    "/targets/reports/{report_id}", summary="An official report's state", response={200: ReportOut, 404: ErrorOut}
)
def report_detail(request, report_id: Id):
    """The report's state (queued, running, done, failed), its progress in percent while it is built, the task
    of its latest build and the formats ready to download."""
    return _report_or_404(request, report_id)


@router.post(
    "/targets/reports/{report_id}/build",
    summary="Build an official report again",
    response={202: ReportOut, **WRITE_ERRORS},
)
def rebuild_report(request, report_id: Id):
    """Build the report again with the figures as they are now, keeping its number. While a build is waiting or
    running nothing more is queued: the answer is the report with that build's task."""
    require(request, MANAGE)
    report = _report_or_404(request, report_id)
    if not can_manage(request.auth, report.resolution):
        raise PermissionDenied
    reports.rebuild(report, request.auth, today=today())
    return Status(202, _report_or_404(request, report.pk))


@router.get(
    "/targets/reports/{report_id}/files/{fmt}",
    summary="Download an official report",
    response={404: ErrorOut},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The report as DOCX (Party format) or XLSX, as a download",
                "content": {content_type: {} for content_type in CONTENT_TYPES.values()},
            }
        }
    },
)
def report_file(request, report_id: Id, fmt: Literal["docx", "xlsx"]):
    """The report's file in the format `fmt` once it is built (404 before)."""
    report = _report_or_404(request, report_id)
    stored = getattr(report, fmt)
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = f"{report.document.number.replace('/', '-')}-{report.label}.{fmt}"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
