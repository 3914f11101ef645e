"""Actions on inspection and supervision programmes, activities and remediation. Each runs in one
transaction, is refused (DomainError with the message beside the field, nothing written) on bad input or
PermissionDenied when the actor may not record for the organisation, and writes the audit trail
(django-simple-history, with the acting user and a reason)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.docregister import services as docregister_services
from dangvu.inspection.access import can_manage
from dangvu.inspection.models import (
    MODES,
    Activity,
    ActivityFile,
    FileKind,
    Kind,
    Mode,
    Organ,
    Programme,
    Remediation,
    Subject,
)
from dangvu.lib.errors import DomainError
from dangvu.lib.text import nfc
from dangvu.lib.uploads import check_upload
from dangvu.members.models import Member, MemberPeriod
from dangvu.orgs.models import OrgAncestry, Organisation

MAX_TEXT = 10_000


def _save(obj, actor, reason: str) -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()


def _required(errors: dict, name: str, value, message: str) -> None:
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        errors.setdefault(name, []).append(message)


def _raise(errors: dict) -> None:
    if errors:
        raise DomainError(errors)


def _authorise(actor, organisation: Organisation) -> None:
    if not can_manage(actor, organisation):
        raise PermissionDenied


def under(organisation: Organisation, subject_org: Organisation, day: dt.date) -> bool:
    """Whether `subject_org` lies strictly inside `organisation`'s subtree on `day`."""
    return OrgAncestry.objects.filter(
        OrgAncestry.on(day), ancestor=organisation, descendant=subject_org, depth__gt=0
    ).exists()


def cell_on(member: Member, day: dt.date) -> Organisation | None:
    period = MemberPeriod.objects.filter(MemberPeriod.on(day), member=member).select_related("organisation").first()
    return period.organisation if period else None


@transaction.atomic
def create_programme(
    *,
    organisation: Organisation,
    organ: str,
    year: int | None,
    title: str,
    approved_on: dt.date | None,
    document_number: str = "",
    actor,
) -> Programme:
    _authorise(actor, organisation)
    errors: dict[str, list[str]] = {}
    if organ not in Organ.values:
        errors["organ"] = [_("Choose the body.")]
    _required(errors, "title", title, _("Give the programme's title."))
    _required(errors, "year", year, _("Give the year."))
    _required(errors, "approved_on", approved_on, _("Give the date of approval."))
    _raise(errors)
    if Programme.objects.filter(organisation=organisation, organ=organ, year=year).exists():
        raise DomainError({"year": [_("This body already has a programme for that year.")]})
    programme = Programme(
        organisation=organisation,
        organ=organ,
        year=year,
        title=title.strip(),
        approved_on=approved_on,
        document_number=document_number.strip(),
        recorded_by=actor,
    )
    _save(programme, actor, "programme approved")
    return programme


@dataclass
class Plan:
    organisation: Organisation
    organ: str
    kind: str
    mode: str
    title: str
    start: dt.date | None
    end: dt.date | None
    team: str = ""
    programme: Programme | None = None
    organisations: list[Organisation] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    decision_number: str = ""
    decided_on: dt.date | None = None


def _check_plan(p: Plan) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if p.organ not in Organ.values:
        errors["organ"] = [_("Choose the body.")]
    if p.kind not in Kind.values:
        errors["kind"] = [_("Choose inspection or supervision.")]
    elif p.mode not in {m.value for m in MODES[Kind(p.kind)]}:
        errors["mode"] = [
            _("A supervision is regular or thematic.") if p.kind == Kind.SUPERVISION else _("Choose the mode.")
        ]
    _required(errors, "title", p.title, _("Give the content."))
    _required(errors, "start", p.start, _("Give the first day."))
    _required(errors, "end", p.end, _("Give the last day."))
    if p.start and p.end and p.end < p.start:
        errors.setdefault("end", []).append(_("The last day cannot precede the first."))
    if p.decided_on and p.start and p.decided_on > p.start:
        errors.setdefault("decided_on", []).append(_("The decision cannot follow the first day."))
    if len(p.team or "") > MAX_TEXT:
        errors.setdefault("team", []).append(_("At most %(max)s characters.") % {"max": MAX_TEXT})
    if not p.organisations and not p.members:
        errors.setdefault("subjects", []).append(_("Choose at least one organisation or member."))
    if p.programme is not None:
        if p.programme.organisation_id != p.organisation.pk or p.programme.organ != p.organ:
            errors.setdefault("programme", []).append(_("The programme belongs to another body."))
        elif p.start and p.start.year != p.programme.year:
            errors.setdefault("start", []).append(_("The programme is for %(year)s.") % {"year": p.programme.year})
    elif p.mode != Mode.SIGNS:
        errors.setdefault("programme", []).append(_("Only an inspection on signs of violation is outside a programme."))
    return errors


def _subjects(
    conducting: Organisation, organisations, members, day: dt.date, errors: dict
) -> list[tuple[Organisation, Member | None]]:
    """The (organisation, member) pairs of the subjects, each checked to lie under `conducting` on `day` (a
    member by the cell they belonged to that day); refusals are added to `errors`."""
    subjects: list[tuple[Organisation, Member | None]] = []
    for org in organisations:
        if not under(conducting, org, day):
            errors.setdefault("subjects", []).append(
                _("%(org)s is not under %(parent)s on %(day)s.")
                % {"org": org.name, "parent": conducting.name, "day": day.strftime("%d/%m/%Y")}
            )
        subjects.append((org, None))
    for member in members:
        cell = cell_on(member, day)
        if cell is None or not under(conducting, cell, day):
            errors.setdefault("subjects", []).append(
                _("%(name)s is not a member under %(parent)s on %(day)s.")
                % {"name": member.full_name, "parent": conducting.name, "day": day.strftime("%d/%m/%Y")}
            )
        subjects.append((cell, member))
    return subjects


@transaction.atomic
def create_activity(p: Plan, actor) -> Activity:
    """Record an inspection or supervision with its subjects, each inside the organisation's subtree on the
    first day (a member by the cell they belonged to that day)."""
    _authorise(actor, p.organisation)
    errors = _check_plan(p)
    _raise(errors)
    subjects = _subjects(p.organisation, p.organisations, p.members, p.start, errors)
    _raise(errors)
    activity = Activity(
        programme=p.programme,
        organisation=p.organisation,
        organ=p.organ,
        kind=p.kind,
        mode=p.mode,
        title=p.title.strip(),
        team=(p.team or "").strip(),
        decision_number=(p.decision_number or "").strip(),
        decided_on=p.decided_on,
        start=p.start,
        end=p.end,
        recorded_by=actor,
    )
    _save(activity, actor, "recorded")
    for org, member in subjects:
        _save(Subject(activity=activity, organisation=org, member=member), actor, "subject")
    return activity


def _open_for_update(activity: Activity, actor) -> Activity:
    activity = Activity.objects.select_for_update().select_related("organisation").get(pk=activity.pk)
    _authorise(actor, activity.organisation)
    if activity.concluded_on:
        raise DomainError(_("This is already concluded."), code="state")
    return activity


@transaction.atomic
def add_subjects(activity: Activity, *, organisations=(), members=(), actor) -> list[Subject]:
    """Add organisations or members to an activity not yet concluded (checked on its first day); one already
    a subject is refused."""
    activity = _open_for_update(activity, actor)
    errors: dict[str, list[str]] = {}
    if not organisations and not members:
        errors["subjects"] = [_("Choose at least one organisation or member.")]
    _raise(errors)
    subjects = _subjects(activity.organisation, organisations, members, activity.start, errors)
    present = set(activity.subjects.values_list("organisation_id", "member_id"))
    for org, member in subjects:
        if org is not None and (org.pk, member.pk if member else None) in present:
            errors.setdefault("subjects", []).append(
                _("%(name)s is already a subject.") % {"name": member.full_name if member else org.name}
            )
    _raise(errors)
    added = []
    for org, member in subjects:
        subject = Subject(activity=activity, organisation=org, member=member)
        _save(subject, actor, "subject added")
        added.append(subject)
    return added


@transaction.atomic
def set_team(activity: Activity, team: str, *, actor) -> Activity:
    """Record the team (one person a line) of an activity not yet concluded."""
    activity = _open_for_update(activity, actor)
    if len(team or "") > MAX_TEXT:
        raise DomainError({"team": [_("At most %(max)s characters.") % {"max": MAX_TEXT}]})
    activity.team = (team or "").strip()
    _save(activity, actor, "team")
    return activity


@transaction.atomic
def conclude(activity: Activity, *, concluded_on: dt.date | None, conclusion: str, number: str = "", actor) -> Activity:
    activity = _open_for_update(activity, actor)
    errors: dict[str, list[str]] = {}
    _required(errors, "conclusion", conclusion, _("Write the conclusion."))
    _required(errors, "concluded_on", concluded_on, _("Give the date of the conclusion."))
    if concluded_on and concluded_on < activity.end:
        errors.setdefault("concluded_on", []).append(_("The conclusion follows the last day."))
    _raise(errors)
    activity.concluded_on, activity.conclusion = concluded_on, conclusion.strip()
    activity.conclusion_number = (number or "").strip()
    _save(activity, actor, "concluded")
    return activity


@transaction.atomic
def add_remediation(
    activity: Activity, *, description: str, owner: str, deadline: dt.date | None, actor
) -> Remediation:
    _authorise(actor, activity.organisation)
    errors: dict[str, list[str]] = {}
    _required(errors, "description", description, _("Say what is to be remedied."))
    _required(errors, "owner", owner, _("Name who is responsible."))
    _required(errors, "deadline", deadline, _("Give the deadline."))
    if deadline and deadline < activity.start:
        errors.setdefault("deadline", []).append(_("The deadline cannot precede the inspection."))
    _raise(errors)
    item = Remediation(activity=activity, description=description.strip(), owner=owner.strip(), deadline=deadline)
    _save(item, actor, "remediation required")
    return item


@transaction.atomic
def close_remediation(item: Remediation, *, closed_on: dt.date | None, evidence: str, actor) -> Remediation:
    item = Remediation.objects.select_for_update().select_related("activity__organisation").get(pk=item.pk)
    _authorise(actor, item.activity.organisation)
    if item.closed:
        raise DomainError(_("This item is already closed."), code="state")
    errors: dict[str, list[str]] = {}
    _required(errors, "evidence", evidence, _("Give the evidence that it was remedied."))
    _required(errors, "closed_on", closed_on, _("Give the date it was remedied."))
    if closed_on and closed_on < item.activity.start:
        errors.setdefault("closed_on", []).append(_("The date cannot precede the inspection."))
    _raise(errors)
    item.closed_on, item.evidence = closed_on, evidence.strip()
    _save(item, actor, "remediation closed")
    return item


# --- Documents of the work (the signed decision, reports, evidence) --------------------------------------

# The register's kinds of file and size limit (documents and scans: 20 MB, as dangvu.web.boundary allows).
ALLOWED_UPLOADS = docregister_services.ALLOWED_UPLOADS
MAX_UPLOAD_BYTES = docregister_services.MAX_UPLOAD_BYTES
MAX_REASON = 500


@transaction.atomic
def add_file(activity: Activity, *, kind: str, title: str, upload: UploadedFile | None, actor) -> ActivityFile:
    """Attach a document to an inspection or supervision, at any stage (the signed conclusion comes after
    it): its content must be what its name says (dangvu.lib.uploads); refused beside the field otherwise,
    nothing stored."""
    _authorise(actor, activity.organisation)
    errors: dict[str, list[str]] = {}
    if kind not in FileKind.values:
        errors["kind"] = [_("Choose the kind of document.")]
    title = nfc(title or "").strip()
    _required(errors, "title", title, _("Give the document's title."))
    if upload is None:
        errors["file"] = [_("Choose the file.")]
    elif upload.size > MAX_UPLOAD_BYTES:
        errors["file"] = [_("The file is larger than 20 MB.")]
    else:
        try:
            content_type = check_upload(upload, ALLOWED_UPLOADS)
        except DomainError as error:
            errors["file"] = error.messages
    _raise(errors)
    stored = ActivityFile(
        activity=activity,
        kind=kind,
        title=title[:255],
        file=upload,
        filename=os.path.basename(upload.name)[:255],
        size=upload.size,
        content_type=content_type,
        uploaded_by=actor,
    )
    _save(stored, actor, "document attached")
    return stored


@transaction.atomic
def withdraw_file(stored: ActivityFile, *, reason: str, actor) -> ActivityFile:
    """Withdraw a document put by mistake: the row and the file stay (who, when and why are recorded), it is
    no longer listed as a document of the work nor served."""
    stored = ActivityFile.objects.select_for_update().select_related("activity__organisation").get(pk=stored.pk)
    _authorise(actor, stored.activity.organisation)
    if stored.withdrawn:
        raise DomainError(_("This document is already withdrawn."), code="state")
    reason = nfc(reason or "").strip()
    errors: dict[str, list[str]] = {}
    _required(errors, "reason", reason, _("Say why the document is withdrawn."))
    if len(reason) > MAX_REASON:
        errors["reason"] = [_("At most %(max)s characters.") % {"max": MAX_REASON}]
    _raise(errors)
    stored.withdrawn_at, stored.withdrawn_by, stored.withdrawal_reason = timezone.now(), actor, reason
    _save(stored, actor, "document withdrawn")
    return stored
