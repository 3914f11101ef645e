"""Figures of a congress's candidate lists (issue 15 item 2: the structure of the list reported), one function
per figure, each over the candidates on the list of an election, on the congress's opening day:
- `by_age`: how many are under 35, 35 to 50, over 50 years old (whole years on the opening day);
- `women`: how many are women;
- `newcomers`: how many hold no seat on the organisation's outgoing committee (new to the committee).
"""

from __future__ import annotations

from django.db.models import Q

from dangvu.congress.models import Election
from dangvu.lib.ages import years_and_months
from dangvu.members.models import Member
from dangvu.orgs.models import CommitteeSeat

AGE_BANDS = ((0, 35), (35, 51), (51, 200))  # [from, to) in whole years: under 35, 35–50, over 50


def _listed(election: Election):
    return Member.objects.filter(pk__in=election.candidates.filter(on_list=True).values("member_id"))


def by_age(election: Election) -> list[int]:
    day = election.congress.starts_on
    bands = [0] * len(AGE_BANDS)
    for birth in _listed(election).values_list("birth_date", flat=True):
        years = years_and_months(birth, day)[0]
        for i, (low, high) in enumerate(AGE_BANDS):
            if low <= years < high:
                bands[i] += 1
    return bands


def women(election: Election) -> int:
    return _listed(election).filter(sex="F").count()


def newcomers(election: Election) -> int:
    congress = election.congress
    sitting = CommitteeSeat.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=congress.starts_on),
        committee__organisation=congress.organisation,
        valid_from__lte=congress.starts_on,
    ).values("member_id")
    return _listed(election).exclude(pk__in=sitting).count()


def structure(election: Election) -> dict:
    listed = election.candidates.filter(on_list=True).count()
    return {"listed": listed, "by_age": by_age(election), "women": women(election), "newcomers": newcomers(election)}
