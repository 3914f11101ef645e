"""Actions on admission files. Each runs in one transaction with the candidate row locked, checks the
rules in force on the step's date (dangvu.rules), writes the audit trail (simple-history, with the acting
user) and re-derives the candidate's stage and next deadline.

Order: a step needs every earlier step recorded. The exception is explicit: steps the rule set lists
in `admission.exception_steps` may be waived with a reason, and the waiver is itself a recorded step.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.admission.age_rule import check_min_age, over_age
from dangvu.admission.deadlines import (  # noqa: F401  (next_stage and Due are read through services too)
    Due,
    applicable_stages,
    due_for,
    live_steps,
    needs_committee_resolution,
    next_stage,
)
from dangvu.admission.models import Candidate, CandidateStep, Introducer, MassOrg, Outcome, Stage
from dangvu.lib.dates import add_months, fmt
from dangvu.lib.errors import DomainError
from dangvu.lib.uploads import check_upload
from dangvu.lib.workdays import Calendar
from dangvu.members import services as member_services
from dangvu.members.models import EventKind, Member, MemberPeriod, Source, Status
from dangvu.members.validators import validate_member_fields
from dangvu.members.vote_base import require_base, vote_base
from dangvu.orgs.models import Organisation, OrgKind
from dangvu.orgs.queries import cell_on
from dangvu.rules import presentation
from dangvu.rules.dues import Moved
from dangvu.rules.registry import RuleBook, rules_on

# The member record's identity fields a candidate has (no political theory, language or card yet).
IDENTITY_FIELDS = [
    f for f in member_services.EDITABLE_FIELDS if f not in {"political_theory", "foreign_language", "card_number"}
]
STEP_FIELDS = [
    "document_number",
    "document_date",
    "issuer",
    "note",
    "votes_for",
    "votes_against",
    "mass_org",
    "age_approval",
]
ALLOWED_UPLOADS = {".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def threshold(text: str) -> Fraction:
    """'2/3' → Fraction(2, 3); '0.5' → 1/2."""
    return Fraction(text)


def votes_needed(share: Fraction, eligible: int) -> int:
    """The smallest number of votes that is at least `share` of `eligible`."""
    return math.ceil(share * eligible)


def official_members_on(cell: Organisation, day: dt.date, exempt_attending: Iterable[int] = ()) -> int:
    """Size of the cell's vote base on `day` (members.vote_base: official members, less those exempt and
    absent, temporarily attached elsewhere or suspended): the body whose 2/3 must agree."""
    return vote_base(cell, day, exempt_attending=exempt_attending).size


def _refresh(candidate: Candidate, actor) -> None:
    steps = live_steps(candidate)
    done = [s for s in applicable_stages(candidate) if s in steps]
    candidate.stage = done[-1] if done else Stage.SOURCE
    due = due_for(candidate, steps)
    candidate.due_stage, candidate.due_on = (due.stage, due.on) if due else ("", None)
    candidate._history_user = actor
    candidate.save()


def refresh_open_dues(book: RuleBook, actor, *, write: bool, reason: str = "") -> list[Moved]:
    """The next deadline of every open file recomputed from `book` (dangvu.rules.dues): those that differ
    from the stored one, saved (locked, audited with `actor` and `reason`) when `write`. Three queries,
    plus one save per changed file."""
    files = Candidate.objects.filter(outcome=Outcome.OPEN).select_related("organisation").order_by("pk")
    if write:
        files = files.select_for_update(of=("self",))
    files = list(
        files.prefetch_related(
            Prefetch("steps", queryset=CandidateStep.objects.filter(annulled_at__isnull=True), to_attr="live")
        )
    )
    ends = dict(
        Member.objects.filter(pk__in=[c.member_id for c in files if c.member_id]).values_list("pk", "probation_end")
    )
    moved = []
    for candidate in files:
        steps = {s.stage: s for s in candidate.live}
        due = due_for(candidate, steps, book=book, probation_end=ends.get(candidate.member_id))
        stage, on = (due.stage, due.on) if due else ("", None)
        if (stage, on) == (candidate.due_stage, candidate.due_on):
            continue
        url = reverse("admission:candidate", args=[candidate.pk])
        moved.append(Moved("admission", candidate.pk, candidate.full_name, candidate.due_on, on, url))
        if write:
            candidate.due_stage, candidate.due_on = stage, on
            candidate._history_user = actor
            candidate._change_reason = reason
            candidate.save(update_fields=["due_stage", "due_on"])
    return moved


def _lock(candidate: Candidate) -> Candidate:
    return Candidate.objects.select_for_update().select_related("organisation").get(pk=candidate.pk)


def _check_identity(candidate: Candidate, today: dt.date, changed=None) -> None:
    """Refuse (DomainError by field) an identity that breaks a field rule (dangvu.members.validators; the
    citizen ID's layout when `changed` is None or names it, the sex or the date of birth) or whose citizen ID
    has another open file or belongs to a member."""
    errors = validate_member_fields(candidate, today=today, changed=changed)
    if candidate.citizen_id:
        if (
            Candidate.objects.filter(citizen_id=candidate.citizen_id, outcome=Outcome.OPEN)
            .exclude(pk=candidate.pk)
            .exists()
        ):
            errors.setdefault("citizen_id", []).append(
                _("Citizen ID %(value)s already has an open admission file.") % {"value": candidate.citizen_id}
            )
        elif not candidate.member_id and Member.objects.filter(citizen_id=candidate.citizen_id).exists():
            errors.setdefault("citizen_id", []).append(
                _("Citizen ID %(value)s belongs to a party member record.") % {"value": candidate.citizen_id}
            )
    if errors:
        raise DomainError(errors)


def _check_file(upload: UploadedFile | None) -> None:
    if upload is None:
        return
    if upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(_("The file is larger than 20 MB."))
    check_upload(upload, ALLOWED_UPLOADS)  # by content, not by name (dangvu.lib.uploads)


@transaction.atomic
def create_candidate(
    fields: dict[str, Any],
    cell: Organisation,
    actor,
    *,
    date: dt.date,
    document_number: str = "",
    note: str = "",
    waive_reason: str = "",
) -> Candidate:
    """Open a file: the candidate enters the cell's list of outstanding masses on `date` (the source
    step). Without a list entry, `waive_reason` records the step as waived when the rule set allows it."""
    if cell.kind not in OrgKind.member_holding() or not cell.is_active:
        raise DomainError(_("Candidates are proposed by a party cell that is in force."))
    candidate = Candidate(
        organisation=cell,
        stage=Stage.SOURCE,
        recorded_by=actor,
        **{k: v for k, v in fields.items() if k in IDENTITY_FIELDS},
    )
    today = timezone.localdate()
    _check_identity(candidate, today)
    if date > today:
        raise DomainError(_("The date cannot be in the future."))
    if date < candidate.birth_date:
        raise DomainError(_("The date is before the date of birth."))
    candidate._history_user = actor
    candidate.save()
    if waive_reason.strip():
        _waive(candidate, [Stage.SOURCE], date, waive_reason, actor)
    else:
        step = CandidateStep(
            candidate=candidate,
            stage=Stage.SOURCE,
            date=date,
            document_number=document_number,
            note=note,
            recorded_by=actor,
        )
        step._history_user = actor
        step.save()
    _refresh(candidate, actor)
    return candidate


def _waive(candidate: Candidate, stages: list[str], date: dt.date, reason: str, actor) -> None:
    allowed = set(rules_on(date)["admission.exception_steps"])
    refused = [s for s in stages if s not in allowed]
    if refused:
        raise DomainError(
            _("These steps are missing and the rule set does not allow waiving them: %(steps)s.")
            % {"steps": ", ".join(str(Stage(s).label) for s in refused)}
        )
    if not reason.strip():
        raise DomainError(_("Give the reason for waiving a step."))
    for stage in stages:
        step = CandidateStep(candidate=candidate, stage=stage, date=date, waived=True, note=reason, recorded_by=actor)
        step._history_user = actor
        step.save()


@transaction.atomic
def update_candidate(candidate: Candidate, changes: dict[str, Any], actor) -> Candidate:
    candidate = _lock(candidate)
    if not candidate.is_open or candidate.member_id:
        raise DomainError(_("The file is closed or the person is already a member: correct the member record."))
    changed = set()
    for key, value in changes.items():
        if key in IDENTITY_FIELDS:
            if getattr(candidate, key) != value:
                changed.add(key)
            setattr(candidate, key, value)
    _check_identity(candidate, timezone.localdate(), changed=changed)
    candidate._history_user = actor
    candidate.save()
    return candidate


@transaction.atomic
def record_step(
    candidate: Candidate,
    stage: str,
    actor,
    *,
    date: dt.date,
    introducers: list[tuple[Member, dt.date]] | None = None,
    recognised: bool | None = None,
    votes_eligible: int | None = None,
    exempt_attending: Iterable[Member] = (),
    file: UploadedFile | None = None,
    waive_reason: str = "",
    **data: Any,
) -> CandidateStep:
    """Record `stage` of the candidate's file. Raises DomainError (nothing written) when a rule refuses.

    - `introducers`: (official member, working with the candidate since) for the introduction step;
    - `votes_for`/`votes_against` for resolutions; the body's size is computed from the records for the
      cell (`votes_eligible` is given only for a committee, whose seats may not all be recorded);
    - `exempt_attending`: members of the cell exempt from activities who attended and voted on a cell
      resolution (they count in its base; members.vote_base);
    - `recognised`: the committee's decision on official membership (default: the cell's proposal);
    - `waive_reason`: waive missing earlier steps the rule set allows waiving.
    """
    candidate = _lock(candidate)
    if stage not in Stage.values:
        raise DomainError(_("Unknown step."))
    if not candidate.is_open:
        raise DomainError(_("This admission file is closed."))
    stages = applicable_stages(candidate)
    if stage not in stages:
        raise DomainError(_("A grassroots cell proposes directly to the committee above: this step does not apply."))
    today = timezone.localdate()
    if date > today:
        raise DomainError(_("The date cannot be in the future."))
    steps = live_steps(candidate)
    if stage in steps:
        raise DomainError(
            _("%(step)s is already recorded; annul it first to correct it.") % {"step": Stage(stage).label}
        )
    later = [s for s in stages[stages.index(stage) + 1 :] if s in steps]
    if later:
        raise DomainError(
            _("%(step)s cannot be recorded after %(later)s: steps follow their order.")
            % {"step": Stage(stage).label, "later": Stage(later[-1]).label}
        )
    missing = [s for s in stages[: stages.index(stage)] if s not in steps]
    if missing and not waive_reason.strip():
        raise DomainError(
            _("Record the earlier steps first: %(steps)s.") % {"steps": ", ".join(str(Stage(s).label) for s in missing)}
        )
    previous = max((s.date for s in steps.values()), default=None)
    if previous and date < previous:
        raise DomainError(_("The date is before the previous step (%(date)s).") % {"date": fmt(previous)})
    _check_file(file)
    values = rules_on(date)
    step = CandidateStep(
        candidate=candidate,
        stage=stage,
        date=date,
        recorded_by=actor,
        **{k: v for k, v in data.items() if k in STEP_FIELDS and v is not None},
    )
    exempt_ids = [m.pk for m in exempt_attending] if stage in CELL_VOTES else []
    check = CHECKS.get(stage)
    if check:
        check(
            candidate,
            step,
            steps,
            values,
            introducers=introducers,
            recognised=recognised,
            eligible=votes_eligible,
            exempt=exempt_ids,
        )
    if missing:
        _waive(candidate, missing, date, waive_reason, actor)
    if file is not None:
        step.file = file
    step._history_user = actor
    step.save()
    for member, since in introducers or []:
        Introducer.objects.create(step=step, member=member, known_since=since)
    if exempt_ids:
        counted = vote_base(step_cell(candidate, step.date), step.date, exempt_attending=exempt_ids)
        step.exempt_voters.set([s.member for s in counted.seats if s.exempt_attending])
    EFFECTS.get(stage, lambda *a: None)(candidate, step, steps, actor)
    _refresh(candidate, actor)
    return step


# --- Stage checks -----------------------------------------------------------------------------------


def _require_document(step: CandidateStep, what: str) -> None:
    if not step.document_number.strip():
        raise DomainError(_("%(what)s: the document number is required.") % {"what": what})


def _check_course(candidate, step, steps, values, **_kw) -> None:
    _require_document(step, _("Certificate"))


def _check_introduction(candidate, step, steps, values, *, introducers, **_kw) -> None:
    introducers = introducers or []
    required = values["admission.introducers"]
    if step.mass_org == MassOrg.YOUTH_UNION and required > 1:
        required -= 1  # the Youth Union's executive committee introduces in place of one member (Điều 4)
    if len(introducers) < required:
        raise DomainError(_("%(n)s introducing official member(s) are required.") % {"n": required})
    if len({m.pk for m, _since in introducers}) != len(introducers):
        raise DomainError(_("The same member is named twice as introducer."))
    months = values["admission.introducer_min_months"]
    for member, since in introducers:
        official = MemberPeriod.objects.filter(
            MemberPeriod.on(step.date), member=member, status=Status.OFFICIAL
        ).exists()
        if not official:
            raise DomainError(
                _("%(name)s is not an official member on %(date)s and cannot introduce.")
                % {"name": member.full_name, "date": fmt(step.date)}
            )
        if add_months(since, months) > step.date:
            raise DomainError(
                _("%(name)s has worked with the candidate for less than %(months)s months.")
                % {"name": member.full_name, "months": months}
            )


def _check_vote(step: CandidateStep, eligible: int, share: Fraction, body: str) -> bool:
    if step.votes_for is None:
        raise DomainError(_("Enter the number of votes in favour."))
    against = step.votes_against or 0
    if step.votes_for + against > eligible:
        raise DomainError(
            _("%(votes)s votes cast but only %(eligible)s %(body)s may vote.")
            % {"votes": step.votes_for + against, "eligible": eligible, "body": body}
        )
    step.votes_eligible = eligible
    return step.votes_for >= votes_needed(share, eligible)


CELL_VOTES = {Stage.CELL_RESOLUTION, Stage.OFFICIAL_RESOLUTION}


def step_cell(candidate: Candidate, day: dt.date) -> Organisation:
    """The cell that votes on `day`: for official membership, the cell where the member was active that day
    (the member may have moved during probation); before, the cell that proposes the candidate."""
    if candidate.member_id:
        member = Member.objects.select_related("organisation").get(pk=candidate.member_id)
        return cell_on(member, day) or member.organisation
    return candidate.organisation


def step_base(candidate: Candidate, step: CandidateStep):
    """The vote base of a recorded cell resolution (with the exempt members recorded as voting)."""
    exempt = [m.pk for m in step.exempt_voters.all()]
    if step.stage == Stage.OFFICIAL_RESOLUTION:
        return vote_base(step_cell(candidate, step.date), step.date, exempt_attending=exempt)
    return vote_base(candidate.organisation, step.date, exempt_attending=exempt)


def _cell_base(cell: Organisation, day: dt.date, exempt: list[int]) -> int:
    size = official_members_on(cell, day, exempt)
    require_base(size, day)
    return size


def _check_cell_resolution(candidate, step, steps, values, *, exempt=(), **_kw) -> None:
    check_min_age(candidate, step.date, values)  # the only moment the age is judged (admission/age_rule.py)
    course = steps.get(Stage.COURSE)
    if course is not None and not course.waived:
        years = rules_on(course.date)["admission.certificate_valid_years"]
        # Valid through the day `years` after the course (the deadline shown on the file, see due_for):
        # refused only when the course is *more* than `years` before the resolution.
        last_valid = add_months(course.date, 12 * years)
        if step.date > last_valid:
            raise DomainError(
                _("The Party awareness course certificate expired on %(date)s; the candidate must attend again.")
                % {"date": fmt(last_valid + dt.timedelta(days=1))}
            )
    eligible = _cell_base(candidate.organisation, step.date, exempt)
    share = threshold(values["admission.cell_vote_threshold"])
    if not _check_vote(step, eligible, share, _("official members")):
        raise DomainError(
            _("%(votes)s of %(eligible)s official members agreed; admission needs %(needed)s (%(share)s).")
            % {
                "votes": step.votes_for,
                "eligible": eligible,
                "needed": votes_needed(share, eligible),
                "share": presentation.shown(values, "admission.cell_vote_threshold"),
            }
        )


def _check_committee_resolution(candidate, step, steps, values, *, eligible, **_kw) -> None:
    if not eligible:
        raise DomainError(_("Enter the number of committee members."))
    share = threshold(values["admission.committee_vote_threshold"])
    if not _check_vote(step, eligible, share, _("committee members")):
        raise DomainError(
            _("%(votes)s of %(eligible)s committee members agreed; %(needed)s are needed (%(share)s).")
            % {
                "votes": step.votes_for,
                "eligible": eligible,
                "needed": votes_needed(share, eligible),
                "share": presentation.shown(values, "admission.committee_vote_threshold"),
            }
        )


def _check_decision(candidate, step, steps, values, **_kw) -> None:
    _require_document(step, _("Admission decision"))
    if not step.issuer.strip():
        raise DomainError(_("Name the committee that decided."))
    over = over_age(candidate, steps)
    if over and not step.age_approval.strip():
        raise DomainError(
            "{} {}".format(over, _("Enter the approval (number and date of the document) with the decision."))
        )
    if not over:
        step.age_approval = ""


def _check_ceremony(candidate, step, steps, values, **_kw) -> None:
    decision = steps[Stage.DECISION]
    calendar = Calendar.from_rules(rules_on(decision.date))
    due = calendar.add_working_days(decision.date, rules_on(decision.date)["admission.ceremony_working_days"])
    if step.date > due and not step.note.strip():
        raise DomainError(_("The ceremony was due by %(date)s: explain the delay in the note.") % {"date": fmt(due)})


def _check_training(candidate, step, steps, values, **_kw) -> None:
    _require_document(step, _("Certificate"))


def _check_official_resolution(candidate, step, steps, values, *, exempt=(), **_kw) -> None:
    member = Member.objects.get(pk=candidate.member_id)
    if member.status != Status.PROBATIONARY or member.probation_end is None:
        raise DomainError(_("The member is not on probation."))
    if step.date < member.probation_end:
        months = member_services.limits_for(member.admission_date).probation_months  # as the end was derived
        raise DomainError(
            _("Official membership cannot be considered before %(length)s of probation are complete on %(date)s.")
            % {"length": presentation.show("admission.probation_months", months), "date": fmt(member.probation_end)}
        )
    # The cell where the member was active that day votes: the member may have moved during probation.
    eligible = _cell_base(cell_on(member, step.date) or member.organisation, step.date, exempt)
    share = threshold(values["admission.cell_vote_threshold"])
    # A vote below the threshold is a valid resolution: the cell proposes removal instead.
    step.recognised = _check_vote(step, eligible, share, _("official members"))


def _check_official_decision(candidate, step, steps, values, *, recognised, **_kw) -> None:
    _require_document(step, _("Decision"))
    step.recognised = steps[Stage.OFFICIAL_RESOLUTION].recognised if recognised is None else recognised


CHECKS = {
    Stage.COURSE: _check_course,
    Stage.INTRODUCTION: _check_introduction,
    Stage.CELL_RESOLUTION: _check_cell_resolution,
    Stage.COMMITTEE_RESOLUTION: _check_committee_resolution,
    Stage.DECISION: _check_decision,
    Stage.CEREMONY: _check_ceremony,
    Stage.TRAINING: _check_training,
    Stage.OFFICIAL_RESOLUTION: _check_official_resolution,
    Stage.OFFICIAL_DECISION: _check_official_decision,
}


# --- Stage effects on the member record ----------------------------------------------------------------


def _ceremony_effect(candidate: Candidate, step: CandidateStep, steps, actor) -> None:
    """The person becomes a probationary member: a member record from the candidate's data, with the
    admission (dated by the decision: party age runs from it) and the ceremony (probation runs from it)."""
    decision = steps[Stage.DECISION]
    member = member_services.create_member(
        {k: getattr(candidate, k) for k in IDENTITY_FIELDS},
        [
            {
                "kind": EventKind.ADMISSION,
                "date": decision.date,
                "organisation": candidate.organisation,
                "document_number": decision.document_number,
                "document_date": decision.document_date or decision.date,
                "issuer": decision.issuer,
            },
            {"kind": EventKind.CEREMONY, "date": step.date, "organisation": candidate.organisation},
        ],
        actor,
        source=Source.ADMISSION,  # the age was judged at the cell resolution, not again at the decision
    )
    candidate.member = member


def _official_effect(candidate: Candidate, step: CandidateStep, steps, actor) -> None:
    member = Member.objects.get(pk=candidate.member_id)
    common = {
        "date": step.date,
        "organisation": member.organisation,
        "document_number": step.document_number,
        "document_date": step.document_date or step.date,
        "issuer": step.issuer,
    }
    if step.recognised:
        member_services.record_event(member, actor, source=Source.ADMISSION, kind=EventKind.OFFICIAL, **common)
        candidate.outcome = Outcome.OFFICIAL
    else:
        member_services.record_event(
            member,
            actor,
            source=Source.ADMISSION,
            kind=EventKind.REMOVAL,
            note=_("Not recognised as official member."),
            **common,
        )
        candidate.outcome = Outcome.REMOVED


EFFECTS = {Stage.CEREMONY: _ceremony_effect, Stage.OFFICIAL_DECISION: _official_effect}


@transaction.atomic
def annul_step(step: CandidateStep, actor, reason: str) -> CandidateStep:
    """Correct a mistaken entry: the latest live step is annulled (kept, marked, with its reason).
    The ceremony and the official decision wrote the member record and are corrected there."""
    candidate = _lock(step.candidate)
    if not reason.strip():
        raise DomainError(_("Give the reason for the annulment."))
    steps = live_steps(candidate)
    latest = max(steps.values(), key=lambda s: (Stage.index(s.stage), s.id))
    if step.pk != latest.pk:
        raise DomainError(_("Only the latest step can be annulled."))
    if step.stage in {Stage.CEREMONY, Stage.OFFICIAL_DECISION} or not candidate.is_open:
        raise DomainError(_("This step changed the member record: correct it on the member's page."))
    step.annulled_at = timezone.now()
    step.annulled_by = actor
    step.annul_reason = reason
    step._history_user = actor
    step.save()
    _refresh(candidate, actor)
    return step


@transaction.atomic
def withdraw(candidate: Candidate, actor, reason: str) -> Candidate:
    """Close a file before the ceremony (the candidate withdrew, moved away, no longer qualifies)."""
    candidate = _lock(candidate)
    if not candidate.is_open or candidate.member_id:
        raise DomainError(_("Only an open file before the ceremony can be withdrawn."))
    if not reason.strip():
        raise DomainError(_("Give the reason."))
    candidate.outcome = Outcome.WITHDRAWN
    candidate.closed_reason = reason
    _refresh(candidate, actor)
    return candidate
