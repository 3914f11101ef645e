"""The base of a cell's resolutions: who counts when a share of "the official members" must agree or be
present (Quy định 24-QĐ/TW on the Charter, 9.3; docs/decisions.md "One vote base").

The base is the official members of the cell on the day, not counting
- members exempt from activities (miễn sinh hoạt) who are absent — an exempt member who attends and votes
  counts;
- members temporarily attached to another organisation (chuyển sinh hoạt tạm thời đi);
- suspended members (đình chỉ sinh hoạt).
Probationary members attend but do not vote. The same base serves a meeting's votes and quorum, the cell's
resolution on an admission and its resolution on official membership, and every page that takes one shows
who is in it and why the others are not (templates/members/_vote_base.html).

A base of zero decides nothing: `require_base` refuses it with a clear message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.lib.dates import fmt
from dangvu.lib.errors import DomainError
from dangvu.members.models import Member, MemberPeriod, Status


class Outside(models.TextChoices):
    """Why a member of the cell is not in the base (the first that applies, in this order)."""

    PROBATIONARY = "probationary", gettext_lazy("probationary member: attends but does not vote")
    AWAY = "away", gettext_lazy("temporarily attached to another organisation")
    SUSPENDED = "suspended", gettext_lazy("suspended from activities")
    EXEMPT = "exempt", gettext_lazy("exempt from activities and not attending")


@dataclass(frozen=True)
class Seat:
    member: Member
    outside: str = ""  # an Outside value; "" when in the base
    exempt_attending: bool = False  # exempt, attended and voted: counts

    @property
    def reason(self) -> str:
        return str(Outside(self.outside).label) if self.outside else ""


@dataclass(frozen=True)
class VoteBase:
    organisation_id: int
    day: dt.date
    seats: list[Seat] = field(default_factory=list)

    @property
    def included(self) -> list[Seat]:
        return [s for s in self.seats if not s.outside]

    @property
    def excluded(self) -> list[Seat]:
        return [s for s in self.seats if s.outside]

    @property
    def size(self) -> int:
        return len(self.included)

    @property
    def exempt(self) -> list[Seat]:
        """Exempt members of the cell (in the base only when they attend)."""
        return [s for s in self.seats if s.outside == Outside.EXEMPT or s.exempt_attending]


def outside_reason(status: str, *, exempt: bool, away: bool, suspended: bool) -> str:
    """Why a member of the cell with these flags is not in the base ("" when in it, exempt members counted
    as absent: the caller adds those who attend)."""
    if status != Status.OFFICIAL:
        return Outside.PROBATIONARY
    if away:
        return Outside.AWAY
    if suspended:
        return Outside.SUSPENDED
    if exempt:
        return Outside.EXEMPT
    return ""


def members_on(organisation, day: dt.date) -> list[tuple[Member, str, bool]]:
    """The cell's members in the Party on `day` (from the timeline), each with why they are outside the
    base ("" when in it; exempt ones as absent) and whether they are expected at meetings (not exempt,
    not away). One query."""
    periods = (
        MemberPeriod.objects.filter(MemberPeriod.on(day), organisation=organisation, status__in=Status.in_party())
        .select_related("member")
        .order_by("member__name_sort", "member_id")
    )
    seen: dict[int, tuple[Member, str, bool]] = {}
    for p in periods:
        outside = outside_reason(p.status, exempt=p.is_exempt, away=p.is_away, suspended=p.is_suspended)
        seen.setdefault(p.member_id, (p.member, outside, not (p.is_exempt or p.is_away)))
    return list(seen.values())


def vote_base(organisation, day: dt.date, *, exempt_attending: Iterable[int] = ()) -> VoteBase:
    """The base of the cell's resolution on `day`; `exempt_attending`: ids of exempt members who attended
    and voted (they count). Any other id in it is ignored."""
    attending = set(exempt_attending)
    seats = []
    for member, outside, _expected in members_on(organisation, day):
        if outside == Outside.EXEMPT and member.pk in attending:
            seats.append(Seat(member, "", exempt_attending=True))
        else:
            seats.append(Seat(member, outside))
    return VoteBase(organisation.pk, day, seats)


def require_base(size: int, day: dt.date) -> None:
    """A base of zero decides nothing (no quorum, no share of nobody)."""
    if size <= 0:
        raise DomainError(
            _(
                "No official member is in the vote's base on %(date)s (members exempt and absent, temporarily "
                "attached elsewhere or suspended do not count): a resolution on a base of zero decides nothing."
            )
            % {"date": fmt(day)},
            code="empty_base",
        )
