"""Actions on discipline cases. Each runs in one transaction, checks its rules against the rule set in force
on the date that matters (opening: the opening date; decision: the decision date; appeal: its dates), writes
the audit trail (django-simple-history, with the acting user and a reason) and nothing else on refusal.

Expulsion is recorded as an EXPULSION event of the member (dangvu.members.services), so the member record,
its timeline and the counts follow; dissolution is a DISSOLVE reorganisation (dangvu.orgs.services);
removal from post ends the committee seat (dangvu.orgs.committees)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.discipline import authority, checks
from dangvu.discipline.models import AppealOutcome, Case, CaseState, Form, Organ, StateNotice, SubjectKind
from dangvu.lib.dates import add_months, fmt
from dangvu.lib.errors import DomainError
from dangvu.lib.workdays import Calendar
from dangvu.members import services as member_services
from dangvu.members.models import EventKind, Member, MemberPeriod, Status
from dangvu.orgs import committees
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Organisation
from dangvu.rules import presentation
from dangvu.rules.registry import rules_on

MAX_TEXT = 10_000


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


def _raise(errors: dict) -> None:
    if errors:
        raise DomainError(errors)


def later_violations(case: Case) -> list[dt.date]:
    """Dates of the subject's other violations (cases not closed without discipline): a new violation
    restarts the limitation period of an earlier one."""
    others = Case.objects.exclude(pk=case.pk).exclude(state=CaseState.DROPPED)
    if case.member_id:
        others = others.filter(member_id=case.member_id)
    else:
        others = others.filter(subject_kind=SubjectKind.ORGANISATION, organisation_id=case.organisation_id)
    return list(others.filter(violation_date__gt=case.violation_date).values_list("violation_date", flat=True))


def cell_on(member: Member, day: dt.date) -> Organisation:
    period = MemberPeriod.objects.filter(MemberPeriod.on(day), member=member).select_related("organisation").first()
    return period.organisation if period else member.organisation


def _subject_class(case: Case, member: Member | None) -> str:
    return checks.subject_class(
        organisation=case.subject_kind == SubjectKind.ORGANISATION,
        probationary=member is not None and member.status == Status.PROBATIONARY,
    )


# --- Opening ------------------------------------------------------------------------------------------


@transaction.atomic
def open_case(
    *,
    member: Member | None = None,
    organisation: Organisation | None = None,
    category: str,
    facts: str,
    violation_date: dt.date | None,
    proposed_form: str,
    opened_on: dt.date | None,
    actor,
) -> Case:
    """Open a case on a violation of a member (in the Party) or an organisation (in force). The proposed form
    must be one the subject may receive and the violation within its limitation period on the opening day."""
    if (member is None) == (organisation is None):
        raise DomainError(_("A case is about one party member or one party organisation."))
    errors: dict[str, list[str]] = {}
    _required(errors, "facts", facts, _("Describe the facts of the violation."))
    if len(facts or "") > MAX_TEXT:
        errors.setdefault("facts", []).append(_("At most %(max)s characters.") % {"max": MAX_TEXT})
    _required(errors, "violation_date", violation_date, _("Give the date of the violation."))
    _required(errors, "opened_on", opened_on, _("Give the date the case is opened."))
    _not_future(errors, "violation_date", violation_date)
    _not_future(errors, "opened_on", opened_on)
    if violation_date and opened_on and violation_date > opened_on:
        errors.setdefault("violation_date", []).append(_("The violation precedes the opening of the case."))
    _raise(errors)
    values = rules_on(opened_on)
    if category not in values["discipline.categories"]:
        errors["category"] = [_("Choose a category of violation.")]
    if proposed_form not in Form.values:
        errors["proposed_form"] = [_("Choose a form.")]
    if member is not None and member.status not in Status.in_party():
        errors.setdefault("member", []).append(_("%(name)s is not a party member.") % {"name": member.full_name})
    if organisation is not None and not organisation.in_force_on(opened_on):
        errors.setdefault("organisation", []).append(
            _("%(org)s is not in force on that date.") % {"org": organisation.name}
        )
    _raise(errors)
    case = Case(
        subject_kind=SubjectKind.MEMBER if member else SubjectKind.ORGANISATION,
        member=member,
        organisation=cell_on(member, opened_on) if member else organisation,
        category=category,
        facts=facts.strip(),
        violation_date=violation_date,
        proposed_form=proposed_form,
        opened_on=opened_on,
        recorded_by=actor,
    )
    holds_post = bool(member and authority.seats_on(member, opened_on))
    checks.check_form(values, proposed_form, _subject_class(case, member), holds_post=holds_post, field="proposed_form")
    checks.check_limitation(
        values, proposed_form, category, violation_date, opened_on, later_violations(case), "proposed_form"
    )
    _save(case, actor, "opened")
    return case


# --- Decision -----------------------------------------------------------------------------------------


@dataclass
class Decision:
    form: str
    decided_by: Organisation | None
    organ: str
    document_number: str
    document_date: dt.date | None
    issuer: str
    effective_date: dt.date | None
    seat_id: int | None = None  # removal from post: the seat removed


def _check_decision_fields(case: Case, d: Decision) -> None:
    errors: dict[str, list[str]] = {}
    _required(errors, "form", d.form, _("Choose the form decided."))
    _required(errors, "decided_by", d.decided_by, _("Choose the deciding organisation."))
    if d.organ not in Organ.values:
        errors["organ"] = [_("Choose the deciding body.")]
    _required(errors, "document_number", d.document_number, _("Give the decision's number."))
    _required(errors, "document_date", d.document_date, _("Give the decision's date."))
    _required(errors, "effective_date", d.effective_date, _("Give the date the decision takes effect."))
    if len(d.document_number or "") > 64:
        errors.setdefault("document_number", []).append(_("At most %(max)s characters.") % {"max": 64})
    _not_future(errors, "document_date", d.document_date)
    _not_future(errors, "effective_date", d.effective_date)
    if d.document_date and d.document_date < case.violation_date:
        errors.setdefault("document_date", []).append(_("The decision follows the violation."))
    if d.document_date and d.effective_date and d.effective_date < d.document_date:
        errors.setdefault("effective_date", []).append(_("A decision takes effect on or after its date."))
    _raise(errors)


@transaction.atomic
def decide(case: Case, d: Decision, actor) -> Case:
    """Record the discipline decision: form allowed for the subject's status and post, within the limitation
    period on the decision date, by a body the authority table names; then expulsion, dissolution or removal
    from post is carried out through the member, organisation or committee records."""
    case = Case.objects.select_for_update(of=("self",)).select_related("member", "organisation").get(pk=case.pk)
    if case.state != CaseState.OPEN:
        raise DomainError(_("This case is already closed."), code="state")
    _check_decision_fields(case, d)
    values = rules_on(d.document_date)
    member = case.member
    if member is not None and member.status not in Status.in_party():
        raise DomainError(_("%(name)s is no longer a party member.") % {"name": member.full_name}, code="status")
    if member is not None:
        cell = cell_on(member, d.document_date)
        subject = authority.subject_levels(member=member, cell=cell, day=d.document_date)
    else:
        cell = case.organisation
        subject = authority.subject_levels(organisation=case.organisation, day=d.document_date)
    seats = authority.seats_on(member, d.document_date) if member else []
    checks.check_form(values, d.form, _subject_class(case, member), holds_post=bool(seats))
    checks.check_limitation(
        values, d.form, case.category, case.violation_date, d.document_date, later_violations(case), "form"
    )
    authority.check(values, subject, d.form, d.decided_by, d.organ)
    seat = None
    if d.form == Form.REMOVAL:
        seat = next((s for s in seats if s.pk == d.seat_id), None)
        if seat is None:
            raise DomainError({"seat": [_("Choose the post the member is removed from.")]})
    case.state, case.form, case.final_form = CaseState.DECIDED, d.form, d.form
    case.decided_by, case.organ = d.decided_by, d.organ
    case.document_number, case.document_date = d.document_number.strip(), d.document_date
    case.issuer, case.effective_date = d.issuer.strip(), d.effective_date
    case.organisation = cell
    case.committee_member = bool(seats)
    case.seat = seat
    reason = _("Discipline decision %(number)s") % {"number": case.document_number}
    if d.form == Form.EXPULSION:
        case.member_event = member_services.record_event(
            member,
            actor,
            kind=EventKind.EXPULSION,
            date=d.effective_date,
            organisation=cell,
            document_number=case.document_number,
            document_date=d.document_date,
            issuer=case.issuer or d.decided_by.name,
            note=reason,
        )
    elif d.form == Form.DISSOLUTION:
        effects = org_services.dissolve(
            case.organisation,
            d.effective_date,
            org_services.Document(case.document_number, d.document_date, case.issuer or d.decided_by.name, reason),
            actor,
        )
        case.reorganisation = effects.reorganisation
    elif seat is not None:
        committees.end_seat(seat, d.effective_date, actor, reason)
    _save(case, actor, "decided")
    return case


@transaction.atomic
def drop(case: Case, reason: str, on: dt.date | None, actor) -> Case:
    """Close a case without discipline (no violation found, or beyond the period), with the reason."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.state != CaseState.OPEN:
        raise DomainError(_("This case is already closed."), code="state")
    errors: dict[str, list[str]] = {}
    _required(errors, "reason", reason, _("Give the reason."))
    _required(errors, "document_date", on, _("Give the date."))
    _not_future(errors, "document_date", on)
    if on and on < case.opened_on:
        errors.setdefault("document_date", []).append(_("The case is closed after it was opened."))
    _raise(errors)
    case.state, case.reason, case.document_date = CaseState.DROPPED, reason.strip()[:MAX_TEXT], on
    _save(case, actor, "dropped")
    return case


# --- Appeal -------------------------------------------------------------------------------------------


def appeal_until(case: Case) -> dt.date:
    """Last day to appeal: `discipline.appeal_months` from the decision (rule set of the decision date)."""
    return add_months(case.document_date, rules_on(case.document_date)["discipline.appeal_months"])


@transaction.atomic
def lodge_appeal(case: Case, lodged_on: dt.date | None, appeal_to: str, actor) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.state != CaseState.DECIDED or case.appeal_lodged_on:
        raise DomainError(_("Only a discipline decision not yet appealed can be appealed."), code="state")
    errors: dict[str, list[str]] = {}
    _required(errors, "appeal_lodged_on", lodged_on, _("Give the date of the appeal."))
    _required(errors, "appeal_to", appeal_to, _("Say which body the appeal is lodged with."))
    _not_future(errors, "appeal_lodged_on", lodged_on)
    _raise(errors)
    if lodged_on < case.document_date:
        raise DomainError({"appeal_lodged_on": [_("An appeal follows the decision.")]})
    until = appeal_until(case)
    if lodged_on > until:
        raise DomainError(
            {
                "appeal_lodged_on": [
                    _("Too late: an appeal is lodged by %(day)s (%(rule)s).")
                    % {"day": fmt(until), "rule": presentation.label("discipline.appeal_months")}
                ]
            },
            code="appeal_late",
        )
    values = rules_on(lodged_on)
    case.appeal_lodged_on, case.appeal_to = lodged_on, appeal_to.strip()[:255]
    case.appeal_due = Calendar.from_rules(values).add_working_days(lodged_on, values["discipline.appeal_working_days"])
    _save(case, actor, "appeal lodged")
    return case


@transaction.atomic
def settle_appeal(
    case: Case,
    outcome: str,
    decided_on: dt.date | None,
    document_number: str,
    actor,
    *,
    new_form: str = "",
    note: str = "",
) -> Case:
    """The appeal's outcome: upheld, the form changed (to one allowed for the subject), or the decision
    annulled. An expulsion annulled or changed is undone by annulling the member's expulsion event; a form
    changed to expulsion records one."""
    case = Case.objects.select_for_update(of=("self",)).select_related("member", "member_event").get(pk=case.pk)
    if case.state != CaseState.DECIDED or not case.appeal_lodged_on or case.appeal_outcome:
        raise DomainError(_("There is no appeal waiting for its outcome."), code="state")
    errors: dict[str, list[str]] = {}
    if outcome not in (AppealOutcome.UPHELD, AppealOutcome.CHANGED, AppealOutcome.ANNULLED):
        errors["appeal_outcome"] = [_("Choose the outcome.")]
    _required(errors, "appeal_decided_on", decided_on, _("Give the date of the outcome."))
    _required(errors, "appeal_document_number", document_number, _("Give the number of the document."))
    _not_future(errors, "appeal_decided_on", decided_on)
    if decided_on and decided_on < case.appeal_lodged_on:
        errors.setdefault("appeal_decided_on", []).append(_("The outcome follows the appeal."))
    if outcome == AppealOutcome.CHANGED and (new_form == case.form or new_form not in Form.values):
        errors["new_form"] = [_("Choose the form that replaces the one decided.")]
    _raise(errors)
    final = {AppealOutcome.UPHELD: case.form, AppealOutcome.CHANGED: new_form, AppealOutcome.ANNULLED: ""}[outcome]
    if final != case.form and Form.DISSOLUTION in (final, case.form):
        raise DomainError(
            {"appeal_outcome": [_("A dissolution is a reorganisation: record a re-establishment in the tree.")]}
        )
    if outcome == AppealOutcome.CHANGED:
        member = case.member
        checks.check_form(
            rules_on(decided_on),
            new_form,
            _subject_class(case, member),
            holds_post=bool(case.seat_id) or bool(member and authority.seats_on(member, decided_on)),
            field="new_form",
        )
    reason = _("Appeal against discipline decision %(number)s: %(outcome)s") % {
        "number": case.document_number,
        "outcome": AppealOutcome(outcome).label,
    }
    if case.form == Form.EXPULSION and final != Form.EXPULSION and case.member_event_id:
        member_services.annul_event(case.member_event, actor, reason, document_number=document_number.strip())
    elif final == Form.EXPULSION and case.form != Form.EXPULSION:
        case.member_event = member_services.record_event(
            case.member,
            actor,
            kind=EventKind.EXPULSION,
            date=decided_on,
            organisation=case.organisation,
            document_number=document_number.strip(),
            document_date=decided_on,
            issuer=case.appeal_to,
            note=reason,
        )
    case.appeal_outcome, case.appeal_decided_on = outcome, decided_on
    case.appeal_document_number, case.appeal_note = document_number.strip()[:64], note.strip()[:MAX_TEXT]
    case.final_form = final
    _save(case, actor, "appeal settled")
    return case


# --- State bodies -------------------------------------------------------------------------------------


def notice_due(notice: StateNotice) -> dt.date:
    return notice.document_date + dt.timedelta(days=rules_on(notice.document_date)["discipline.state_notice_days"])


@transaction.atomic
def record_state_notice(
    member: Member,
    *,
    body: str,
    form: str,
    document_number: str,
    document_date: dt.date | None,
    notified_on: dt.date | None,
    note: str = "",
    actor,
) -> StateNotice:
    """A discipline decided by a state body about a member, as notified to the party organisation."""
    errors: dict[str, list[str]] = {}
    _required(errors, "body", body, _("Name the state body."))
    _required(errors, "form", form, _("Give the form of discipline."))
    _required(errors, "document_number", document_number, _("Give the decision's number."))
    _required(errors, "document_date", document_date, _("Give the decision's date."))
    _required(errors, "notified_on", notified_on, _("Give the date of the notice."))
    _not_future(errors, "document_date", document_date)
    _not_future(errors, "notified_on", notified_on)
    if document_date and notified_on and notified_on < document_date:
        errors.setdefault("notified_on", []).append(_("The notice follows the decision."))
    _raise(errors)
    notice = StateNotice(
        member=member,
        organisation=cell_on(member, document_date),
        body=body.strip()[:255],
        form=form.strip()[:255],
        document_number=document_number.strip()[:64],
        document_date=document_date,
        notified_on=notified_on,
        note=note.strip()[:MAX_TEXT],
        recorded_by=actor,
    )
    _save(notice, actor, "notice recorded")
    return notice
