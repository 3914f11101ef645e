"""Which transfers a user may see and act on. A transfer concerns two sides: the sending cell's
committee office and the receiving cell's; each sees it, the receiving side acknowledges."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from dangvu.accounts.scope import Scope
from dangvu.transfers.models import Transfer, TransferKind


def transfers_for(user, capability: str = "members.view") -> QuerySet[Transfer]:
    scope = Scope.of(user, capability)
    if scope.empty:
        return Transfer.objects.none()
    if scope.everything:
        return Transfer.objects.all()
    return Transfer.objects.filter(
        scope.q("from_organisation__path") | scope.q("to_organisation__path") | scope.q("member__organisation__path")
    )


def get_transfer_or_404(user, pk: int, capability: str = "members.view") -> Transfer:
    transfer = (
        transfers_for(user, capability)
        .select_related("member", "from_organisation", "to_organisation", "acknowledged_by")
        .filter(pk=pk)
        .first()
    )
    if transfer is None:
        raise Http404
    return transfer


def can_issue(user, member) -> bool:
    return Scope.of(user, "transfers.manage").covers_path(member.organisation.path)


def can_acknowledge(user, transfer: Transfer) -> bool:
    """The receiving cell's side acknowledges; for a destination outside the system, the sending side
    records the returned acknowledgment slip."""
    scope = Scope.of(user, "transfers.manage")
    if transfer.to_organisation_id:
        return scope.covers_path(transfer.to_organisation.path)
    return transfer.from_organisation_id is not None and scope.covers_path(transfer.from_organisation.path)


def can_manage_sending_side(user, transfer: Transfer) -> bool:
    """Cancel a letter, or record the end of a temporary transfer (the home cell's side)."""
    scope = Scope.of(user, "transfers.manage")
    if transfer.kind == TransferKind.TEMPORARY:
        return scope.covers_path(transfer.member.organisation.path)
    return transfer.from_organisation_id is not None and scope.covers_path(transfer.from_organisation.path)
