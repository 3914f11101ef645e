"""Discipline (issue 12 item 2): cases, their decision and appeal, and the statistics.

Access (dangvu.discipline.access): case files need `discipline.cases` over the subject's organisation
(another case is a 404), writes `discipline.manage` (403 without it anywhere, 404 for a subject outside
it); the statistics `discipline.view`. A rule refusing a change is a 422 with the messages, and nothing is
written (every change goes through dangvu.discipline.services).
"""

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
from dangvu.api.schemas_discipline import (
    AppealIn,
    AppealOutcomeIn,
    CaseFilterIn,
    CaseIn,
    CaseOut,
    DecisionIn,
    StatsIn,
    StatsOut,
)
from dangvu.api.types import Id
from dangvu.discipline import services, stats
from dangvu.discipline.access import can_manage, cases_for, get_case_or_404

router = Router(tags=["discipline"])
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MANAGE = "discipline.manage"
RELATED = ("member", "organisation", "decided_by")


def _managed(request, case_id: int):
    require(request, MANAGE)
    case = get_case_or_404(request.auth, case_id)
    if not can_manage(request.auth, case):
        raise HttpError(403, _("You do not have access to this."))
    return case


def _fresh(request, case_id: int):
    return cases_for(request.auth).select_related(*RELATED).get(pk=case_id)


@router.get("/discipline/cases", summary="List discipline cases", response={200: list[CaseOut], 403: ErrorOut})
@paginate(Page)
def list_cases(request, filters: Query[CaseFilterIn]):
    """Cases of the caller's subtrees (`discipline.cases`), newest first; filters: state, member, year."""
    require(request, "discipline.cases")
    qs = cases_for(request.auth)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.member_id:
        qs = qs.filter(member_id=filters.member_id)
    if filters.year:
        qs = qs.filter(violation_date__year=filters.year)
    return qs.select_related(*RELATED).order_by("-opened_on", "-id")


@router.get("/discipline/cases/{case_id}", summary="A discipline case", response={200: CaseOut, 404: ErrorOut})
def case_detail(request, case_id: Id):
    return get_case_or_404(request.auth, case_id)


@router.post("/discipline/cases", summary="Open a discipline case", response={201: CaseOut, **WRITE_ERRORS})
@idempotent
def open_case(request, payload: CaseIn):
    """A case on a member (in the Party) or an organisation of the caller's `discipline.manage` scope; the
    proposed form must be allowed for the subject and within the limitation period on `opened_on`."""
    require(request, MANAGE)
    if (payload.member_id is None) == (payload.organisation_id is None):
        raise HttpError(422, _("A case is about one party member or one party organisation."))
    subject = (
        {"member": get_member_or_404(request.auth, payload.member_id, MANAGE)}
        if payload.member_id
        else {"organisation": get_organisation_or_404(request.auth, payload.organisation_id, MANAGE)}
    )
    case = services.open_case(
        **subject,
        category=payload.category,
        facts=payload.facts,
        violation_date=payload.violation_date,
        proposed_form=payload.proposed_form,
        opened_on=payload.opened_on,
        actor=request.auth,
    )
    return Status(201, _fresh(request, case.pk))


@router.post(
    "/discipline/cases/{case_id}/decision", summary="Record the decision", response={200: CaseOut, **WRITE_ERRORS}
)
def decide(request, case_id: Id, payload: DecisionIn):
    """The form, the deciding body (an organisation the authority table names, with its organ), the
    decision's number, date and effective date. Expulsion, dissolution and removal from post are carried out
    through the member, organisation and committee records."""
    case = _managed(request, case_id)
    decided_by = get_organisation_or_404(request.auth, payload.decided_by_id, "orgs.view")
    services.decide(
        case,
        services.Decision(
            form=payload.form,
            decided_by=decided_by,
            organ=payload.organ,
            document_number=payload.document_number,
            document_date=payload.document_date,
            issuer=payload.issuer,
            effective_date=payload.effective_date,
            seat_id=payload.seat_id,
        ),
        request.auth,
    )
    return _fresh(request, case.pk)


@router.post("/discipline/cases/{case_id}/appeal", summary="Record an appeal", response={200: CaseOut, **WRITE_ERRORS})
def appeal(request, case_id: Id, payload: AppealIn):
    case = _managed(request, case_id)
    services.lodge_appeal(case, payload.lodged_on, payload.lodged_with, request.auth)
    return _fresh(request, case.pk)


@router.post(
    "/discipline/cases/{case_id}/appeal-outcome",
    summary="Record the outcome of an appeal",
    response={200: CaseOut, **WRITE_ERRORS},
)
def appeal_outcome(request, case_id: Id, payload: AppealOutcomeIn):
    case = _managed(request, case_id)
    services.settle_appeal(
        case,
        payload.outcome,
        payload.decided_on,
        payload.document_number,
        request.auth,
        new_form=payload.new_form or "",
        note=payload.note,
    )
    return _fresh(request, case.pk)


def _counts(counts: stats.Counts) -> dict:
    return {
        "organisation": counts.organisation,
        "forms": [
            {
                "form": form,
                "label": label,
                "members": counts.by_subject[stats.MEMBERS][form],
                "committee_members": counts.by_subject[stats.COMMITTEE_MEMBERS][form],
                "organisations": counts.by_subject[stats.ORGANISATIONS][form],
            }
            for form, label, _n in counts.all_forms()
        ],
        "categories": dict(counts.categories),
        "members": counts.members,
        "committee_members": counts.committee_members,
        "organisations": counts.organisations,
        "total": counts.total,
    }


@router.get("/discipline/statistics", summary="Discipline statistics", response={200: StatsOut, 403: ErrorOut})
def statistics(request, query: Query[StatsIn]):
    """Discipline in force taking effect in a year or a term under an organisation of the caller's scope, by
    form, category and subject, with each predecessor and combined (`lineage`; dangvu.discipline.stats)."""
    require(request, "discipline.view")
    org = get_organisation_or_404(request.auth, query.organisation_id, "discipline.view")
    start, end = year_or_term(query)
    report = stats.discipline(org, start, end, lineage=query.lineage)
    return {
        "organisation": org,
        "start": start,
        "end": end,
        "combined": _counts(report.combined),
        "parts": [_counts(p) for p in report.parts],
    }
