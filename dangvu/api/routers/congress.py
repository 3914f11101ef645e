"""Congresses and elections (issue 15): a congress with its base and elections, a round's count and result, a
counting team's tally.

Access (dangvu.congress.access): reading needs `congress.view` over the congress's organisation (or membership
of one of its counting teams); another congress or round is a 404. A tally is entered by the office
(`congress.manage`) or a member of that team (else 403). A rule refusing a change is a 422 with the messages,
and nothing is written."""

from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from dangvu.api.access import require
from dangvu.api.schemas import ErrorOut
from dangvu.api.schemas_congress import CongressOut, RoundOut, TallyIn
from dangvu.api.types import Id
from dangvu.congress import access, services, tallies
from dangvu.congress.models import RoundState
from dangvu.congress.rules import EXCUSED

router = Router(tags=["congress"])


def _congress_out(congress) -> dict:
    base = services.base(congress)
    return {
        "id": congress.pk,
        "organisation": congress.organisation,
        "term": congress.term.code,
        "kind": congress.kind,
        "starts_on": congress.starts_on,
        "ends_on": congress.ends_on,
        "convened": base.convened,
        "base": base.size,
        "elections": [
            {
                "id": e.pk,
                "kind": e.kind,
                "seats": e.seats,
                "closed": e.closed,
                "rounds": [r.pk for r in e.rounds.all()],
            }
            for e in congress.elections.prefetch_related("rounds")
        ],
    }


def _round_out(round_) -> dict:
    if round_.state == RoundState.ANNOUNCED:
        result = round_.result
        figures = {k: result[k] for k in ("needed", "issued", "valid", "invalid", "elected", "tied", "unfilled")}
        figures["votes"] = result["votes"]
    else:
        outcome, total = tallies.preview(round_), tallies.count(round_)
        figures = {
            "needed": outcome.needed,
            "issued": total.issued,
            "valid": total.valid,
            "invalid": dict(total.invalid),
            "votes": {str(c): v for c, v in outcome.ranking},
            "elected": list(outcome.elected),
            "tied": list(outcome.tied),
            "unfilled": outcome.unfilled,
        }
    return {
        "id": round_.pk,
        "number": round_.number,
        "seats": round_.seats,
        "state": round_.state,
        "convened": round_.convened,
        "base": round_.base,
        "excluded": [
            {"name": r["name"], "reason": str(EXCUSED.get(r["excused"], r["excused"]))} for r in round_.excluded
        ],
        "minutes_number": round_.minutes.number if round_.minutes else "",
        "announcement_number": round_.announcement.number if round_.announcement else "",
        **figures,
    }


@router.get("/congresses", summary="List congresses", response={200: list[CongressOut], 403: ErrorOut})
def list_congresses(request):
    """Congresses of the caller's subtrees (`congress.view`), newest first (at most 200)."""
    require(request, access.VIEW)
    found = access.congresses_for(request.auth).select_related("organisation", "term")[:200]
    return [_congress_out(c) for c in found]


@router.get(
    "/congresses/{congress_id}",
    summary="A congress with its base and elections",
    response={200: CongressOut, 404: ErrorOut},
)
def congress_detail(request, congress_id: Id):
    return _congress_out(access.get_congress_or_404(request.auth, congress_id))


@router.get(
    "/election-rounds/{round_id}",
    summary="A round's base, count and result",
    response={200: RoundOut, 404: ErrorOut},
)
def round_detail(request, round_id: Id):
    """The count so far while counting; the stored count and outcome once announced."""
    return _round_out(access.get_round_or_404(request.auth, round_id))


@router.post(
    "/election-rounds/{round_id}/tallies",
    summary="Enter a counting team's totals",
    response={200: RoundOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def enter_tally(request, round_id: Id, payload: TallyIn):
    """The team's totals for the round (replacing its earlier totals until the round is announced)."""
    round_ = access.get_round_or_404(request.auth, round_id)
    team = next((t for t in access.teams_of(request.auth, round_.election.congress) if t.pk == payload.team_id), None)
    if team is None:
        raise HttpError(403, _("You do not have access to this."))
    tallies.enter_tally(
        round_,
        team,
        request.auth,
        issued=payload.issued,
        valid=payload.valid,
        invalid={row.reason: row.ballots for row in payload.invalid},
        votes={row.candidate_id: row.votes for row in payload.votes},
    )
    return _round_out(round_)
