"""Admission of new members: candidates' files and their steps, and admission counts for targets.

Access (dangvu.admission.access, dangvu.accounts.permissions): reading needs `admission.view` on the
candidate's cell (staff of the subtree); opening a file and the cell's steps need `admission.propose`
(cell secretary, committee office, administrator); the committee's steps, and withdrawing a file, need
`admission.decide` (committee office, administrator). A file outside the caller's scope is a 404; a file
in view but an action not allowed is a 403; a rule refusing the action is a 422 with the messages, and
nothing is written (every change goes through dangvu.admission.services).
"""

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangvu.accounts.scope import Scope, get_organisation_or_404, members_for, organisations_for
from dangvu.admission import services
from dangvu.admission.access import can_record, candidates_for, get_candidate_or_404
from dangvu.admission.counts import admission_counts, year_range
from dangvu.admission.models import Candidate, CandidateStep, Introducer
from dangvu.api.access import require
from dangvu.api.idempotency import idempotent
from dangvu.api.pagination import Page
from dangvu.api.schemas import ErrorOut
from dangvu.api.schemas_admission import (
    AdmissionCountsIn,
    AdmissionCountsOut,
    CandidateDetailOut,
    CandidateFilterIn,
    CandidateIn,
    CandidateOut,
    ReasonIn,
    StepIn,
)
from dangvu.api.types import Id
from dangvu.lib.errors import DomainError
from dangvu.lib.text import fold

router = Router(tags=["admission"])
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _forbidden() -> HttpError:
    return HttpError(403, _("You do not have access to this."))


def _file(user, candidate_id: int) -> Candidate:
    """The candidate with every step (annulled ones too) and their introducers, in a fixed number of queries.
    Personal data is left to the schema (dangvu.accounts.privacy through CandidatePersonal)."""
    steps = CandidateStep.objects.prefetch_related(
        Prefetch("introducers", queryset=Introducer.objects.select_related("member").order_by("id"))
    ).order_by("date", "id")
    candidate = (
        candidates_for(user)
        .select_related("organisation")
        .prefetch_related(Prefetch("steps", queryset=steps))
        .filter(pk=candidate_id)
        .first()
    )
    if candidate is None:
        raise Http404
    live = {s.stage: s for s in candidate.steps.all() if s.live}
    candidate.next_stage = services.next_stage(candidate, live) if candidate.is_open else None
    candidate.age_note = services.over_age(candidate, live)
    return candidate


@router.get("/candidates", summary="List admission candidates", response={200: list[CandidateOut], 403: ErrorOut})
@paginate(Page)
def list_candidates(request, filters: Query[CandidateFilterIn]):
    """Admission candidates of the caller's subtrees (`admission.view`), by name. Filters: an organisation's
    subtree (outside the caller's scope: nothing), the last step reached, the outcome, a deadline on or
    before a date, words of the name. Paginated."""
    require(request, "admission.view")
    qs = candidates_for(request.auth)
    if filters.organisation_id is not None:
        path = organisations_for(request.auth).filter(pk=filters.organisation_id).values_list("path", flat=True)
        qs = qs.filter(organisation__path__startswith=path[0]) if path else qs.none()
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if filters.due_before:
        qs = qs.filter(due_on__lte=filters.due_before)
    for word in fold(filters.q).split():
        qs = qs.filter(name_search__contains=word)
    return qs.select_related("organisation").order_by("name_sort", "id")


@router.get(
    "/candidates/{candidate_id}",
    summary="An admission file with its steps",
    response={200: CandidateDetailOut, 404: ErrorOut},
)
def candidate_detail(request, candidate_id: Id):
    """One admission file: identity, where it stands (step reached, next step, deadline, outcome) and every
    step with its document, votes, verdict (`recognised`), introducers; waived and annulled steps flagged.
    Personal data follows the table of docs/decisions.md (citizen ID, religion, ethnicity: committee
    office and administrator; place of birth, home town: also inspection; residence: also the cell
    secretary); hidden fields are null."""
    return _file(request.auth, candidate_id)


@router.post("/candidates", summary="Open an admission file", response={201: CandidateDetailOut, **WRITE_ERRORS})
@idempotent
def create_candidate(request, payload: CandidateIn):
    """Open an admission file: the person enters the cell's list of outstanding masses on `date`
    (dangvu.admission.services.create_candidate). Needs `admission.propose` on the cell; without a list
    entry, `waive_reason` records that step as waived when the rule set allows it."""
    user = request.auth
    cell = get_organisation_or_404(user, payload.organisation_id)
    if not Scope.of(user, "admission.propose").covers_path(cell.path):
        raise _forbidden()
    fields = payload.dict(exclude={"organisation_id", "date", "document_number", "note", "waive_reason"})
    fields["citizen_id"] = fields["citizen_id"] or None
    candidate = services.create_candidate(
        fields,
        cell,
        user,
        date=payload.date,
        document_number=payload.document_number,
        note=payload.note,
        waive_reason=payload.waive_reason,
    )
    return Status(201, _file(user, candidate.pk))


@router.post(
    "/candidates/{candidate_id}/steps",
    summary="Record a step of an admission file",
    response={201: CandidateDetailOut, **WRITE_ERRORS},
)
@idempotent
def record_step(request, candidate_id: Id, payload: StepIn):
    """Record the next step of the file (dangvu.admission.services.record_step): steps follow their legal
    order, votes are checked against the thresholds in force, introducers must be official members who have
    worked with the candidate long enough. Committee steps (verification, committee resolution, decisions)
    need `admission.decide`, the cell's steps `admission.propose`. Introducers are members the caller may
    see (`members.view`); another id is a 404. Answers the file as it stands after the step."""
    user = request.auth
    candidate = get_candidate_or_404(user, candidate_id)
    if not can_record(user, candidate, payload.stage):
        raise _forbidden()
    introducers = None
    if payload.introducers:
        wanted = [i.member_id for i in payload.introducers]
        found = members_for(user).in_bulk(wanted)
        if len(found) != len(set(wanted)):
            raise Http404
        introducers = [(found[i.member_id], i.known_since) for i in payload.introducers]
    exempt = members_for(user).in_bulk(payload.exempt_attending) if payload.exempt_attending else {}
    if len(exempt) != len(set(payload.exempt_attending)):
        raise Http404
    services.record_step(
        candidate,
        payload.stage,
        user,
        date=payload.date,
        introducers=introducers,
        recognised=payload.recognised,
        votes_eligible=payload.votes_eligible,
        exempt_attending=list(exempt.values()),
        waive_reason=payload.waive_reason,
        document_number=payload.document_number,
        document_date=payload.document_date,
        issuer=payload.issuer,
        note=payload.note,
        votes_for=payload.votes_for,
        votes_against=payload.votes_against,
        mass_org=payload.mass_org,
        age_approval=payload.age_approval,
    )
    return Status(201, _file(user, candidate.pk))


@router.post(
    "/candidates/{candidate_id}/steps/{step_id}/annul",
    summary="Annul the latest step",
    response={200: CandidateDetailOut, **WRITE_ERRORS},
)
def annul_step(request, candidate_id: Id, step_id: Id, payload: ReasonIn):
    """Annul the latest live step to correct a mistake (kept, flagged, with the reason). Needs the same
    capability as recording that step. The ceremony and the official decision are corrected on the member."""
    user = request.auth
    candidate = get_candidate_or_404(user, candidate_id)
    step = candidate.steps.filter(pk=step_id, annulled_at__isnull=True).first()
    if step is None:
        raise Http404
    if not can_record(user, candidate, step.stage):
        raise _forbidden()
    services.annul_step(step, user, payload.reason)
    return _file(user, candidate.pk)


@router.post(
    "/candidates/{candidate_id}/withdraw",
    summary="Withdraw an admission file",
    response={200: CandidateDetailOut, **WRITE_ERRORS},
)
def withdraw(request, candidate_id: Id, payload: ReasonIn):
    """Close an open file before the ceremony (the person withdrew, moved away, no longer qualifies).
    Needs `admission.decide` on the cell."""
    user = request.auth
    candidate = get_candidate_or_404(user, candidate_id)
    if not Scope.of(user, "admission.decide").covers_path(candidate.organisation.path):
        raise _forbidden()
    services.withdraw(candidate, user, payload.reason)
    return _file(user, candidate.pk)


@router.get(
    "/orgs/{org_id}/admission-counts",
    summary="Admissions and official recognitions in a period",
    response={200: AdmissionCountsOut, 404: ErrorOut, 422: ErrorOut},
)
def org_admission_counts(request, org_id: Id, params: Query[AdmissionCountsIn]):
    """Admissions (by decision date) and recognitions as official member in [start, end] under the
    organisation as it was on each event's date (dangvu.admission.counts.admission_counts, the figure the
    targets use). With `lineage` (default) its predecessors' figures count too, listed one by one. Needs
    `orgs.view` on the organisation."""
    org = get_organisation_or_404(request.auth, org_id)
    first, last = year_range(timezone.localdate().year)
    start, end = params.start or first, params.end or last
    if start > end:
        raise DomainError(_("The start date is after the end date."))
    result = admission_counts(org, start, end, lineage=params.lineage)
    return {
        "organisation_id": org.pk,
        "start": start,
        "end": end,
        "lineage": params.lineage,
        "total": {"admissions": result.total.admissions, "officials": result.total.officials},
        "by_organisation": [
            {"id": o.pk, "code": o.code, "name": o.name, "admissions": f.admissions, "officials": f.officials}
            for o, f in result.by_organisation
        ],
    }
