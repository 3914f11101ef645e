"""Inspection and supervision (issue 12 item 1): the programmes and the inspections and supervisions
conducted in the caller's subtrees, one with its subjects, conclusion and remediation, and the coverage of
grassroots organisations per year or term with lineage (dangvu.inspection.stats); recording them (programmes,
activities with subjects and team, the conclusion, remediation items and their closure with evidence).

Access (dangvu.inspection.access): reading needs `inspection.view`, writing `inspection.manage` (403 without
it anywhere); an activity, item or organisation outside the caller's subtrees is a 404. A rule refusing a
change is a 422 with the messages and nothing is written (every change goes through
dangvu.inspection.services). Creating operations accept an `Idempotency-Key`."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangvu.accounts.scope import get_member_or_404, get_organisation_or_404
from dangvu.api.access import require
from dangvu.api.idempotency import idempotent
from dangvu.api.pagination import Page
from dangvu.api.periods import year_or_term
from dangvu.api.schemas import ErrorOut
from dangvu.api.schemas_inspection import (
    ActivityDetailOut,
    ActivityIn,
    ActivityOut,
    ClosureIn,
    ConclusionIn,
    CoverageIn,
    CoverageOut,
    IssueReportIn,
    ProgrammeIn,
    ProgrammeOut,
    RemediationIn,
    RemediationOut,
    RemediationStatsOut,
    SubjectsIn,
    SuggestionIn,
    SuggestionIssueOut,
    SuggestionOut,
    TeamIn,
)
from dangvu.api.types import Id
from dangvu.inspection import services, stats, suggestions
from dangvu.inspection.access import (
    activities_for,
    get_activity_or_404,
    get_suggestion_or_404,
    is_addressee,
    may_read_suggestions,
    programmes_for,
    suggestions_for,
)
from dangvu.inspection.models import ActivityFile, Remediation, SuggestionIssue
from dangvu.inspection.views_files import serve

router = Router(tags=["inspection"])
VIEW, MANAGE = "inspection.view", "inspection.manage"
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get(
    "/inspection/activities",
    summary="List inspections and supervisions",
    response={200: list[ActivityOut], 403: ErrorOut},
)
@paginate(Page)
def list_activities(request):
    """Inspections and supervisions conducted by organisations of the caller's subtrees, newest first."""
    require(request, VIEW)
    return activities_for(request.auth).select_related("organisation").order_by("-start", "-id")


@router.get(
    "/inspection/activities/{activity_id}",
    summary="An inspection or supervision",
    response={200: ActivityDetailOut, 403: ErrorOut, 404: ErrorOut},
)
def get_activity(request, activity_id: Id):
    require(request, VIEW)
    return _detail(get_activity_or_404(request.auth, activity_id))


def _detail(activity) -> dict:
    subjects = [
        {
            "organisation": s.organisation,
            "member_id": s.member_id,
            "member_name": s.member.full_name if s.member_id else None,
        }
        for s in activity.subjects.select_related("organisation", "member")
    ]
    return {
        **{f: getattr(activity, f) for f in ActivityOut.model_fields if f != "organisation"},
        "organisation": activity.organisation,
        "team": activity.team,
        "conclusion": activity.conclusion,
        "conclusion_number": activity.conclusion_number,
        "subjects": subjects,
        "remediations": list(activity.remediations.all()),
        "files": list(activity.files.filter(withdrawn_at__isnull=True)),
    }


@router.get(
    "/inspection/files/{file_id}",
    summary="A document of an inspection or supervision",
    response={403: ErrorOut, 404: ErrorOut},
    openapi_extra={
        "responses": {
            "200": {"description": "The file: a PDF inline, anything else as a download", "content": {"*/*": {}}}
        }
    },
)
def get_file(request, file_id: Id):
    """The file of a document listed in the activity's `files` (a withdrawn one is a 404). Uploading is
    done on the activity's page: API bodies are JSON of at most 1 MB (docs/decisions.md)."""
    require(request, VIEW)
    stored = ActivityFile.objects.filter(
        pk=file_id, activity__in=activities_for(request.auth), withdrawn_at__isnull=True
    ).first()
    if stored is None:
        raise Http404
    return serve(stored)


def _part(part: stats.Coverage) -> dict:
    return {"organisation": part.organisation, "grassroots": part.total, "covered": part.count, "share": part.share}


@router.get(
    "/inspection/coverage",
    summary="Inspection and supervision coverage",
    response={200: CoverageOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def coverage(request, query: Query[CoverageIn]):
    """Share of grassroots organisations under an organisation of the caller's scope inspected or supervised
    in a year or a term (`year` or `term`; the term wins), with each predecessor and combined (`lineage`);
    the parts add up. Over a term an organisation covered in several of its years counts once."""
    require(request, VIEW)
    org = get_organisation_or_404(request.auth, query.organisation_id, VIEW)
    start, end = year_or_term(query)
    report = stats.coverage(org, start, end, lineage=query.lineage)
    return {
        "organisation": org,
        "start": start,
        "end": end,
        "combined": _part(report.combined),
        "parts": [_part(p) for p in report.parts],
    }


def _remedied(part: stats.Remedied) -> dict:
    return {
        "organisation": part.organisation,
        "due": part.total,
        "on_time": len(part.on_time),
        "late": len(part.late),
        "overdue": len(part.overdue),
        "share": part.share,
    }


@router.get(
    "/inspection/remediation-on-time",
    summary="Remediation done on time",
    response={200: RemediationStatsOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def remediation_on_time(request, query: Query[CoverageIn]):
    """Remediation items due in a year or a term (`year` or `term`; the term wins) after inspections and
    supervisions conducted under an organisation of the caller's scope, and those done on time, with each
    predecessor and combined (`lineage`); the parts add up, and a term's figures are the sums over its
    years."""
    require(request, VIEW)
    org = get_organisation_or_404(request.auth, query.organisation_id, VIEW)
    start, end = year_or_term(query)
    report = stats.remediation_on_time(org, start, end, lineage=query.lineage)
    return {
        "organisation": org,
        "start": start,
        "end": end,
        "combined": _remedied(report.combined),
        "parts": [_remedied(p) for p in report.parts],
    }


@router.get("/inspection/programmes", summary="List programmes", response={200: list[ProgrammeOut], 403: ErrorOut})
@paginate(Page)
def list_programmes(request):
    """Yearly inspection and supervision programmes of the organisations of the caller's subtrees."""
    require(request, VIEW)
    return programmes_for(request.auth).select_related("organisation").order_by("-year", "organisation__path")


@router.post("/inspection/programmes", summary="Record a programme", response={201: ProgrammeOut, **WRITE_ERRORS})
@idempotent
def create_programme(request, payload: ProgrammeIn):
    """The yearly programme of a committee or of its inspection committee (one per body and year)."""
    require(request, MANAGE)
    programme = services.create_programme(
        organisation=get_organisation_or_404(request.auth, payload.organisation_id, MANAGE),
        organ=payload.organ,
        year=payload.year,
        title=payload.title,
        approved_on=payload.approved_on,
        document_number=payload.document_number,
        actor=request.auth,
    )
    return Status(201, programme)


def _subjects(request, payload: SubjectsIn) -> dict:
    return {
        "organisations": [
            get_organisation_or_404(request.auth, pk, MANAGE) for pk in dict.fromkeys(payload.organisation_ids)
        ],
        "members": [get_member_or_404(request.auth, pk, MANAGE) for pk in dict.fromkeys(payload.member_ids)],
    }


def _managed(request, activity_id: int):
    require(request, MANAGE)
    return get_activity_or_404(request.auth, activity_id, MANAGE)


def _fresh(request, activity_id: int) -> dict:
    return _detail(get_activity_or_404(request.auth, activity_id))


@router.post(
    "/inspection/activities",
    summary="Record an inspection or supervision",
    response={201: ActivityDetailOut, **WRITE_ERRORS},
)
@idempotent
def create_activity(request, payload: ActivityIn):
    """An inspection (regular, thematic, on signs of violation) or supervision (regular, thematic) with its
    subjects, each under the conducting organisation on the first day; in a programme of the same body and
    year unless it is an inspection on signs of violation."""
    require(request, MANAGE)
    programme = None
    if payload.programme_id is not None:
        programme = programmes_for(request.auth, MANAGE).filter(pk=payload.programme_id).first()
        if programme is None:
            raise Http404
    activity = services.create_activity(
        services.Plan(
            organisation=get_organisation_or_404(request.auth, payload.organisation_id, MANAGE),
            organ=payload.organ,
            kind=payload.kind,
            mode=payload.mode,
            title=payload.title,
            start=payload.start,
            end=payload.end,
            team=payload.team,
            programme=programme,
            decision_number=payload.decision_number,
            decided_on=payload.decided_on,
            **_subjects(request, payload),
        ),
        request.auth,
    )
    return Status(201, _fresh(request, activity.pk))


@router.patch(
    "/inspection/activities/{activity_id}", summary="Change the team", response={200: ActivityDetailOut, **WRITE_ERRORS}
)
def set_team(request, activity_id: Id, payload: TeamIn):
    """The team of an activity not yet concluded."""
    activity = _managed(request, activity_id)
    services.set_team(activity, payload.team, actor=request.auth)
    return _fresh(request, activity.pk)


@router.post(
    "/inspection/activities/{activity_id}/subjects",
    summary="Add subjects",
    response={201: ActivityDetailOut, **WRITE_ERRORS},
)
@idempotent
def add_subjects(request, activity_id: Id, payload: SubjectsIn):
    """Organisations or members added to an activity not yet concluded (one already a subject is a 422)."""
    activity = _managed(request, activity_id)
    services.add_subjects(activity, actor=request.auth, **_subjects(request, payload))
    return Status(201, _fresh(request, activity.pk))


@router.post(
    "/inspection/activities/{activity_id}/conclusion",
    summary="Record the conclusion",
    response={200: ActivityDetailOut, **WRITE_ERRORS},
)
def conclude(request, activity_id: Id, payload: ConclusionIn):
    """The conclusion, on or after the last day; it cannot be changed afterwards (a second one is a 422)."""
    activity = _managed(request, activity_id)
    services.conclude(
        activity,
        concluded_on=payload.concluded_on,
        conclusion=payload.conclusion,
        number=payload.conclusion_number,
        actor=request.auth,
    )
    return _fresh(request, activity.pk)


@router.post(
    "/inspection/activities/{activity_id}/remediations",
    summary="Add a remediation item",
    response={201: RemediationOut, **WRITE_ERRORS},
)
@idempotent
def add_remediation(request, activity_id: Id, payload: RemediationIn):
    activity = _managed(request, activity_id)
    item = services.add_remediation(
        activity, description=payload.description, owner=payload.owner, deadline=payload.deadline, actor=request.auth
    )
    return Status(201, item)


@router.post(
    "/inspection/remediations/{remediation_id}/closure",
    summary="Close a remediation item with its evidence",
    response={200: RemediationOut, **WRITE_ERRORS},
)
def close_remediation(request, remediation_id: Id, payload: ClosureIn):
    """Closed once, with the date it was remedied and the evidence (a second closure is a 422)."""
    require(request, MANAGE)
    item = Remediation.objects.filter(pk=remediation_id, activity__in=activities_for(request.auth, MANAGE)).first()
    if item is None:
        raise Http404
    return services.close_remediation(item, closed_on=payload.closed_on, evidence=payload.evidence, actor=request.auth)


def _require_reader(request) -> None:
    if not may_read_suggestions(request.auth):
        raise HttpError(403, _("You do not have access to this."))


@router.get(
    "/inspection/suggestions", summary="List review suggestions", response={200: list[SuggestionOut], 403: ErrorOut}
)
@paginate(Page)
def list_suggestions(request):
    """Review suggestions sent by organisations of the caller's subtrees and those addressed to the caller (as
    the member addressed, or the cell secretary or a leader of the collective addressed), newest first, with
    their issues."""
    _require_reader(request)
    rows = (
        suggestions_for(request.auth)
        .select_related("sender", "organisation", "member")
        .prefetch_related("issues")
        .order_by("-sent_on", "-id")
    )
    return rows


@router.get(
    "/inspection/suggestions/{suggestion_id}",
    summary="A review suggestion",
    response={200: SuggestionOut, 403: ErrorOut, 404: ErrorOut},
)
def get_suggestion(request, suggestion_id: Id):
    _require_reader(request)
    return get_suggestion_or_404(request.auth, suggestion_id)


@router.post(
    "/inspection/suggestions", summary="Send a review suggestion", response={201: SuggestionOut, **WRITE_ERRORS}
)
@idempotent
def send_suggestion(request, payload: SuggestionIn):
    """Issues (text and deadline) sent by a committee to one collective or one member under it on `sent_on`,
    for their self-criticism review (gợi ý kiểm điểm)."""
    require(request, MANAGE)
    if (payload.member_id is None) == (payload.organisation_id is None):
        raise HttpError(422, _("Choose one collective or one member."))
    addressee = (
        {"member": get_member_or_404(request.auth, payload.member_id, MANAGE)}
        if payload.member_id
        else {"organisation": get_organisation_or_404(request.auth, payload.organisation_id, MANAGE)}
    )
    item = suggestions.send(
        sender=get_organisation_or_404(request.auth, payload.sender_id, MANAGE),
        year=payload.year,
        sent_on=payload.sent_on,
        issues=[(i.text, i.deadline) for i in payload.issues],
        document_number=payload.document_number,
        actor=request.auth,
        **addressee,
    )
    return Status(201, get_suggestion_or_404(request.auth, item.pk))


@router.post(
    "/inspection/suggestion-issues/{issue_id}/closure",
    summary="Close an issue of a review suggestion with its evidence",
    response={200: SuggestionIssueOut, **WRITE_ERRORS},
)
def close_suggestion_issue(request, issue_id: Id, payload: ClosureIn):
    require(request, MANAGE)
    issue = SuggestionIssue.objects.filter(pk=issue_id, suggestion__in=suggestions_for(request.auth, MANAGE)).first()
    if issue is None:
        raise Http404
    return suggestions.close_issue(issue, closed_on=payload.closed_on, evidence=payload.evidence, actor=request.auth)


@router.post(
    "/inspection/suggestion-issues/{issue_id}/report",
    summary="Report what was done on an issue of a review suggestion",
    response={200: SuggestionIssueOut, **WRITE_ERRORS},
)
def report_suggestion_issue(request, issue_id: Id, payload: IssueReportIn):
    """By the addressee only (the member addressed, or the cell secretary or a leader of the collective
    addressed; 403 for another reader, 404 for an issue the caller cannot read), while the issue is open; a
    later report replaces it. The sending committee then confirms the closure with its evidence."""
    _require_reader(request)
    issue = SuggestionIssue.objects.filter(pk=issue_id, suggestion__in=suggestions_for(request.auth)).first()
    if issue is None:
        raise Http404
    if not is_addressee(request.auth, issue.suggestion):
        raise HttpError(403, _("Only the addressee reports what was done."))
    return suggestions.report_issue(issue, reported_on=payload.reported_on, report=payload.report, actor=request.auth)
