"""Daily: the open reviews follow the transfers of their year (dangvu.reviews.moves)."""

from __future__ import annotations

import datetime as dt

from dangvu.tasks.jobs import periodic


@periodic(daily_at=dt.time(2, 30), retries=1)
def note_transfers(scheduled_for: str) -> int:
    from dangvu.reviews import moves
    from dangvu.reviews.models import Campaign, ReviewState

    changed = 0
    open_ = Campaign.objects.filter(reviews__state__in=[ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.PROPOSED])
    for campaign in open_.distinct().select_related("organisation"):
        changed += moves.note_transfers(campaign, None)
    return changed
