"""Inspection and supervision (issue 12 item 1), read only: the inspections and supervisions conducted in the
caller's subtrees, one with its subjects, conclusion and remediation, and the coverage of grassroots
organisations per year with lineage (dangvu.inspection.stats).

Access (dangvu.inspection.access): `inspection.view` (403 without it); an activity or organisation outside
the caller's subtrees is a 404."""

import datetime as dt

from ninja import Query, Router
from ninja.pagination import paginate

from dangvu.accounts.scope import get_organisation_or_404
from dangvu.api.access import require
from dangvu.api.pagination import Page
from dangvu.api.schemas import ErrorOut
from dangvu.api.schemas_inspection import ActivityDetailOut, ActivityOut, CoverageIn, CoverageOut
from dangvu.api.types import Id
from dangvu.inspection import stats
from dangvu.inspection.access import activities_for, get_activity_or_404

router = Router(tags=["inspection"])
VIEW = "inspection.view"


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
    activity = get_activity_or_404(request.auth, activity_id)
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
    }


def _part(part: stats.Coverage) -> dict:
    return {"organisation": part.organisation, "grassroots": part.total, "covered": part.count, "share": part.share}


@router.get(
    "/inspection/coverage", summary="Inspection and supervision coverage", response={200: CoverageOut, 403: ErrorOut}
)
def coverage(request, query: Query[CoverageIn]):
    """Share of grassroots organisations under an organisation of the caller's scope inspected or supervised
    in a year, with each predecessor and combined (`lineage`); the parts add up."""
    require(request, VIEW)
    org = get_organisation_or_404(request.auth, query.organisation_id, VIEW)
    start, end = dt.date(query.year, 1, 1), dt.date(query.year, 12, 31)
    report = stats.coverage(org, start, end, lineage=query.lineage)
    return {
        "organisation": org,
        "start": start,
        "end": end,
        "combined": _part(report.combined),
        "parts": [_part(p) for p in report.parts],
    }
