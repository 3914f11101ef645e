"""Actions on study campaigns. Each runs in one transaction, is refused (DomainError with the message, nothing
written) on bad input or PermissionDenied when the actor may not act on the organisation, and writes the
audit trail (django-simple-history, with the acting user and a reason)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.docregister.models import DocType, Document
from dangvu.lib.dates import fmt
from dangvu.lib.errors import DomainError
from dangvu.lib.text import nfc
from dangvu.members.models import Member
from dangvu.orgs.models import Organisation
from dangvu.study import stats
from dangvu.study.access import can_manage
from dangvu.study.models import Campaign, MassesTally, Participation, Question

MAX_REFLECTION = 5000


def _save(obj, actor, reason: str) -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()


@dataclass
class QuestionSpec:
    text: str
    choices: list[str]
    correct: int  # index in `choices`, from 0


@dataclass
class CampaignSpec:
    organisation: Organisation
    resolution: Document
    title: str
    conference_date: dt.date
    ends_on: dt.date
    materials: list[Document] = field(default_factory=list)
    notes: str = ""
    pass_mark: int = 80
    questions: list[QuestionSpec] = field(default_factory=list)


def _check_spec(spec: CampaignSpec) -> None:
    if spec.resolution.doc_type not in (DocType.RESOLUTION, DocType.DIRECTIVE, DocType.CONCLUSION, DocType.REGULATION):
        raise DomainError({"resolution": _("Choose a resolution, directive, conclusion or regulation.")})
    if spec.ends_on < spec.conference_date:
        raise DomainError({"ends_on": _("The deadline cannot be before the conference date.")})
    if not 0 <= spec.pass_mark <= 100:
        raise DomainError({"pass_mark": _("The pass mark is a percentage from 0 to 100.")})
    if not spec.organisation.in_force_on(spec.conference_date):
        raise DomainError(
            {"organisation": _("The organisation was not in force on %(date)s.") % {"date": fmt(spec.conference_date)}}
        )
    for n, q in enumerate(spec.questions, start=1):
        choices = [c for c in q.choices if c.strip()]
        if not q.text.strip() or len(choices) < 2 or not 0 <= q.correct < len(choices):
            raise DomainError(
                {"questions": _("Question %(n)s needs its text, at least two choices and the right one.") % {"n": n}}
            )


@transaction.atomic
def create_campaign(spec: CampaignSpec, actor) -> Campaign:
    if not can_manage(actor, spec.organisation):
        raise PermissionDenied
    spec.title = nfc(spec.title).strip()
    if not spec.title:
        raise DomainError({"title": _("Enter the title.")})
    _check_spec(spec)
    campaign = Campaign(
        organisation=spec.organisation,
        resolution=spec.resolution,
        title=spec.title,
        conference_date=spec.conference_date,
        ends_on=spec.ends_on,
        notes=nfc(spec.notes),
        pass_mark=spec.pass_mark,
        recorded_by=actor,
    )
    _save(campaign, actor, "study campaign set up")
    campaign.materials.set(spec.materials)
    for position, q in enumerate(spec.questions):
        question = Question(
            campaign=campaign,
            position=position,
            text=nfc(q.text).strip(),
            choices=[nfc(c).strip() for c in q.choices if c.strip()],
            correct=q.correct,
        )
        _save(question, actor, "quiz question")
    return campaign


def _participation(campaign: Campaign, member: Member) -> Participation:
    row = Participation.objects.select_for_update().filter(campaign=campaign, member=member).first()
    return row or Participation(campaign=campaign, member=member)


def must_study(campaign: Campaign, member: Member) -> bool:
    return stats.expected_periods(campaign).filter(member=member).exists()


@dataclass(frozen=True)
class QuizResult:
    correct: int
    total: int
    score: int  # percent, rounded down
    passed: bool


def grade(campaign: Campaign, answers: dict[int, int]) -> QuizResult | None:
    """The quiz result of `answers` (question id → chosen index); None when the campaign has no quiz. The score
    is the share of right answers in whole percent (rounded down), passed at or above the pass mark."""
    questions = list(campaign.questions.all())
    if not questions:
        return None
    correct = sum(1 for q in questions if answers.get(q.pk) == q.correct)
    return QuizResult(
        correct, len(questions), correct * 100 // len(questions), correct * 100 >= campaign.pass_mark * len(questions)
    )


@transaction.atomic
def confirm(
    campaign: Campaign, member: Member, actor, *, answers: dict[int, int], reflection: str, on: dt.date | None = None
) -> Participation:
    """The member confirms studying the campaign, answering its quiz (when it has one) and writing a reflection.
    Refused (nothing written) for another person, a member who did not have to study it, after the deadline,
    twice, without a reflection or with the quiz not passed."""
    on = on or timezone.localdate()
    if getattr(actor, "member_id", None) != member.pk:
        raise PermissionDenied
    if not must_study(campaign, member):
        raise DomainError(_("You are not among the members called to study this resolution."))
    if on > campaign.ends_on:
        raise DomainError(_("The study ended on %(date)s.") % {"date": fmt(campaign.ends_on)})
    row = _participation(campaign, member)
    if row.confirmed_on is not None:
        raise DomainError(_("You already confirmed studying this resolution."))
    reflection = nfc(reflection).strip()
    if not reflection:
        raise DomainError({"reflection": _("Write your reflection (thu hoạch).")})
    if len(reflection) > MAX_REFLECTION:
        raise DomainError({"reflection": _("The reflection is limited to %(n)s characters.") % {"n": MAX_REFLECTION}})
    result = grade(campaign, answers)
    if result is not None and not result.passed:
        raise DomainError(
            _(
                "%(correct)s of %(total)s answers are right (%(score)s%%); %(mark)s%% are needed. Read the "
                "materials again and retry."
            )
            % {"correct": result.correct, "total": result.total, "score": result.score, "mark": campaign.pass_mark}
        )
    row.confirmed_on = on
    row.quiz_score = result.score if result else None
    row.answers = [[pk, choice] for pk, choice in sorted(answers.items())] if result else []
    row.reflection = reflection
    _save(row, actor, "study confirmed")
    return row


@transaction.atomic
def record_attendance(campaign: Campaign, organisation: Organisation, present_ids: set[int], actor) -> tuple[int, int]:
    """The office records who of the members called under `organisation` attended the conference: those in
    `present_ids` attended, the others did not. Returns (present, absent)."""
    if not can_manage(actor, organisation):
        raise PermissionDenied
    if campaign.conference_date > timezone.localdate():
        raise DomainError(_("The conference has not been held yet."))
    expected = set(stats.expected_periods(campaign, organisation).values_list("member_id", flat=True))
    unknown = present_ids - expected
    if unknown:
        raise DomainError(_("Some members marked present were not called to study under this organisation."))
    rows = {
        r.member_id: r
        for r in Participation.objects.select_for_update().filter(campaign=campaign, member_id__in=expected)
    }
    for member_id in sorted(expected):
        attended = member_id in present_ids
        row = rows.get(member_id)
        if row is None:
            if not attended:
                continue
            row = Participation(campaign=campaign, member_id=member_id)
        if row.pk and row.attended == attended:
            continue
        row.attended = attended
        row.attendance_recorded_by = actor
        _save(row, actor, "conference attendance")
    return len(present_ids), len(expected) - len(present_ids)


@transaction.atomic
def record_masses(campaign: Campaign, organisation: Organisation, invited: int, present: int, actor) -> MassesTally:
    """The masses invited to and present at the organisation's conference (numbers only)."""
    if not can_manage(actor, organisation):
        raise PermissionDenied
    if present > invited:
        raise DomainError({"present": _("More masses present than invited.")})
    tally = MassesTally.objects.select_for_update().filter(campaign=campaign, organisation=organisation).first()
    tally = tally or MassesTally(campaign=campaign, organisation=organisation)
    tally.invited, tally.present = invited, present
    _save(tally, actor, "masses at the conference")
    return tally
