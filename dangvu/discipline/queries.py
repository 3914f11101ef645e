"""Read-side questions other modules ask of discipline, with stable signatures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dangvu.discipline.models import Case, CaseState, SubjectKind


def disciplined_in_year(member_ids: Iterable[int], year: int) -> set[int]:
    """Members among `member_ids` with a discipline in force taking effect in `year` (not annulled on
    appeal): the yearly review's "disciplined in the year" (dangvu.reviews)."""
    return set(
        Case.objects.filter(
            subject_kind=SubjectKind.MEMBER,
            member_id__in=list(member_ids),
            state=CaseState.DECIDED,
            effective_date__gte=dt.date(year, 1, 1),
            effective_date__lte=dt.date(year, 12, 31),
        )
        .exclude(final_form="")
        .values_list("member_id", flat=True)
    )
