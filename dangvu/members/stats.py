"""Statistics of party members (issue 13 item 8): the figures of the statistical summary of a report ("báo cáo
thống kê đảng viên") for an organisation's subtree on a day, one function per figure, each counting the same
members: those in the Party (probationary or official) in a cell that lay under the organisation on that day
(the temporal ancestry and the members' timelines, dangvu.members.models.MemberPeriod), so a past day counts
the tree and the members as they were then.

- `by_status`, `by_sex`, `by_age_band`, `by_ethnicity`, `by_religion`, `by_education`, `by_degree`,
  `by_political_theory`, `by_party_age`: {label key: members} on the day; the figures of each breakdown add
  up to `in_party`.
- `movement`: the increase and decrease over a period [start, end] — admitted, transferred in, died,
  expelled, removed from the list, left, transferred out — with the count on the eve of the period and at its
  end; what the listed events do not explain (moves between cells across the subtree's edge, corrections) is
  its own line, `other`, so that opening + increase − decrease + other = closing always holds.
- `summary`: all of them for the organisation and, with `lineage`, for each predecessor (merged or split into
  it), and combined (the parts add up).

Age and party-age bands are the reporting bands of the statistics forms (not regulation values): ages up to
30, 31–40, 41–50, 51–60, 61–70, over 70; party age under 10 years, 10–19, 20–29, 30–39, 40–49, 50 and over
(whole years from the admission decision).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, When

from dangvu.lib.dates import add_months
from dangvu.members.models import EventKind, MemberEvent, MemberPeriod, Status
from dangvu.orgs.models import OrgAncestry, Organisation
from dangvu.orgs.queries import lineage_roots, subtree_ids_on

AGE_BANDS = (30, 40, 50, 60, 70)  # upper bounds (inclusive): ≤30, 31–40, …, 61–70, >70
PARTY_AGE_BANDS = (10, 20, 30, 40, 50)  # lower bounds of the next band: <10, 10–19, …, 40–49, ≥50
INCREASE = (EventKind.ADMISSION, EventKind.TRANSFER_IN)
DECREASE = (EventKind.DEATH, EventKind.EXPULSION, EventKind.REMOVAL, EventKind.LEAVING, EventKind.TRANSFER_OUT)
UNKNOWN = ""


def members_on(org: Organisation | int, day: dt.date) -> QuerySet[MemberPeriod]:
    """One timeline row per member in the Party under `org` on `day` (a member's periods do not overlap)."""
    return MemberPeriod.objects.filter(
        MemberPeriod.on(day), organisation_id__in=subtree_ids_on(org, day), status__in=list(Status.in_party())
    )


def in_party(org: Organisation | int, day: dt.date) -> int:
    return members_on(org, day).count()


def _group(org, day: dt.date, field_name: str) -> Counter:
    rows = members_on(org, day).values_list(field_name).annotate(n=Count("id")).order_by()
    counts: Counter = Counter()
    for value, n in rows:
        counts[(value or UNKNOWN).strip() if isinstance(value, str) else value] += n
    return counts


def by_status(org, day: dt.date) -> Counter:
    """{"probationary": n, "official": n} as the members stood on `day`."""
    return _group(org, day, "status")


def by_sex(org, day: dt.date) -> Counter:
    return _group(org, day, "member__sex")


def by_ethnicity(org, day: dt.date) -> Counter:
    return _group(org, day, "member__ethnicity")


def by_religion(org, day: dt.date) -> Counter:
    """By religion; "" for members with none recorded."""
    return _group(org, day, "member__religion")


def by_education(org, day: dt.date) -> Counter:
    """By general education as recorded ("12/12", "10/10"); "" when not recorded."""
    return _group(org, day, "member__general_education")


def by_degree(org, day: dt.date) -> Counter:
    """By professional degree as recorded ("Thạc sĩ", "Cử nhân Luật"); "" when not recorded."""
    return _group(org, day, "member__professional_degree")


def by_political_theory(org, day: dt.date) -> Counter:
    return _group(org, day, "member__political_theory")


def _years_before(day: dt.date, years: int) -> dt.date:
    return add_months(day, -12 * years)


def _bands(org, day: dt.date, field_name: str, cuts: list[tuple[str, Q]]) -> Counter:
    found = members_on(org, day).aggregate(**{key: Count("id", filter=q) for key, q in cuts})
    return Counter({key: found[key] or 0 for key, _q in cuts})


def age_band_keys() -> list[str]:
    keys = [f"<={AGE_BANDS[0]}"]
    keys += [f"{low + 1}-{high}" for low, high in zip(AGE_BANDS, AGE_BANDS[1:], strict=False)]
    return [*keys, f">{AGE_BANDS[-1]}"]


def by_age_band(org, day: dt.date) -> Counter:
    """{"<=30": n, "31-40": n, …, ">70": n}: whole years of age on `day`. Aged at most N means born after the
    day N + 1 years before `day`."""
    born = "member__birth_date"
    after = [_years_before(day, n + 1) for n in AGE_BANDS]  # aged ≤ n ⇔ born after this day
    keys = age_band_keys()
    cuts = [(keys[0], Q(**{f"{born}__gt": after[0]}))]
    for i in range(1, len(AGE_BANDS)):
        cuts.append((keys[i], Q(**{f"{born}__gt": after[i], f"{born}__lte": after[i - 1]})))
    cuts.append((keys[-1], Q(**{f"{born}__lte": after[-1]})))
    return _bands(org, day, born, cuts)


def party_age_band_keys() -> list[str]:
    keys = [f"<{PARTY_AGE_BANDS[0]}"]
    keys += [f"{low}-{high - 1}" for low, high in zip(PARTY_AGE_BANDS, PARTY_AGE_BANDS[1:], strict=False)]
    return [*keys, f">={PARTY_AGE_BANDS[-1]}"]


def by_party_age(org, day: dt.date) -> Counter:
    """{"<10": n, "10-19": n, …, ">=50": n}: whole years from the admission decision to `day` (at least N
    years means admitted on or before the day N years before `day`); members without an admission date
    recorded are under "" ."""
    admitted = "member__admission_date"
    since = [_years_before(day, n) for n in PARTY_AGE_BANDS]  # party age ≥ n ⇔ admitted on or before this day
    keys = party_age_band_keys()
    cuts = [(keys[0], Q(**{f"{admitted}__gt": since[0]}))]
    for i in range(1, len(PARTY_AGE_BANDS)):
        cuts.append((keys[i], Q(**{f"{admitted}__gt": since[i], f"{admitted}__lte": since[i - 1]})))
    cuts.append((keys[-1], Q(**{f"{admitted}__lte": since[-1]})))
    cuts.append((UNKNOWN, Q(**{f"{admitted}__isnull": True})))
    counts = _bands(org, day, admitted, cuts)
    if not counts[UNKNOWN]:
        del counts[UNKNOWN]
    return counts


def movement_events(org: Organisation | int, start: dt.date, end: dt.date, kinds) -> QuerySet[MemberEvent]:
    """The (not annulled) events of `kinds` in [start, end] in a cell under `org` on the event's day: for an
    admission or a transfer in, the cell the member arrived in; for a departure, the member's cell on its eve."""
    org_id = org if isinstance(org, int) else org.pk
    cell_before = (
        MemberPeriod.objects.filter(member_id=OuterRef("member_id"), valid_from__lt=OuterRef("date"))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("date")))
        .order_by("-valid_from")
        .values("organisation_id")[:1]
    )
    under = OrgAncestry.objects.filter(
        descendant_id=OuterRef("cell"), ancestor_id=org_id, valid_from__lte=OuterRef("date")
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("date")))
    # An arrival counts where it arrived (the event's cell: a transfer out names the RECEIVING cell, so a
    # departure counts where the member was on its eve).
    cell = Case(
        When(kind__in=list(INCREASE), then=F("organisation_id")),
        default=Subquery(cell_before),
        output_field=models.BigIntegerField(),
    )
    return (
        MemberEvent.objects.filter(kind__in=list(kinds), date__gte=start, date__lte=end, annulled_by__isnull=True)
        .annotate(cell=cell)
        .filter(Exists(under))
    )


@dataclass
class Movement:
    opening: int = 0  # in the Party under the organisation on the eve of the period
    closing: int = 0  # on its last day
    events: Counter = field(default_factory=Counter)  # event kind → members

    @property
    def increase(self) -> int:
        return sum(self.events[k] for k in INCREASE)

    @property
    def decrease(self) -> int:
        return sum(self.events[k] for k in DECREASE)

    @property
    def other(self) -> int:
        """What the events do not explain: closing − opening − increase + decrease."""
        return self.closing - self.opening - self.increase + self.decrease

    def add(self, other: Movement) -> None:
        self.opening += other.opening
        self.closing += other.closing
        self.events.update(other.events)


def movement(org: Organisation | int, start: dt.date, end: dt.date) -> Movement:
    rows = movement_events(org, start, end, (*INCREASE, *DECREASE)).values_list("kind").annotate(n=Count("id"))
    events = Counter({kind: 0 for kind in (*INCREASE, *DECREASE)})
    events.update(dict(rows.order_by()))
    return Movement(in_party(org, start - dt.timedelta(days=1)), in_party(org, end), events)


BREAKDOWNS = {
    "status": by_status,
    "sex": by_sex,
    "age": by_age_band,
    "ethnicity": by_ethnicity,
    "religion": by_religion,
    "education": by_education,
    "degree": by_degree,
    "theory": by_political_theory,
    "party_age": by_party_age,
}


@dataclass
class Figures:
    organisation: Organisation | None  # None: combined
    total: int = 0
    breakdowns: dict[str, Counter] = field(default_factory=dict)
    movement: Movement = field(default_factory=Movement)

    def add(self, other: Figures) -> None:
        self.total += other.total
        for key, counts in other.breakdowns.items():
            self.breakdowns.setdefault(key, Counter()).update(counts)
        self.movement.add(other.movement)


@dataclass
class Summary:
    organisation: Organisation
    start: dt.date
    end: dt.date
    combined: Figures
    parts: list[Figures]  # the organisation first, then each predecessor


def figures(org: Organisation, start: dt.date, end: dt.date) -> Figures:
    found = Figures(org, in_party(org, end))
    found.breakdowns = {key: fn(org, end) for key, fn in BREAKDOWNS.items()}
    found.movement = movement(org, start, end)
    return found


def summary(org: Organisation, start: dt.date, end: dt.date, *, lineage: bool = True, progress=None) -> Summary:
    """The members under `org` on `end` by every breakdown and their movement over [start, end]; with
    `lineage`, per predecessor too. `progress(done, total)` after each part."""
    roots = lineage_roots(org) if lineage else [org]
    parts = []
    for i, root in enumerate(roots, start=1):
        parts.append(figures(root, start, end))
        if progress:
            progress(i, len(roots))
    combined = Figures(None)
    for part in parts:
        combined.add(part)
    return Summary(org, start, end, combined, parts)
