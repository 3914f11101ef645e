"""Study of resolutions, training and commitments (issue 14 items 3–5).

Access (dangvu.study.access): a member lists and reads the campaigns covering their own cell and confirms their
own study; staff (`study.view`) read the campaigns covering their subtrees with the figures of their subtrees;
the committee office (`study.manage`) sets campaigns up. Another campaign or course is a 404; a statistics query
needs `study.view` over the organisation. A rule refusing a change is a 422 with the messages, nothing written."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangvu.accounts.scope import get_organisation_or_404, has_capability
from dangvu.api.access import require
from dangvu.api.idempotency import idempotent
from dangvu.api.pagination import Page
from dangvu.api.periods import year_or_term
from dangvu.api.schemas import ErrorOut
from dangvu.api.schemas_study import (
    MyStudyOut,
    StudyCampaignDetailOut,
    StudyCampaignIn,
    StudyCampaignOut,
    StudyCommitmentOut,
    StudyConfirmIn,
    StudyCountsOut,
    StudyCourseOut,
    StudyEnrolmentOut,
    StudyParticipationOut,
    StudyStatsIn,
)
from dangvu.api.types import Id
from dangvu.docregister.access import documents_for
from dangvu.study import counts, services, stats
from dangvu.study.access import (
    MANAGE,
    VIEW,
    campaigns_for,
    courses_for,
    get_campaign_or_404,
    get_course_or_404,
    own_member,
    sees_figures_of,
)
from dangvu.study.models import Commitment, Enrolment, Participation

router = Router(tags=["study"])
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _figures(f: stats.Figures) -> dict:
    return {
        "expected": f.expected,
        "studied": f.studied,
        "attended": f.attended,
        "confirmed": f.confirmed,
        "rate": f.percent,
    }


def _may_read(request) -> None:
    if own_member(request.auth) is None and not has_capability(request.auth, VIEW):
        raise HttpError(403, _("You do not have access to this."))


def _detail(request, campaign) -> dict:
    member = own_member(request.auth)
    mine = None
    if member is not None:
        row = Participation.objects.filter(campaign=campaign, member=member).first()
        mine = MyStudyOut(
            called=services.must_study(campaign, member),
            attended=bool(row and row.attended),
            confirmed_on=row.confirmed_on if row else None,
            quiz_score=row.quiz_score if row else None,
        )
    rows = [
        {"organisation": org, "figures": _figures(stats.campaign_figures(campaign, org))}
        for org in stats.organisations_of(campaign)
        if sees_figures_of(request.auth, org)
    ]
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "organisation": campaign.organisation,
        "resolution": campaign.resolution,
        "conference_date": campaign.conference_date,
        "ends_on": campaign.ends_on,
        "pass_mark": campaign.pass_mark,
        "notes": campaign.notes,
        "materials": list(campaign.materials.all()),
        "questions": [{"id": q.pk, "text": q.text, "choices": q.choices} for q in campaign.questions.all()],
        "mine": mine,
        "participation": rows,
    }


@router.get("/study/campaigns", summary="List study campaigns", response={200: list[StudyCampaignOut], 403: ErrorOut})
@paginate(Page)
def list_campaigns(request):
    """The campaigns covering the caller's cell (a member) or subtrees (staff), latest conference first."""
    _may_read(request)
    return campaigns_for(request.auth).select_related("organisation", "resolution").order_by("-conference_date", "-id")


@router.get(
    "/study/campaigns/{campaign_id}", summary="A study campaign", response={200: StudyCampaignDetailOut, 404: ErrorOut}
)
def campaign_detail(request, campaign_id: Id):
    return _detail(request, get_campaign_or_404(request.auth, campaign_id))


@router.post(
    "/study/campaigns", summary="Set up a study campaign", response={201: StudyCampaignDetailOut, **WRITE_ERRORS}
)
@idempotent
def create_campaign(request, payload: StudyCampaignIn):
    """A campaign of an organisation of the caller's `study.manage` scope on a registered resolution the caller
    may see, with its materials and optional quiz."""
    require(request, MANAGE)
    organisation = get_organisation_or_404(request.auth, payload.organisation_id, MANAGE)
    visible = documents_for(request.auth)
    resolution = get_object_or_404(visible, pk=payload.resolution_id)
    materials = list(visible.filter(pk__in=payload.material_ids))
    if len(materials) != len(set(payload.material_ids)):
        raise Http404
    spec = services.CampaignSpec(
        organisation=organisation,
        resolution=resolution,
        title=payload.title,
        conference_date=payload.conference_date,
        ends_on=payload.ends_on,
        materials=materials,
        notes=payload.notes,
        pass_mark=payload.pass_mark,
        questions=[services.QuestionSpec(q.text, list(q.choices), q.correct) for q in payload.questions],
    )
    campaign = services.create_campaign(spec, request.auth)
    return Status(201, _detail(request, get_campaign_or_404(request.auth, campaign.pk)))


@router.post(
    "/study/campaigns/{campaign_id}/confirm",
    summary="Confirm studying a campaign",
    response={200: StudyCampaignDetailOut, **WRITE_ERRORS},
)
def confirm(request, campaign_id: Id, payload: StudyConfirmIn):
    """The calling member confirms studying, with the quiz's answers (when the campaign has a quiz) and the
    reflection. A quiz under the pass mark is a 422 and nothing is recorded."""
    campaign = get_campaign_or_404(request.auth, campaign_id)
    member = own_member(request.auth)
    if member is None:
        raise PermissionDenied
    answers = {a.question_id: a.choice for a in payload.answers}
    services.confirm(campaign, member, request.auth, answers=answers, reflection=payload.reflection)
    return _detail(request, campaign)


@router.get(
    "/study/participation",
    summary="Participation in the study of resolutions",
    response={200: StudyParticipationOut, 403: ErrorOut},
)
def participation(request, query: Query[StudyStatsIn]):
    """Members called and who studied in the campaigns held in a year or a term under an organisation of the
    caller's scope, per predecessor and combined (dangvu.study.stats.participation)."""
    require(request, VIEW)
    org = get_organisation_or_404(request.auth, query.organisation_id, VIEW)
    start, end = year_or_term(query)
    result = stats.participation(org, start, end, lineage=query.lineage)
    return {
        "organisation": org,
        "start": start,
        "end": end,
        "combined": _figures(result.total),
        "parts": [{"organisation": p.organisation, "figures": _figures(p.figures)} for p in result.by_organisation],
    }


@router.get("/study/courses", summary="List courses", response={200: list[StudyCourseOut], 403: ErrorOut})
@paginate(Page)
def list_courses(request):
    require(request, VIEW)
    return courses_for(request.auth).select_related("organisation").order_by("-starts_on", "-id")


@router.get("/study/courses/{course_id}", summary="A course", response={200: StudyCourseOut, 404: ErrorOut})
def course_detail(request, course_id: Id):
    return get_course_or_404(request.auth, course_id)


@router.get("/study/me/enrolments", summary="My courses", response={200: list[StudyEnrolmentOut], 403: ErrorOut})
def my_enrolments(request):
    member = own_member(request.auth)
    if member is None:
        raise HttpError(403, _("You do not have access to this."))
    return list(
        Enrolment.objects.filter(member=member).select_related("course__organisation").order_by("-course__starts_on")
    )


@router.get(
    "/study/me/commitments", summary="My yearly commitments", response={200: list[StudyCommitmentOut], 403: ErrorOut}
)
def my_commitments(request):
    member = own_member(request.auth)
    if member is None:
        raise HttpError(403, _("You do not have access to this."))
    return list(Commitment.objects.filter(member=member).order_by("-year"))


@router.get(
    "/study/counts",
    summary="Training, models, commendations and commitments",
    response={200: StudyCountsOut, 403: ErrorOut},
)
def study_counts(request, query: Query[StudyStatsIn]):
    """Courses completed by kind, exemplary models, commendations and commitments in a year or a term under an
    organisation of the caller's scope (dangvu.study.counts)."""
    require(request, VIEW)
    org = get_organisation_or_404(request.auth, query.organisation_id, VIEW)
    start, end = year_or_term(query)
    f = counts.counts(org, start, end, lineage=query.lineage).total
    return {
        "organisation": org,
        "start": start,
        "end": end,
        "completed": f.completed,
        "models_collective": f.models_collective,
        "models_individual": f.models_individual,
        "commendations": f.commendations,
        "commitments": f.commitments,
    }
