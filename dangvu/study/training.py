"""Actions on training (issue 14 item 5): courses, enrolments, completion with the certificate. Each runs in
one transaction, is refused (DomainError, nothing written) on bad input or PermissionDenied when the actor may
not act on the organisation, and writes the audit trail (simple-history with the user and a reason).

Completion has effects on the records, in the same transaction (refused together when a rule refuses them):
- a political-theory course raises the member's political-theory level to the course's level (never lowers
  it), through dangvu.members.services (audited with the course named);
- the Party awareness course of an admission candidate records the file's "Party awareness course" step with
  the certificate (dangvu.admission.services.record_step, which checks the order of the steps; the
  certificate's validity is then judged at the cell resolution from that step's date);
- the new-member course of a member whose admission file is open records its "new-member training" step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.admission import services as admission_services
from dangvu.admission.models import Candidate, CandidateStep, Stage
from dangvu.lib.dates import fmt
from dangvu.lib.errors import DomainError
from dangvu.lib.text import nfc
from dangvu.members import services as member_services
from dangvu.members.models import Member, PoliticalTheory
from dangvu.orgs.models import Organisation
from dangvu.study.access import can_manage
from dangvu.study.models import Course, CourseKind, Enrolment

LEVELS = [
    PoliticalTheory.NONE,
    PoliticalTheory.ELEMENTARY,
    PoliticalTheory.INTERMEDIATE,
    PoliticalTheory.ADVANCED,
    PoliticalTheory.BACHELOR,
]


def _save(obj, actor, reason: str) -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()


@dataclass
class CourseSpec:
    organisation: Organisation
    kind: str
    title: str
    starts_on: dt.date
    ends_on: dt.date
    theory_level: str = ""
    place: str = ""


@transaction.atomic
def create_course(spec: CourseSpec, actor) -> Course:
    if not can_manage(actor, spec.organisation):
        raise PermissionDenied
    if spec.kind not in CourseKind.values:
        raise DomainError({"kind": _("Choose the kind of course.")})
    if spec.kind == CourseKind.THEORY and spec.theory_level not in LEVELS[1:]:
        raise DomainError({"theory_level": _("Choose the political theory level the course teaches.")})
    if spec.kind != CourseKind.THEORY:
        spec.theory_level = ""
    if spec.ends_on < spec.starts_on:
        raise DomainError({"ends_on": _("The course cannot end before it starts.")})
    title = nfc(spec.title).strip()
    if not title:
        raise DomainError({"title": _("Enter the title.")})
    course = Course(
        organisation=spec.organisation,
        kind=spec.kind,
        theory_level=spec.theory_level,
        title=title,
        starts_on=spec.starts_on,
        ends_on=spec.ends_on,
        place=nfc(spec.place).strip(),
        recorded_by=actor,
    )
    _save(course, actor, "course")
    return course


def _person_org(enrolment_or_person) -> Organisation | None:
    person = enrolment_or_person
    if isinstance(person, Enrolment):
        person = person.member if person.member_id else person.candidate
    return person.organisation if person is not None else None


@transaction.atomic
def enrol(
    course: Course,
    actor,
    *,
    member: Member | None = None,
    candidate: Candidate | None = None,
    on: dt.date | None = None,
) -> Enrolment:
    """Enrol a member (any course but the awareness course) or an admission candidate (the awareness course)."""
    on = on or timezone.localdate()
    if (member is None) == (candidate is None):
        raise DomainError(_("Choose one member or one admission candidate."))
    person = member or candidate
    organisation = _person_org(person)
    if organisation is None or not can_manage(actor, organisation):
        raise PermissionDenied
    if candidate is not None and course.kind != CourseKind.AWARENESS:
        raise DomainError(_("An admission candidate attends the Party awareness course only."))
    if member is not None and course.kind == CourseKind.AWARENESS:
        raise DomainError(_("The Party awareness course is for admission candidates."))
    if candidate is not None and not candidate.is_open:
        raise DomainError(_("This admission file is closed."))
    if on > course.ends_on:
        raise DomainError(_("The course ended on %(date)s.") % {"date": fmt(course.ends_on)})
    if Enrolment.objects.filter(course=course, member=member, candidate=candidate).exists():
        raise DomainError(_("%(name)s is already enrolled.") % {"name": person.full_name})
    enrolment = Enrolment(course=course, member=member, candidate=candidate, enrolled_on=on)
    _save(enrolment, actor, "enrolment")
    return enrolment


def _live_step(candidate: Candidate, stage: str) -> bool:
    return CandidateStep.objects.filter(candidate=candidate, stage=stage, annulled_at__isnull=True).exists()


@transaction.atomic
def complete(enrolment: Enrolment, actor, *, on: dt.date, certificate_number: str) -> Enrolment:
    """The person completed the course and got the certificate `certificate_number` on `on`."""
    enrolment = Enrolment.objects.select_for_update().select_related("course__organisation").get(pk=enrolment.pk)
    course = enrolment.course
    organisation = _person_org(enrolment)
    if organisation is None or not can_manage(actor, organisation):
        raise PermissionDenied
    if enrolment.completed_on or enrolment.withdrawn_on:
        raise DomainError(_("This enrolment is already closed."))
    if on < course.starts_on:
        raise DomainError({"completed_on": _("The course started on %(date)s.") % {"date": fmt(course.starts_on)}})
    if on > timezone.localdate():
        raise DomainError({"completed_on": _("The date is in the future.")})
    certificate_number = nfc(certificate_number).strip()
    if not certificate_number:
        raise DomainError({"certificate_number": _("Enter the certificate number.")})
    enrolment.completed_on = on
    enrolment.certificate_number = certificate_number
    _save(enrolment, actor, "course completed")
    if course.kind == CourseKind.THEORY and enrolment.member_id:
        _raise_level(enrolment.member, course, actor)
    elif course.kind == CourseKind.AWARENESS and enrolment.candidate_id:
        _admission_step(enrolment.candidate, Stage.COURSE, enrolment, actor)
    elif course.kind == CourseKind.NEW_MEMBERS and enrolment.member_id:
        candidacy = Candidate.objects.filter(member_id=enrolment.member_id).first()
        if candidacy is not None and candidacy.is_open:
            _admission_step(candidacy, Stage.TRAINING, enrolment, actor)
    return enrolment


def _raise_level(member: Member, course: Course, actor) -> None:
    member = Member.objects.get(pk=member.pk)
    if LEVELS.index(course.theory_level) <= LEVELS.index(member.political_theory or PoliticalTheory.NONE):
        return
    member_services.update_member(
        member,
        {"political_theory": course.theory_level},
        actor,
        reason=f"political theory course completed: {course.title}",
    )


def _admission_step(candidate: Candidate, stage: str, enrolment: Enrolment, actor) -> None:
    if _live_step(candidate, stage):
        return
    admission_services.record_step(
        candidate,
        stage,
        actor,
        date=enrolment.completed_on,
        document_number=enrolment.certificate_number,
        issuer=enrolment.course.organisation.name,
        note=enrolment.course.title,
    )


@transaction.atomic
def withdraw(enrolment: Enrolment, actor, *, on: dt.date) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    organisation = _person_org(enrolment)
    if organisation is None or not can_manage(actor, organisation):
        raise PermissionDenied
    if enrolment.completed_on or enrolment.withdrawn_on:
        raise DomainError(_("This enrolment is already closed."))
    if on < enrolment.enrolled_on:
        raise DomainError(_("The date is before the enrolment."))
    enrolment.withdrawn_on = on
    _save(enrolment, actor, "withdrawn from the course")
    return enrolment
