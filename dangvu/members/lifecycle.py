"""Derive a member's state and timeline from their events (pure; no database writes).

`derive()` replays the non-annulled events in (date, id) order through a small state machine and either
returns the resulting state and periods or raises DomainError naming the event that does not fit.
Every write path (forms, API, import, reorganisation) goes through it, so stored state always equals
the replay of the events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from django.utils.translation import gettext as _

from dangvu.lib import ages
from dangvu.lib.dates import add_months, fmt
from dangvu.lib.errors import DomainError
from dangvu.members.models import EventKind as K
from dangvu.members.models import Status
from dangvu.rules import presentation


class EventLike(Protocol):
    id: int | None
    kind: str
    date: dt.date
    organisation_id: int | None
    annuls_id: int | None


@dataclass
class Period:
    organisation_id: int
    status: str
    is_exempt: bool
    is_suspended: bool
    is_away: bool
    valid_from: dt.date
    valid_to: dt.date | None = None


@dataclass
class State:
    party_status: str | None = None  # probationary / official / removed / expelled / left / deceased
    organisation_id: int | None = None  # None = outside the organisations dangvu holds
    last_organisation_id: int | None = None
    admission_date: dt.date | None = None
    probation_start: dt.date | None = None  # the ceremony (the admission decision when none is recorded)
    ceremony_date: dt.date | None = None  # of the current admission (one ceremony per admission)
    probation_end: dt.date | None = None
    official_date: dt.date | None = None
    in_transit_to: int | None = None  # official transfer to another cell, letter issued, not yet received
    is_exempt: bool = False
    is_suspended: bool = False
    is_away: bool = False
    periods: list[Period] = field(default_factory=list)

    @property
    def status(self) -> str | None:
        if self.party_status in Status.in_party() and self.organisation_id is None and self.last_organisation_id:
            return Status.IN_TRANSIT if self.in_transit_to else Status.TRANSFERRED_OUT
        return self.party_status

    @property
    def in_party(self) -> bool:
        return self.party_status in Status.in_party()


@dataclass(frozen=True)
class Limits:
    """Rule values the derivation needs (read from the rule set by the caller)."""

    min_age: ages.AgeLimit = ages.AgeLimit(18)
    max_age: ages.AgeLimit = ages.AgeLimit(60)
    probation_months: int = 12


def _judge_age(birth: dt.date, on: dt.date, limits: Limits, fail) -> None:
    """Refuse (through `fail(message)`) an age outside the limits on `on`, counted as the limits say."""
    if not ages.reached(birth, limits.min_age, on):
        raise fail(
            _("aged %(age)s: under the minimum age of %(min)s.")
            % {
                "age": presentation.age(*ages.years_and_months(birth, on)),
                "min": presentation.age_limit(limits.min_age),
            }
        )
    if ages.past(birth, limits.max_age, on):
        raise fail(
            _("aged %(age)s: over the maximum age of %(max)s without higher approval.")
            % {
                "age": presentation.age(*ages.years_and_months(birth, on)),
                "max": presentation.age_limit(limits.max_age),
            }
        )


def derive(
    events: list[EventLike],
    *,
    birth_date: dt.date,
    today: dt.date,
    limits_for,
    member_holding: set[int] | None = None,
) -> State:
    """Replay events. `limits_for(date)` returns the Limits in force on a date; `member_holding` is the set
    of organisation ids that may hold members (None: do not check)."""
    annulled = {e.annuls_id for e in events if e.kind == K.ANNULMENT and e.annuls_id}
    live = sorted(
        (e for e in events if e.kind != K.ANNULMENT and (e.id is None or e.id not in annulled)),
        key=lambda e: (e.date, e.id if e.id is not None else 10**18),
    )
    state = State()

    def fail(event: EventLike, message: str) -> DomainError:
        return DomainError(
            _("%(event)s on %(date)s: %(message)s")
            % {"event": K(event.kind).label, "date": fmt(event.date), "message": message}
        )

    def snapshot(on: dt.date) -> None:
        # Close the open period and open a new one if the member is in an organisation and in the Party.
        if state.periods and state.periods[-1].valid_to is None:
            state.periods[-1].valid_to = on
            if state.periods[-1].valid_from == on:
                state.periods.pop()
        if state.in_party and state.organisation_id is not None:
            state.periods.append(
                Period(
                    state.organisation_id, state.party_status, state.is_exempt, state.is_suspended, state.is_away, on
                )
            )

    for e in live:
        if e.date > today:
            raise fail(e, _("the date is in the future."))
        if e.date < birth_date:
            raise fail(e, _("the date is before the date of birth."))
        target = e.organisation_id
        needs_holding_org = e.kind in {K.ADMISSION, K.TRANSFER_IN, K.TRANSFER, K.TRANSFER_OUT, K.REORGANISATION}
        if needs_holding_org and target is not None and member_holding is not None and target not in member_holding:
            raise fail(e, _("members can only belong to a party cell."))

        if e.kind == K.ADMISSION:
            if state.party_status in Status.in_party():
                raise fail(e, _("the person is already a party member."))
            if state.party_status in {Status.EXPELLED, Status.DECEASED}:
                raise fail(e, _("an expelled or deceased person cannot be admitted."))
            limits = limits_for(e.date)
            # The age is judged once, at the cell's consideration (Quy định 294-QĐ/TW; domain.md §4): an
            # admission written from an admission file was judged at the file's cell resolution. A record
            # entered without its file holds only the decision date, the one it can be judged at.
            if getattr(e, "source", None) != "admission":
                _judge_age(birth_date, e.date, limits, lambda message, e=e: fail(e, message))
            state.party_status = Status.PROBATIONARY
            state.admission_date = state.probation_start = e.date
            state.ceremony_date = None
            state.probation_end = add_months(e.date, limits.probation_months)
            state.official_date = None
            state.in_transit_to = None
            state.is_exempt = state.is_suspended = state.is_away = False
            state.organisation_id = target
        elif e.kind == K.CEREMONY:
            # (A ceremony on the decision's own day leaves probation_start unchanged: ceremony_date tells.)
            if state.party_status != Status.PROBATIONARY or state.ceremony_date is not None:
                raise fail(e, _("the ceremony follows an admission decision, once."))
            # Probation runs from the ceremony (Điều lệ Đảng, Điều 5).
            state.probation_start = state.ceremony_date = e.date
            state.probation_end = add_months(e.date, limits_for(state.admission_date).probation_months)
        elif e.kind == K.OFFICIAL:
            if state.party_status != Status.PROBATIONARY:
                raise fail(e, _("only a probationary member can be recognised as official."))
            months = limits_for(state.admission_date).probation_months
            end = state.probation_end
            if e.date < end:
                raise fail(
                    e, _("the probation of %(months)s months ends on %(end)s.") % {"months": months, "end": fmt(end)}
                )
            state.party_status = Status.OFFICIAL
            # Official from the end of probation even when approved late (Điều lệ Đảng, Điều 5).
            state.official_date = end
            state.probation_end = None
        elif e.kind == K.TRANSFER_IN:
            if not state.in_party:
                raise fail(e, _("only a party member can be transferred in; record the admission first."))
            if state.organisation_id is not None:
                raise fail(
                    e, _("the member is already in an organisation of this system; use a transfer between cells.")
                )
            if target is None:
                raise fail(e, _("the receiving cell is required."))
            if state.in_transit_to and target != state.in_transit_to:
                raise fail(e, _("the member is in transit to another cell."))
            state.organisation_id = target
            state.is_away = False
            state.in_transit_to = None
        elif e.kind in {K.TRANSFER, K.REORGANISATION}:
            if not state.in_party or state.organisation_id is None:
                raise fail(e, _("the member is not active in an organisation of this system."))
            if target is None:
                raise fail(e, _("the receiving cell is required."))
            if target == state.organisation_id:
                raise fail(e, _("the member is already in this cell."))
            state.organisation_id = target
        elif e.kind == K.TRANSFER_OUT:
            if not state.in_party or state.organisation_id is None:
                raise fail(e, _("the member is not active in an organisation of this system."))
            if target is not None and target == state.organisation_id:
                raise fail(e, _("the member is already in this cell."))
            # With a receiving cell of this system the member is in transit until it acknowledges
            # (a transfer in); without one the member leaves the system.
            state.organisation_id = None
            state.in_transit_to = target
            state.is_away = False
        elif e.kind == K.TEMP_TRANSFER_OUT:
            if not state.in_party or state.organisation_id is None or state.is_away:
                raise fail(e, _("the member is not active in the cell or is already temporarily away."))
            state.is_away = True
        elif e.kind == K.TEMP_TRANSFER_RETURN:
            if not state.is_away:
                raise fail(e, _("the member is not temporarily away."))
            state.is_away = False
        elif e.kind in {K.EXEMPTION, K.SUSPENSION}:
            flag = "is_exempt" if e.kind == K.EXEMPTION else "is_suspended"
            if not state.in_party or getattr(state, flag):
                raise fail(e, _("the member is not active or this is already in effect."))
            setattr(state, flag, True)
        elif e.kind in {K.EXEMPTION_END, K.SUSPENSION_END}:
            flag = "is_exempt" if e.kind == K.EXEMPTION_END else "is_suspended"
            if not getattr(state, flag):
                raise fail(e, _("there is nothing in effect to end."))
            setattr(state, flag, False)
        elif e.kind in {K.REMOVAL, K.EXPULSION, K.LEAVING, K.DEATH}:
            if not state.in_party:
                raise fail(e, _("the person is not a party member."))
            state.party_status = {
                K.REMOVAL: Status.REMOVED,
                K.EXPULSION: Status.EXPELLED,
                K.LEAVING: Status.LEFT,
                K.DEATH: Status.DECEASED,
            }[e.kind]
            state.is_exempt = state.is_suspended = state.is_away = False
            state.probation_end = state.in_transit_to = None
        if state.organisation_id is not None:
            state.last_organisation_id = state.organisation_id
        snapshot(e.date)

    if state.party_status is None:
        raise DomainError(_("A member record needs an admission event."))
    if state.last_organisation_id is None:
        raise DomainError(_("A member record needs an event that places the member in a cell."))
    return state
