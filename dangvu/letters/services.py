"""Actions on letters. Each runs in one transaction, checks the rules in force on the date that matters
(screening: the screening date; the deadline: the acceptance), writes the audit trail (django-simple-history,
with the acting user and a reason; a signatory's row records that it was added, never its value) and nothing
on refusal.

The person a letter is about never handles it: an actor or a handler who is that member is refused. The
senders' identity is encrypted when received (dangvu.lib.fieldcrypt) and read back only through
`read_senders`, which checks the reader (dangvu.letters.access.may_see_senders) and logs the reading."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.discipline import services as discipline_services
from dangvu.letters import rules
from dangvu.letters.access import may_see_senders
from dangvu.letters.models import (
    InspectionHead,
    Kind,
    Letter,
    Outcome,
    Route,
    SenderView,
    Signatory,
    Signed,
    State,
)
from dangvu.lib import fieldcrypt
from dangvu.lib.errors import DomainError
from dangvu.lib.workdays import Calendar
from dangvu.members.models import Member
from dangvu.orgs.models import OrgAncestry, Organisation
from dangvu.rules.registry import rules_on

MAX_TEXT = 10_000
MAX_SIGNATORIES = 50
SENDER_FIELDS = ("name", "address", "contact")
SENDER_MAX = {"name": 255, "address": 500, "contact": 255}


@dataclass(frozen=True)
class Sender:
    name: str
    address: str = ""
    contact: str = ""


def _save(obj, actor, reason: str = "") -> None:
    obj._history_user = actor
    if reason:
        obj._change_reason = reason
    obj.save()


def _required(errors: dict, field: str, value, message: str) -> None:
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        errors.setdefault(field, []).append(message)


def _not_future(errors: dict, field: str, day: dt.date | None) -> None:
    if day is not None and day > timezone.localdate():
        errors.setdefault(field, []).append(_("The date cannot be in the future."))


def _not_before(errors: dict, field: str, day: dt.date | None, earlier: dt.date | None, message: str) -> None:
    if day is not None and earlier is not None and day < earlier:
        errors.setdefault(field, []).append(message)


def _raise(errors: dict) -> None:
    if errors:
        raise DomainError(errors)


def _text(errors: dict, field: str, value: str) -> None:
    if len(value or "") > MAX_TEXT:
        errors.setdefault(field, []).append(_("At most %(max)s characters.") % {"max": MAX_TEXT})


def _state(letter: Letter, *states: str) -> None:
    if letter.state not in states:
        raise DomainError(
            _("This letter is %(state)s: that step does not apply.") % {"state": letter.get_state_display().lower()}
        )


def _not_about(letter: Letter, actor, field: str = "__all__") -> None:
    """The member a letter is about does not act on it."""
    if letter.about_member_id and getattr(actor, "member_id", None) == letter.about_member_id:
        raise DomainError(
            {field: [_("The letter is about you: another member of the inspection committee handles it.")]}
        )


# --- Intake ------------------------------------------------------------------------------------------------


@transaction.atomic
def receive(
    committee: Organisation,
    *,
    number: str,
    received_on: dt.date | None,
    channel: str,
    kind: str,
    signed: str,
    senders: Iterable[Sender],
    content: str,
    about_member: Member | None = None,
    about_organisation: Organisation | None = None,
    repeat_of: Letter | None = None,
    new_evidence: bool = False,
    actor,
) -> Letter:
    """Record a letter received by `committee` with its senders (encrypted; none for an anonymous letter)."""
    senders = [s for s in senders if any(getattr(s, f).strip() for f in SENDER_FIELDS)]
    errors: dict[str, list[str]] = {}
    _required(errors, "number", number, _("Give the receipt number."))
    _required(errors, "received_on", received_on, _("Give the date the letter was received."))
    _not_future(errors, "received_on", received_on)
    _required(errors, "content", content, _("Summarise the content of the letter."))
    _text(errors, "content", content)
    if about_member is not None and about_organisation is not None:
        errors.setdefault("about_member", []).append(_("A letter is about one member or one organisation."))
    if kind == Kind.DENUNCIATION and about_member is None and about_organisation is None:
        errors.setdefault("about_member", []).append(_("Say whom the denunciation is about."))
    if signed == Signed.ANONYMOUS and senders:
        errors.setdefault("senders", []).append(_("An anonymous letter has no signatory."))
    if signed != Signed.ANONYMOUS and not any(s.name.strip() for s in senders):
        errors.setdefault("senders", []).append(_("Give the name signed on the letter."))
    if len(senders) > MAX_SIGNATORIES:
        errors.setdefault("senders", []).append(_("At most %(max)s signatories.") % {"max": MAX_SIGNATORIES})
    for s in senders:
        for f in SENDER_FIELDS:
            if len(getattr(s, f)) > SENDER_MAX[f]:
                errors.setdefault("senders", []).append(_("At most %(max)s characters.") % {"max": SENDER_MAX[f]})
    if repeat_of is not None and repeat_of.committee_id != committee.pk:
        errors.setdefault("repeat_of", []).append(_("Choose an earlier letter of the same committee."))
    _raise(errors)
    if channel not in dict(Letter._meta.get_field("channel").choices):
        errors["channel"] = [_("Choose a channel.")]
    if kind not in Kind.values:
        errors["kind"] = [_("Choose a kind.")]
    if signed not in Signed.values:
        errors["signed"] = [_("Choose how the letter is signed.")]
    _raise(errors)
    if about_member is not None and getattr(actor, "member_id", None) == about_member.pk:
        raise DomainError(
            {"about_member": [_("The letter is about you: another member of the inspection committee handles it.")]}
        )
    letter = Letter(
        committee=committee,
        number=number.strip(),
        received_on=received_on,
        channel=channel,
        kind=kind,
        signed=signed,
        signatory_count=len(senders),
        about_member=about_member,
        about_organisation=about_organisation,
        content=content.strip(),
        repeat_of=repeat_of,
        new_evidence=new_evidence,
        recorded_by=actor,
    )
    _save(letter, actor, "received")
    for position, s in enumerate(senders, start=1):
        value = json.dumps({f: getattr(s, f).strip() for f in SENDER_FIELDS}, ensure_ascii=False)
        signatory = Signatory(letter=letter, position=position, secret=fieldcrypt.encrypt(value), recorded_by=actor)
        _save(signatory, actor, "signatory added")
    return letter


# --- Screening -------------------------------------------------------------------------------------------


@transaction.atomic
def screen(letter: Letter, *, screened_on: dt.date | None, note: str = "", actor) -> Letter:
    """Classify the letter by the rules in force on `screened_on`: not handled (with the rule's reason) or
    accepted, to be routed."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    _state(letter, State.RECEIVED)
    _not_about(letter, actor)
    errors: dict[str, list[str]] = {}
    _required(errors, "screened_on", screened_on, _("Give the date of the screening."))
    _not_future(errors, "screened_on", screened_on)
    _not_before(errors, "screened_on", screened_on, letter.received_on, _("The letter is screened after it arrives."))
    _text(errors, "note", note)
    _raise(errors)
    reason = rules.reason_not_handled(
        rules_on(screened_on),
        signed=letter.signed,
        signatories=letter.signatory_count,
        repeat=letter.repeat_of_id is not None,
        new_evidence=letter.new_evidence,
    )
    letter.screened_on = screened_on
    letter.screening_note = (note or "").strip()
    letter.not_handled_reason = reason
    letter.state = State.NOT_HANDLED if reason else State.ACCEPTED
    _save(letter, actor, f"screened: {reason or 'accepted'}")
    return letter


def reason_label(letter: Letter) -> str:
    return str(rules.REASONS.get(letter.not_handled_reason, letter.not_handled_reason))


# --- Routing ---------------------------------------------------------------------------------------------


def deadline(accepted_on: dt.date, values: dict | None = None) -> dt.date:
    values = values if values is not None else rules_on(accepted_on)
    return Calendar.from_rules(values).add_working_days(accepted_on, values["letters.deadline_working_days"])


@transaction.atomic
def route(
    letter: Letter,
    *,
    route: str,
    routed_on: dt.date | None,
    handlers: Iterable[Member] = (),
    forwarded_to: Organisation | None = None,
    transferred_to: str = "",
    note: str = "",
    actor,
) -> Letter:
    """Route an accepted letter once: handle it (by `handlers`, none of them the member it is about; the
    deadline counted in working days from the acceptance), forward it to a subordinate committee, transfer it
    to the competent body, or archive it."""
    letter = Letter.objects.select_for_update().select_related("committee").get(pk=letter.pk)
    _state(letter, State.ACCEPTED)
    _not_about(letter, actor)
    handlers = list(handlers)
    errors: dict[str, list[str]] = {}
    _required(errors, "routed_on", routed_on, _("Give the date of the routing."))
    _not_future(errors, "routed_on", routed_on)
    _not_before(errors, "routed_on", routed_on, letter.screened_on, _("The letter is routed after its screening."))
    _text(errors, "note", note)
    if route not in Route.values:
        errors["route"] = [_("Choose a route.")]
    elif route == Route.HANDLE:
        if not handlers:
            errors["handlers"] = [_("Name who handles the letter.")]
        elif letter.about_member_id and any(m.pk == letter.about_member_id for m in handlers):
            errors["handlers"] = [
                _("%(name)s is the person the letter is about and may not handle it.")
                % {"name": letter.about_member.full_name}
            ]
    elif route == Route.FORWARD:
        day = routed_on or timezone.localdate()
        if forwarded_to is None:
            errors["forwarded_to"] = [_("Choose the subordinate committee.")]
        elif not (
            forwarded_to.in_force_on(day)
            and OrgAncestry.objects.filter(
                OrgAncestry.on(day), ancestor=letter.committee, descendant=forwarded_to, depth__gt=0
            ).exists()
        ):
            errors["forwarded_to"] = [
                _("%(org)s is not a committee under %(committee)s in force on that date.")
                % {"org": forwarded_to.name, "committee": letter.committee.name}
            ]
    elif route == Route.TRANSFER:
        _required(errors, "transferred_to", transferred_to, _("Name the competent body."))
    elif route == Route.ARCHIVE:
        _required(errors, "note", note, _("Give the reason for archiving the letter."))
    _raise(errors)
    letter.route, letter.routed_on, letter.route_note = route, routed_on, (note or "").strip()
    letter.state = {
        Route.HANDLE: State.HANDLING,
        Route.FORWARD: State.FORWARDED,
        Route.TRANSFER: State.TRANSFERRED,
        Route.ARCHIVE: State.ARCHIVED,
    }[route]
    if route == Route.HANDLE:
        letter.due_on = deadline(letter.screened_on)
    if route == Route.FORWARD:
        letter.forwarded_to = forwarded_to
    if route == Route.TRANSFER:
        letter.transferred_to = transferred_to.strip()
    _save(letter, actor, f"routed: {route}")
    if route == Route.HANDLE:
        letter.handlers.set(handlers)
    return letter


# --- Extension -------------------------------------------------------------------------------------------


@transaction.atomic
def extend(letter: Letter, *, days: int | None, reason: str, notice_on: dt.date | None, actor) -> Letter:
    """Extend the deadline once by at most `letters.extension_max_working_days` working days, with the date
    the sender was notified."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    _state(letter, State.HANDLING)
    _not_about(letter, actor)
    if letter.extension_days is not None:
        raise DomainError(_("The deadline of this letter was already extended once."))
    errors: dict[str, list[str]] = {}
    _required(errors, "days", days, _("Give the number of working days."))
    _required(errors, "reason", reason, _("Give the reason for the extension."))
    _text(errors, "reason", reason)
    _required(errors, "notice_on", notice_on, _("Give the date the sender was notified."))
    _not_future(errors, "notice_on", notice_on)
    _raise(errors)
    values = rules_on(letter.due_on)
    longest = values["letters.extension_max_working_days"]
    if days < 1 or days > longest:
        raise DomainError({"days": [_("Between 1 and %(max)s working days.") % {"max": longest}]})
    letter.extension_days = days
    letter.extended_due_on = Calendar.from_rules(values).add_working_days(letter.due_on, days)
    letter.extension_reason = reason.strip()
    letter.extension_notice_on = notice_on
    _save(letter, actor, "deadline extended")
    return letter


# --- Outcome ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseSpec:
    """What the discipline case opened from a letter needs (dangvu.discipline.services.open_case)."""

    category: str
    facts: str
    violation_date: dt.date | None
    proposed_form: str


@transaction.atomic
def conclude(
    letter: Letter,
    *,
    outcome: str,
    concluded_on: dt.date | None,
    conclusion: str,
    case: CaseSpec | None = None,
    result_notice_on: dt.date | None = None,
    existing_case=None,
    actor,
) -> Letter:
    """The outcome of a handled letter: a discipline case opened (through dangvu.discipline.services, about
    the member or organisation the letter is about — or `existing_case`, one already opened on the same
    subject), a review with lessons drawn, or unfounded."""
    letter = (
        Letter.objects.select_for_update(of=("self",))
        .select_related("about_member", "about_organisation")
        .get(pk=letter.pk)
    )
    _state(letter, State.HANDLING)
    _not_about(letter, actor)
    errors: dict[str, list[str]] = {}
    _required(errors, "concluded_on", concluded_on, _("Give the date of the conclusion."))
    _not_future(errors, "concluded_on", concluded_on)
    _not_before(errors, "concluded_on", concluded_on, letter.routed_on, _("The conclusion follows the routing."))
    _required(errors, "conclusion", conclusion, _("Summarise the conclusion."))
    _text(errors, "conclusion", conclusion)
    _not_future(errors, "result_notice_on", result_notice_on)
    _not_before(errors, "result_notice_on", result_notice_on, concluded_on, _("The notice follows the conclusion."))
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Choose an outcome.")]
    elif outcome == Outcome.DISCIPLINE:
        if letter.about_member_id is None and letter.about_organisation_id is None:
            errors["outcome"] = [_("The letter is about nobody on record: no discipline case can be opened.")]
        elif existing_case is not None:
            same = (
                existing_case.member_id == letter.about_member_id
                if letter.about_member_id
                else existing_case.member_id is None and existing_case.organisation_id == letter.about_organisation_id
            )
            if not same:
                errors["outcome"] = [_("The discipline case is about someone else.")]
        elif case is None:
            errors["outcome"] = [_("Give the violation for the discipline case.")]
    _raise(errors)
    if outcome == Outcome.DISCIPLINE and existing_case is not None:
        letter.case = existing_case
    elif outcome == Outcome.DISCIPLINE:
        subject = (
            {"member": letter.about_member} if letter.about_member_id else {"organisation": letter.about_organisation}
        )
        letter.case = discipline_services.open_case(
            **subject,
            category=case.category,
            facts=case.facts,
            violation_date=case.violation_date,
            proposed_form=case.proposed_form,
            opened_on=concluded_on,
            actor=actor,
        )
    letter.outcome, letter.concluded_on, letter.conclusion = outcome, concluded_on, conclusion.strip()
    letter.result_notice_on = result_notice_on
    letter.state = State.CONCLUDED
    _save(letter, actor, f"concluded: {outcome}")
    return letter


@transaction.atomic
def record_result_notice(letter: Letter, *, notice_on: dt.date | None, actor) -> Letter:
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    _state(letter, State.CONCLUDED)
    errors: dict[str, list[str]] = {}
    _required(errors, "notice_on", notice_on, _("Give the date the sender was notified."))
    _not_future(errors, "notice_on", notice_on)
    _not_before(errors, "notice_on", notice_on, letter.concluded_on, _("The notice follows the conclusion."))
    _raise(errors)
    letter.result_notice_on = notice_on
    _save(letter, actor, "result notified")
    return letter


# --- The senders (secret) --------------------------------------------------------------------------------


@transaction.atomic
def read_senders(letter: Letter, viewer, surface: str) -> list[Sender]:
    """The senders of `letter` for `viewer`, who must hold the inspection role of the handling committee;
    logs the reading (who, when, page or API). Anyone else: PermissionDenied, and nothing is logged."""
    if not may_see_senders(viewer, letter):
        raise PermissionDenied
    SenderView.objects.create(letter=letter, viewer=viewer, surface=surface)
    result = []
    for token in Signatory.objects.filter(letter=letter).order_by("position").values_list("secret", flat=True):
        data = json.loads(fieldcrypt.decrypt(token))
        result.append(Sender(**{f: data.get(f, "") for f in SENDER_FIELDS}))
    return result


@transaction.atomic
def designate_head(committee: Organisation, user, *, valid_from: dt.date | None, actor) -> InspectionHead:
    """The administrator designates the head of a committee's inspection committee (ending the previous one)."""
    if valid_from is None:
        raise DomainError({"valid_from": [_("Give the date from which the designation applies.")]})
    for previous in InspectionHead.objects.filter(committee=committee, valid_to__isnull=True):
        previous.valid_to = max(valid_from, previous.valid_from)
        _save(previous, actor, "designation ended")
    head = InspectionHead(committee=committee, user=user, valid_from=valid_from, designated_by=actor)
    _save(head, actor, "designated")
    return head
