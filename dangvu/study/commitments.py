"""Actions on commitments and the register of exemplary models and commendations (issue 14 item 4). Each runs
in one transaction, is refused (DomainError, nothing written) on bad input or PermissionDenied, and writes the
audit trail (simple-history with the user and a reason).

- The member makes their own yearly commitment ("học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí
  Minh"), one a year, for the current year, while in the Party; they review it once, not before the day it
  was made (the cell's year-end review meeting sets when: docs/decisions.md, issue 14).
- The committee office registers models (collective or individual) and commendations of its subtrees; an
  individual one names a member of the organisation's subtree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.lib.errors import DomainError
from dangvu.lib.text import nfc
from dangvu.members.models import Member, Status
from dangvu.orgs.models import Organisation
from dangvu.study.access import can_manage
from dangvu.study.models import Commendation, Commitment, ExemplaryModel, ReviewResult, Subject

MAX_TEXT = 5000


def _save(obj, actor, reason: str) -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()


def _text(value: str, field: str) -> str:
    value = nfc(value).strip()
    if not value:
        raise DomainError({field: _("This field is required.")})
    if len(value) > MAX_TEXT:
        raise DomainError({field: _("At most %(n)s characters.") % {"n": MAX_TEXT}})
    return value


@transaction.atomic
def make_commitment(member: Member, actor, *, content: str, on: dt.date | None = None) -> Commitment:
    on = on or timezone.localdate()
    if getattr(actor, "member_id", None) != member.pk:
        raise PermissionDenied
    if member.status not in Status.in_party():
        raise DomainError(_("Only a member in the Party makes a commitment."))
    if Commitment.objects.filter(member=member, year=on.year).exists():
        raise DomainError(_("Your commitment for %(year)s is already registered.") % {"year": on.year})
    commitment = Commitment(member=member, year=on.year, content=_text(content, "content"), made_on=on)
    _save(commitment, actor, "yearly commitment")
    return commitment


@transaction.atomic
def review_commitment(
    commitment: Commitment, actor, *, review: str, result: str, on: dt.date | None = None
) -> Commitment:
    on = on or timezone.localdate()
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if getattr(actor, "member_id", None) != commitment.member_id:
        raise PermissionDenied
    if commitment.reviewed_on is not None:
        raise DomainError(_("This commitment was already reviewed."))
    if on < commitment.made_on:
        raise DomainError(_("The review cannot be before the commitment."))
    if result not in ReviewResult.values:
        raise DomainError({"result": _("Choose the result.")})
    commitment.review = _text(review, "review")
    commitment.result = result
    commitment.reviewed_on = on
    _save(commitment, actor, "year-end review of the commitment")
    return commitment


@dataclass
class Recognition:
    organisation: Organisation
    subject: str
    name: str  # the model's name, or the commendation's recipient
    date: dt.date
    member: Member | None = None
    description: str = ""  # the model's description, or the commendation's reason
    document_number: str = ""


def _check(spec: Recognition, actor) -> None:
    if not can_manage(actor, spec.organisation):
        raise PermissionDenied
    if spec.subject not in Subject.values:
        raise DomainError({"subject": _("Choose collective or individual.")})
    if spec.subject == Subject.INDIVIDUAL:
        if spec.member is None:
            raise DomainError({"member": _("Name the member.")})
        if not (spec.member.org_path or "").startswith(spec.organisation.path):
            raise DomainError({"member": _("The member is not in this organisation.")})
    else:
        spec.member = None
    if spec.date > timezone.localdate():
        raise DomainError({"date": _("The date is in the future.")})
    if not spec.organisation.in_force_on(spec.date):
        raise DomainError({"organisation": _("The organisation was not in force on that date.")})


@transaction.atomic
def register_model(spec: Recognition, actor) -> ExemplaryModel:
    _check(spec, actor)
    model = ExemplaryModel(
        organisation=spec.organisation,
        subject=spec.subject,
        member=spec.member,
        name=_text(spec.name, "name"),
        description=nfc(spec.description).strip(),
        recognised_on=spec.date,
        document_number=nfc(spec.document_number).strip(),
        recorded_by=actor,
    )
    _save(model, actor, "exemplary model")
    return model


@transaction.atomic
def record_commendation(spec: Recognition, actor) -> Commendation:
    _check(spec, actor)
    commendation = Commendation(
        organisation=spec.organisation,
        subject=spec.subject,
        member=spec.member,
        recipient=_text(spec.name, "name"),
        reason=_text(spec.description, "description")[:500],
        date=spec.date,
        document_number=nfc(spec.document_number).strip(),
        recorded_by=actor,
    )
    _save(commendation, actor, "commendation")
    return commendation
