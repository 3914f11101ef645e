"""Actions on transfers: issue the introduction letter, acknowledge receipt, end a temporary transfer,
cancel, and register a member arriving from outside the system. Each runs in one transaction, writes the
member's events through dangvu.members.services (which re-derives and audits) and the transfer's own
history. Who may act on which side is decided by dangvu.transfers.access."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.lib.errors import DomainError
from dangvu.lib.workdays import Calendar
from dangvu.members import services as member_services
from dangvu.members.models import EventKind, Member, Status
from dangvu.orgs.models import Organisation, OrgKind
from dangvu.rules.dues import Moved
from dangvu.rules.registry import RuleBook
from dangvu.transfers.models import Transfer, TransferKind, TransferState


def present_by(letter_date: dt.date, book: RuleBook | None = None) -> dt.date:
    """Last day for the member to present the letter to the receiving side (in working days), by the
    rules in force on the letter's date (`book`: the rule sets, read here when not given)."""
    values = (book or RuleBook.load()).on(letter_date)
    return Calendar.from_rules(values).add_working_days(letter_date, values["transfer.present_working_days"])


def refresh_open_dues(book: RuleBook, actor, *, write: bool, reason: str = "") -> list[Moved]:
    """The last day to present every letter still awaiting acknowledgment, recomputed from `book`
    (dangvu.rules.dues): those that differ from the stored one, saved (locked, audited with `actor` and
    `reason`) when `write`. Acknowledged, returned and cancelled transfers keep the date they had."""
    rows = Transfer.objects.filter(state=TransferState.IN_TRANSIT).select_related("member").order_by("pk")
    if write:
        rows = rows.select_for_update(of=("self",))
    moved = []
    for transfer in rows:
        due = present_by(transfer.letter_date, book)
        if due == transfer.due_on:
            continue
        url = reverse("transfers:detail", args=[transfer.pk])
        moved.append(Moved("transfer", transfer.pk, transfer.member.full_name, transfer.due_on, due, url))
        if write:
            transfer.due_on = due
            transfer._history_user = actor
            transfer._change_reason = reason
            transfer.save(update_fields=["due_on"])
    return moved


def _check_letter(letter_number: str, letter_date: dt.date | None) -> None:
    if not (letter_number or "").strip() or letter_date is None:
        raise DomainError(_("The introduction letter's number and date are required."))
    if letter_date > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."))


def _save(transfer: Transfer, actor) -> Transfer:
    transfer._history_user = actor
    transfer.save()
    return transfer


@transaction.atomic
def issue(
    member: Member,
    actor,
    *,
    kind: str,
    letter_number: str,
    letter_date: dt.date,
    to_organisation: Organisation | None = None,
    to_external: str = "",
    issuer: str = "",
    reason: str = "",
    note: str = "",
) -> Transfer:
    """The sending side issues the introduction letter. An official transfer to a cell of this system
    puts the member in transit until that cell acknowledges; to an organisation outside the system the
    member leaves the system's counts at once (the acknowledgment slip is still expected back)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_letter(letter_number, letter_date)
    if kind not in TransferKind.values:
        raise DomainError(_("Unknown kind of transfer."))
    if (to_organisation is None) == (not to_external.strip()):
        raise DomainError(_("Give either the receiving cell of this system or the organisation outside it."))
    if to_organisation is not None:
        if to_organisation.kind not in OrgKind.member_holding() or not to_organisation.is_active:
            raise DomainError(_("Members can only be transferred to a party cell that is in force."))
        if to_organisation.pk == member.organisation_id:
            raise DomainError(_("The member is already in this cell."))
    if member.status not in Status.in_party():
        raise DomainError(_("Only a member active in a cell can be transferred."))
    if Transfer.objects.filter(member=member, state=TransferState.IN_TRANSIT).exists():
        raise DomainError(_("The member already has a transfer awaiting acknowledgment."))
    event_kind = EventKind.TRANSFER_OUT if kind == TransferKind.OFFICIAL else EventKind.TEMP_TRANSFER_OUT
    sending = member.organisation
    event = member_services.record_event(
        member,
        actor,
        kind=event_kind,
        date=letter_date,
        # An official transfer inside the system names the receiving cell (the member is in transit);
        # a temporary one keeps the member in the home cell.
        organisation=to_organisation if kind == TransferKind.OFFICIAL else None,
        external_organisation=to_external,
        document_number=letter_number,
        document_date=letter_date,
        issuer=issuer,
        note=reason,
    )
    return _save(
        Transfer(
            member=member,
            kind=kind,
            state=TransferState.IN_TRANSIT,
            from_organisation=sending,
            to_organisation=to_organisation,
            to_external=to_external.strip(),
            letter_number=letter_number.strip(),
            letter_date=letter_date,
            issuer=issuer,
            reason=reason,
            note=note,
            due_on=present_by(letter_date),
            out_event=event,
            recorded_by=actor,
        ),
        actor,
    )


def _lock(transfer: Transfer) -> Transfer:
    # Lock the transfer row only: PostgreSQL refuses FOR UPDATE on the nullable side of the outer join
    # that `to_organisation` needs (the member row is locked by members.services when written).
    return (
        Transfer.objects.select_for_update(of=("self",)).select_related("member", "to_organisation").get(pk=transfer.pk)
    )


@transaction.atomic
def acknowledge(transfer: Transfer, actor, *, date: dt.date, acknowledgment: str = "") -> Transfer:
    """The receiving side acknowledges (for a destination outside the system: the sending side records
    the returned slip). An official transfer inside the system places the member in the new cell."""
    transfer = _lock(transfer)
    if transfer.state != TransferState.IN_TRANSIT:
        raise DomainError(_("This transfer is not awaiting acknowledgment."))
    if date > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."))
    if date < transfer.letter_date:
        raise DomainError(_("The acknowledgment cannot precede the letter."))
    if transfer.kind == TransferKind.OFFICIAL and transfer.to_organisation_id:
        transfer.in_event = member_services.record_event(
            transfer.member,
            actor,
            kind=EventKind.TRANSFER_IN,
            date=date,
            organisation=transfer.to_organisation,
            document_number=transfer.letter_number,
            document_date=transfer.letter_date,
            issuer=transfer.issuer,
            note=acknowledgment,
        )
    transfer.state = TransferState.ACKNOWLEDGED
    transfer.acknowledged_on = date
    transfer.acknowledgment = acknowledgment
    transfer.acknowledged_by = actor
    return _save(transfer, actor)


@transaction.atomic
def end_temporary(transfer: Transfer, actor, *, date: dt.date, note: str = "") -> Transfer:
    """The member returns to the home cell at the end of a temporary transfer."""
    transfer = _lock(transfer)
    if transfer.kind != TransferKind.TEMPORARY or transfer.state not in {
        TransferState.IN_TRANSIT,
        TransferState.ACKNOWLEDGED,
    }:
        raise DomainError(_("Only an ongoing temporary transfer can end."))
    transfer.in_event = member_services.record_event(
        transfer.member,
        actor,
        kind=EventKind.TEMP_TRANSFER_RETURN,
        date=date,
        organisation=None,
        note=note,
    )
    transfer.state = TransferState.RETURNED
    transfer.returned_on = date
    return _save(transfer, actor)


@transaction.atomic
def cancel(transfer: Transfer, actor, *, reason: str) -> Transfer:
    """Withdraw a letter that nobody acknowledged: the transfer-out event is annulled, so the member is
    back in the sending cell as if it had not happened (both stay in the audit trail)."""
    transfer = _lock(transfer)
    if transfer.state != TransferState.IN_TRANSIT:
        raise DomainError(_("Only a transfer awaiting acknowledgment can be cancelled."))
    if not reason.strip():
        raise DomainError(_("Give the reason for the cancellation."))
    member_services.annul_event(transfer.out_event, actor, reason)
    transfer.state = TransferState.CANCELLED
    transfer.note = "\n".join(filter(None, [transfer.note, reason]))
    return _save(transfer, actor)


@transaction.atomic
def receive_from_outside(
    fields: dict[str, Any],
    cell: Organisation,
    actor,
    *,
    date: dt.date,
    from_external: str,
    letter_number: str,
    letter_date: dt.date,
    admission_date: dt.date,
    official_date: dt.date | None = None,
    issuer: str = "",
) -> Transfer:
    """A member arrives with a letter from an organisation outside the system: the member record is
    created (admitted there, transferred in here) and the transfer is acknowledged on arrival."""
    _check_letter(letter_number, letter_date)
    if not from_external.strip():
        raise DomainError(_("Name the sending organisation."))
    if date < letter_date:
        raise DomainError(_("The acknowledgment cannot precede the letter."))
    events: list[dict[str, Any]] = [
        {"kind": EventKind.ADMISSION, "date": admission_date, "external_organisation": from_external}
    ]
    if official_date:
        events.append({"kind": EventKind.OFFICIAL, "date": official_date, "external_organisation": from_external})
    events.append(
        {
            "kind": EventKind.TRANSFER_IN,
            "date": date,
            "organisation": cell,
            "external_organisation": from_external,
            "document_number": letter_number,
            "document_date": letter_date,
            "issuer": issuer,
        }
    )
    member = member_services.create_member(fields, events, actor)
    in_event = member.events.get(kind=EventKind.TRANSFER_IN)
    return _save(
        Transfer(
            member=member,
            kind=TransferKind.OFFICIAL,
            state=TransferState.ACKNOWLEDGED,
            from_external=from_external.strip(),
            to_organisation=cell,
            letter_number=letter_number.strip(),
            letter_date=letter_date,
            issuer=issuer,
            due_on=present_by(letter_date),
            acknowledged_on=date,
            acknowledged_by=actor,
            in_event=in_event,
            recorded_by=actor,
        ),
        actor,
    )
