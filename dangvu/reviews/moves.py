"""Members who moved during the year under review (issue 11 item 6, "transferred during the year"), read
from the transfer records (dangvu.transfers) — never typed by hand.

A review belongs to the cell the member was in at the opening. When the member's latest official transfer
of the year (letter dated from 1 January, not cancelled) says otherwise, `note_transfers` brings the
campaign's reviews in line (docs/decisions.md, Issue 11):
- in transit (letter issued, not yet received): not graded by this campaign, "transferred during the year";
- received by a cell inside the campaign's subtree before the cell proposed: the review follows the member
  to the receiving cell, which reviews them (a grade already proposed stays with the proposing cell);
- received outside the subtree (another committee, outside the system): "transferred during the year".
Decided reviews are locked and never touched. It runs when a campaign opens, before the committee decides,
and daily for the open campaigns (dangvu.reviews.jobs). The statistics split the members not reviewed at
all the same way (dangvu.reviews.stats).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef

from dangvu.reviews.models import Campaign, Exclusion, Review, ReviewState
from dangvu.transfers.models import Transfer, TransferKind, TransferState

MOVING = (TransferState.IN_TRANSIT, TransferState.ACKNOWLEDGED)


def transfers_of_year(year: int):
    """Official transfers of `year` that took effect or are under way (cancelled ones do not count)."""
    return Transfer.objects.filter(
        kind=TransferKind.OFFICIAL,
        state__in=MOVING,
        letter_date__gte=dt.date(year, 1, 1),
        letter_date__lte=dt.date(year, 12, 31),
    )


def arrived_in_year(year: int, day: dt.date) -> Exists:
    """A member (OuterRef "member_id") received by transfer in `year` up to `day` (from a cell of this system
    or from outside it): the reason a member in the Party on `day` has no review."""
    return Exists(
        Transfer.objects.filter(
            member_id=OuterRef("member_id"),
            state=TransferState.ACKNOWLEDGED,
            kind=TransferKind.OFFICIAL,
            to_organisation__isnull=False,
            acknowledged_on__gte=dt.date(year, 1, 1),
            acknowledged_on__lte=day,
        )
    )


def _target(review: Review, transfer: Transfer, root_path: str) -> tuple[str, object | None]:
    """(exclusion, cell to move to or None) the transfer gives the review."""
    if transfer.state == TransferState.IN_TRANSIT:
        return Exclusion.TRANSFERRED, None
    to = transfer.to_organisation
    if to is None or not to.path.startswith(root_path):
        return Exclusion.TRANSFERRED, None
    if to.pk == review.organisation_id or review.state == ReviewState.PROPOSED:
        return Exclusion.NONE, None
    return Exclusion.NONE, to


@transaction.atomic
def note_transfers(campaign: Campaign, actor) -> int:
    """Bring the campaign's undecided reviews in line with the transfers of its year; returns the reviews
    changed (each change audited with its reason)."""
    latest: dict[int, Transfer] = {}
    moving = transfers_of_year(campaign.year).filter(
        Exists(Review.objects.filter(campaign=campaign, member_id=OuterRef("member_id")))
    )
    for t in moving.select_related("to_organisation").order_by("letter_date", "id"):
        latest[t.member_id] = t
    if not latest:
        return 0
    root = campaign.organisation.path
    changed = 0
    reviews = (
        Review.objects.select_for_update(of=("self",))
        .filter(campaign=campaign, member_id__in=list(latest), exclusion__in=[Exclusion.NONE, Exclusion.TRANSFERRED])
        .exclude(state=ReviewState.DECIDED)
    )
    for review in reviews:
        transfer = latest[review.member_id]
        exclusion, cell = _target(review, transfer, root)
        if exclusion == review.exclusion and cell is None:
            continue
        review.exclusion = exclusion
        if cell is not None:
            review.organisation, review.org_path = cell, cell.path
            review.meeting = review.vote = None
        review._history_user = actor
        review._change_reason = f"transfer {transfer.letter_number} ({transfer.letter_date:%d/%m/%Y})"
        review.save()
        changed += 1
    return changed
