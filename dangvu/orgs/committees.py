"""Actions on committees (cấp ủy per term), their seats, and leadership assignments (phân công phụ trách)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.lib.errors import DomainError
from dangvu.orgs.models import Committee, CommitteeSeat, LeadershipAssignment, Organisation, Position, Term


def _check_period(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end <= start:
        raise DomainError(_("The end date must be after the start date."))


@transaction.atomic
def elect_committee(
    organisation: Organisation, term: Term, elected_on: dt.date, actor, document_number: str = ""
) -> Committee:
    if organisation.valid_to is not None:
        raise DomainError(_("%(org)s no longer exists.") % {"org": organisation.name})
    if not (term.start <= elected_on <= term.end):
        raise DomainError(_("The election date must fall within term %(term)s.") % {"term": term.code})
    if Committee.objects.filter(organisation=organisation, term=term).exists():
        raise DomainError(_("This organisation already has a committee for term %(term)s.") % {"term": term.code})
    committee = Committee(organisation=organisation, term=term, elected_on=elected_on, document_number=document_number)
    committee._history_user = actor
    committee.save()
    return committee


@transaction.atomic
def add_seat(
    committee: Committee,
    member,
    position: str,
    valid_from: dt.date,
    actor,
    valid_to: dt.date | None = None,
    document_number: str = "",
) -> CommitteeSeat:
    """Seat a party member on a committee. Secretary and deputy secretary seats are unique at a time."""
    from dangvu.members.models import Status

    _check_period(valid_from, valid_to)
    if member.status not in Status.in_party():
        raise DomainError(_("Only a party member can sit on a committee."))
    if position in (Position.SECRETARY,) and committee.seats.filter(position=position, valid_to__isnull=True).exists():
        raise DomainError(_("This committee already has a secretary; end that seat first."))
    seat = CommitteeSeat(
        committee=committee,
        member=member,
        position=position,
        valid_from=valid_from,
        valid_to=valid_to,
        document_number=document_number,
    )
    seat._history_user = actor
    seat.save()
    return seat


@transaction.atomic
def assign_leadership(
    seat: CommitteeSeat,
    organisation: Organisation,
    valid_from: dt.date,
    actor,
    valid_to: dt.date | None = None,
    document_number: str = "",
) -> LeadershipAssignment:
    """A committee member is put in charge of an organisation below the committee's own."""
    _check_period(valid_from, valid_to)
    own = seat.committee.organisation
    if organisation.pk == own.pk or not organisation.path.startswith(own.path):
        raise DomainError(_("A committee member can only be in charge of an organisation under their committee."))
    assignment = LeadershipAssignment(
        seat=seat, organisation=organisation, valid_from=valid_from, valid_to=valid_to, document_number=document_number
    )
    assignment._history_user = actor
    assignment.save()
    return assignment


@transaction.atomic
def end_seat(seat: CommitteeSeat, day: dt.date, actor, reason: str = "") -> CommitteeSeat:
    """End a committee seat on `day` (removal from post by a discipline decision, dangvu.discipline): the
    seat keeps its history, with the reason."""
    seat = CommitteeSeat.objects.select_for_update().get(pk=seat.pk)
    if seat.valid_to is not None and seat.valid_to <= day:
        raise DomainError(_("This seat had already ended."))
    _check_period(seat.valid_from, day)
    seat.valid_to = day
    seat._history_user = actor
    seat._change_reason = reason
    seat.save(update_fields=["valid_to"])
    return seat
