"""Transfers of party activity: introduction letters between cells, or to and from outside the system.

Access (dangvu.transfers.access): a transfer is visible to staff (`members.view`) of either side — the
sending cell's subtree, the receiving cell's, or the member's current cell; a plain member sees their own
transfers. Issuing needs `transfers.manage` on the member's cell; acknowledging needs it on the receiving
side (for a destination outside the system, on the sending side, which records the returned slip);
cancelling and ending a temporary transfer need it on the sending (home) side. Outside the caller's view:
404; visible but not theirs to act on: 403; refused by a rule: 422 with the messages, nothing written.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangvu.accounts.scope import Scope, get_member_or_404, organisations_for
from dangvu.api.idempotency import idempotent
from dangvu.api.pagination import Page
from dangvu.api.schemas import ErrorOut
from dangvu.api.schemas_admission import (
    AcknowledgeIn,
    EndTemporaryIn,
    ReasonIn,
    TransferFilterIn,
    TransferIn,
    TransferOut,
)
from dangvu.api.types import Id
from dangvu.orgs.models import Organisation
from dangvu.transfers import access, services
from dangvu.transfers.models import Transfer, TransferState

router = Router(tags=["transfers"])
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
RELATED = ("member", "from_organisation", "to_organisation")


def _visible(user) -> QuerySet[Transfer]:
    """Staff: the transfers touching their subtrees; a plain member: their own."""
    if Scope.of(user, "members.view").empty:
        if getattr(user, "member_id", None):
            return Transfer.objects.filter(member_id=user.member_id)
        return Transfer.objects.none()
    return access.transfers_for(user)


def _get(user, transfer_id: int) -> Transfer:
    transfer = _visible(user).select_related(*RELATED, "member__organisation").filter(pk=transfer_id).first()
    if transfer is None:
        raise Http404
    return transfer


def _forbidden() -> HttpError:
    return HttpError(403, _("You do not have access to this."))


def _within(field: str, prefixes: list[str] | None) -> Q:
    """Rows whose `field` organisation lies under one of `prefixes` (None: anywhere)."""
    if prefixes is None:
        return Q(**{f"{field}__isnull": False})
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(**{f"{field}__path__startswith": prefix})
    return q


@router.get("/transfers", summary="List transfers", response={200: list[TransferOut], 403: ErrorOut})
@paginate(Page)
def list_transfers(request, filters: Query[TransferFilterIn]):
    """Transfers the caller may see, latest letter first. `direction` is relative to `organisation_id`
    (its subtree; outside the caller's scope: nothing) or, without it, to the caller's own subtrees:
    incoming = received there, outgoing = sent from there. `overdue=true`: awaiting acknowledgment past the
    deadline for presenting the letter. Paginated."""
    user = request.auth
    scope = Scope.of(user, "members.view")
    if scope.empty and not user.member_id:
        raise HttpError(403, _("You do not have access to this."))
    qs = _visible(user)
    prefixes: list[str] | None = None if scope.everything else list(scope.prefixes)
    if filters.organisation_id is not None:
        path = organisations_for(user, "members.view").filter(pk=filters.organisation_id).values_list("path", flat=True)
        prefixes = [path[0]] if path else []
        if filters.direction is None:
            qs = qs.filter(
                _within("from_organisation", prefixes)
                | _within("to_organisation", prefixes)
                | _within("member__organisation", prefixes)
            )
    if filters.direction == "incoming":
        qs = qs.filter(_within("to_organisation", prefixes))
    elif filters.direction == "outgoing":
        qs = qs.filter(_within("from_organisation", prefixes))
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.member_id is not None:
        qs = qs.filter(member_id=filters.member_id)
    overdue = Q(state=TransferState.IN_TRANSIT, due_on__lt=timezone.localdate())
    if filters.overdue is True:
        qs = qs.filter(overdue)
    elif filters.overdue is False:
        qs = qs.exclude(overdue)
    return qs.select_related(*RELATED).order_by("-letter_date", "-id")


@router.get("/transfers/{transfer_id}", summary="A transfer", response={200: TransferOut, 404: ErrorOut})
def transfer_detail(request, transfer_id: Id):
    """One transfer: both sides, the letter, the deadline, the acknowledgment or return."""
    return _get(request.auth, transfer_id)


@router.post("/transfers", summary="Issue an introduction letter", response={201: TransferOut, **WRITE_ERRORS})
@idempotent
def issue_transfer(request, payload: TransferIn):
    """Issue the introduction letter for a member (dangvu.transfers.services.issue): an official transfer to
    a cell of this system puts the member in transit until that cell acknowledges; a temporary one keeps
    the member in the home cell. Needs `transfers.manage` on the member's cell. The receiving cell may lie
    outside the caller's subtrees (any cell in force); an unknown id is a 404."""
    user = request.auth
    member = get_member_or_404(user, payload.member_id)
    if not access.can_issue(user, member):
        raise _forbidden()
    to_organisation = None
    if payload.to_organisation_id is not None:
        # Not limited to the caller's scope: letters go to other committees' cells. Only the id is checked.
        to_organisation = Organisation.objects.filter(pk=payload.to_organisation_id).first()
        if to_organisation is None:
            raise Http404
    transfer = services.issue(
        member,
        user,
        kind=payload.kind,
        letter_number=payload.letter_number,
        letter_date=payload.letter_date,
        to_organisation=to_organisation,
        to_external=payload.to_external,
        issuer=payload.issuer,
        reason=payload.reason,
        note=payload.note,
    )
    return Status(201, _get(user, transfer.pk))


@router.post(
    "/transfers/{transfer_id}/acknowledge",
    summary="Acknowledge a transfer",
    response={200: TransferOut, **WRITE_ERRORS},
)
def acknowledge_transfer(request, transfer_id: Id, payload: AcknowledgeIn):
    """The receiving side acknowledges the member's arrival (for a destination outside the system, the
    sending side records the returned slip). An official transfer places the member in the new cell."""
    user = request.auth
    transfer = _get(user, transfer_id)
    if not access.can_acknowledge(user, transfer):
        raise _forbidden()
    services.acknowledge(transfer, user, date=payload.date, acknowledgment=payload.acknowledgment)
    return _get(user, transfer.pk)


@router.post(
    "/transfers/{transfer_id}/cancel", summary="Cancel a transfer", response={200: TransferOut, **WRITE_ERRORS}
)
def cancel_transfer(request, transfer_id: Id, payload: ReasonIn):
    """Withdraw a letter nobody acknowledged: the member is back in the sending cell (the transfer-out
    event is annulled, both kept in the audit trail). The sending side only."""
    user = request.auth
    transfer = _get(user, transfer_id)
    if not access.can_manage_sending_side(user, transfer):
        raise _forbidden()
    services.cancel(transfer, user, reason=payload.reason)
    return _get(user, transfer.pk)


@router.post(
    "/transfers/{transfer_id}/end", summary="End a temporary transfer", response={200: TransferOut, **WRITE_ERRORS}
)
def end_temporary_transfer(request, transfer_id: Id, payload: EndTemporaryIn):
    """The member returns to the home cell at the end of a temporary transfer. The home cell's side only."""
    user = request.auth
    transfer = _get(user, transfer_id)
    if not access.can_manage_sending_side(user, transfer):
        raise _forbidden()
    services.end_temporary(transfer, user, date=payload.date, note=payload.note)
    return _get(user, transfer.pk)
