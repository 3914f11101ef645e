"""Letters (issue 12 items 3 and 4): intake, screening, routing, extension, outcome, the senders (logged) and
the statistics.

Access (dangvu.letters.access): letters need `letters.view` over the handling committee (another letter is a
404), writes `letters.manage` (403 without it anywhere, 404 out of its scope). A letter never carries its
senders: `/letters/{id}/sender` gives them to the inspection role of the handling committee only (403 to
anyone else who sees the letter) and logs each reading; `/letters/{id}/sender-views` lists those readings for
the committee's head of inspection only (404 to anyone else). A rule refusing a change is a 422 with the
messages, and nothing is written (every change goes through dangvu.letters.services).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangvu.accounts.scope import get_member_or_404, get_organisation_or_404, members_for
from dangvu.api.access import require
from dangvu.api.idempotency import idempotent
from dangvu.api.pagination import Page
from dangvu.api.periods import year_or_term
from dangvu.api.schemas import ErrorOut
from dangvu.api.schemas_letters import (
    ExtensionIn,
    LetterFilterIn,
    LetterIn,
    LetterOut,
    LetterStatsIn,
    LetterStatsOut,
    OutcomeIn,
    RouteIn,
    ScreeningIn,
    SenderOut,
    SenderViewOut,
)
from dangvu.api.types import Id
from dangvu.letters import services, stats
from dangvu.letters.access import MANAGE, VIEW, can_manage, get_letter_or_404, is_head, letters_for
from dangvu.letters.models import Letter, SenderView

router = Router(tags=["letters"])
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
RELATED = ("committee", "about_member", "about_organisation", "forwarded_to")


def _managed(request, letter_id: int) -> Letter:
    require(request, MANAGE)
    letter = get_letter_or_404(request.auth, letter_id)
    if not can_manage(request.auth, letter):
        raise HttpError(403, _("You do not have access to this."))
    return letter


def _fresh(request, letter_id: int) -> Letter:
    return letters_for(request.auth).select_related(*RELATED).get(pk=letter_id)


@router.get("/letters", summary="List letters", response={200: list[LetterOut], 403: ErrorOut})
@paginate(Page)
def list_letters(request, filters: Query[LetterFilterIn]):
    """Letters received by the committees of the caller's subtrees (`letters.view`), newest first, without
    their senders; filters: state, year of receipt."""
    require(request, VIEW)
    qs = letters_for(request.auth)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.year:
        qs = qs.filter(received_on__year=filters.year)
    return qs.select_related(*RELATED).order_by("-received_on", "-id")


def _counts(counts: stats.Counts) -> dict:
    return {
        "organisation": counts.organisation,
        "total": counts.total,
        "kinds": {code: n for code, _label, n in counts.kind_rows()},
        "routes": {code: n for code, _label, n in counts.route_rows()},
        "outcomes": {code: n for code, _label, n in counts.outcome_rows()},
        "on_time": counts.on_time,
        "late": counts.late,
    }


@router.get("/letters/statistics", summary="Letters statistics", response={200: LetterStatsOut, 403: ErrorOut})
def statistics(request, query: Query[LetterStatsIn]):
    """Letters received in a year or a term by committees under an organisation of the caller's scope, by kind,
    route and outcome, and concluded on time, with each predecessor and combined (`lineage`). Counts only."""
    require(request, "letters.stats")
    org = get_organisation_or_404(request.auth, query.organisation_id, "letters.stats")
    start, end = year_or_term(query)
    report = stats.letters(org, start, end, lineage=query.lineage)
    return {
        "organisation": org,
        "start": start,
        "end": end,
        "combined": _counts(report.combined),
        "parts": [_counts(p) for p in report.parts],
    }


@router.get("/letters/{letter_id}", summary="A letter", response={200: LetterOut, 404: ErrorOut})
def letter_detail(request, letter_id: Id):
    return get_letter_or_404(request.auth, letter_id)


@router.get(
    "/letters/{letter_id}/sender",
    summary="The senders of a letter (logged)",
    response={200: list[SenderOut], 403: ErrorOut, 404: ErrorOut},
)
def sender(request, letter_id: Id):
    """Name, address and contact of each signatory, for the inspection role of the handling committee only;
    each call is logged (who, when) in the log its head of inspection reads."""
    letter = get_letter_or_404(request.auth, letter_id)
    try:
        senders = services.read_senders(letter, request.auth, "api")
    except PermissionDenied:
        raise HttpError(403, _("You do not have access to this.")) from None
    return [{"name": s.name, "address": s.address, "contact": s.contact} for s in senders]


@router.get(
    "/letters/{letter_id}/sender-views",
    summary="Who saw the senders of a letter",
    response={200: list[SenderViewOut], 404: ErrorOut},
)
def sender_views(request, letter_id: Id):
    """The log of the readings of the senders, for the head of inspection of the handling committee only."""
    letter = Letter.objects.filter(pk=letter_id).first()
    if letter is None or not is_head(request.auth, letter.committee_id):
        raise Http404
    return [
        {"viewer": v.viewer.get_full_name() or v.viewer.username, "viewed_at": v.viewed_at, "surface": v.surface}
        for v in SenderView.objects.filter(letter=letter).select_related("viewer")
    ]


@router.post("/letters", summary="Receive a letter", response={201: LetterOut, **WRITE_ERRORS})
@idempotent
def receive(request, payload: LetterIn):
    """A letter received by a committee of the caller's `letters.manage` scope, with its signatories (stored
    encrypted; none for an anonymous letter)."""
    require(request, MANAGE)
    committee = get_organisation_or_404(request.auth, payload.committee_id, MANAGE)
    about_member = get_member_or_404(request.auth, payload.about_member_id) if payload.about_member_id else None
    about_org = (
        get_organisation_or_404(request.auth, payload.about_organisation_id) if payload.about_organisation_id else None
    )
    repeat_of = get_letter_or_404(request.auth, payload.repeat_of_id) if payload.repeat_of_id else None
    letter = services.receive(
        committee,
        number=payload.number,
        received_on=payload.received_on,
        channel=payload.channel,
        kind=payload.kind,
        signed=payload.signed,
        senders=[services.Sender(s.name, s.address, s.contact) for s in payload.senders],
        content=payload.content,
        about_member=about_member,
        about_organisation=about_org,
        repeat_of=repeat_of,
        new_evidence=payload.new_evidence,
        actor=request.auth,
    )
    return Status(201, _fresh(request, letter.pk))


@router.post("/letters/{letter_id}/screening", summary="Screen a letter", response={200: LetterOut, **WRITE_ERRORS})
def screen(request, letter_id: Id, payload: ScreeningIn):
    """Not handled (with the reason of the rules in force on `screened_on`) or accepted, to be routed."""
    letter = _managed(request, letter_id)
    services.screen(letter, screened_on=payload.screened_on, note=payload.note, actor=request.auth)
    return _fresh(request, letter.pk)


@router.post("/letters/{letter_id}/route", summary="Route a letter", response={200: LetterOut, **WRITE_ERRORS})
def route(request, letter_id: Id, payload: RouteIn):
    """Handle (by members other than the person denounced), forward to a subordinate committee, transfer to the
    competent body, or archive."""
    letter = _managed(request, letter_id)
    handlers = list(members_for(request.auth, MANAGE).filter(pk__in=payload.handler_ids))
    if len(handlers) != len(set(payload.handler_ids)):
        raise Http404
    forwarded_to = get_organisation_or_404(request.auth, payload.forwarded_to_id) if payload.forwarded_to_id else None
    services.route(
        letter,
        route=payload.route,
        routed_on=payload.routed_on,
        handlers=handlers,
        forwarded_to=forwarded_to,
        transferred_to=payload.transferred_to,
        note=payload.note,
        actor=request.auth,
    )
    return _fresh(request, letter.pk)


@router.post(
    "/letters/{letter_id}/extension", summary="Extend the deadline once", response={200: LetterOut, **WRITE_ERRORS}
)
def extend(request, letter_id: Id, payload: ExtensionIn):
    letter = _managed(request, letter_id)
    services.extend(letter, days=payload.days, reason=payload.reason, notice_on=payload.notice_on, actor=request.auth)
    return _fresh(request, letter.pk)


@router.post("/letters/{letter_id}/outcome", summary="Record the outcome", response={200: LetterOut, **WRITE_ERRORS})
def outcome(request, letter_id: Id, payload: OutcomeIn):
    """A discipline case opened (give category, facts, violation_date and proposed_form), a review with
    lessons drawn, or unfounded."""
    letter = _managed(request, letter_id)
    spec = None
    if payload.outcome == "discipline" and payload.category:
        spec = services.CaseSpec(
            payload.category, payload.facts or "", payload.violation_date, payload.proposed_form or ""
        )
    services.conclude(
        letter,
        outcome=payload.outcome,
        concluded_on=payload.concluded_on,
        conclusion=payload.conclusion,
        case=spec,
        result_notice_on=payload.result_notice_on,
        actor=request.auth,
    )
    return _fresh(request, letter.pk)
