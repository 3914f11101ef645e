"""Study of resolutions, training and commitments (issue 14 items 3–5; domain.md §4 "Study of resolutions").

- `Campaign`: the study of one registered resolution (dangvu.docregister) over an organisation's subtree: the
  conference date, the deadline, the materials, an optional quiz (`Question`) with its pass mark, and the
  masses invited and present (`MassesTally`, counted by number). Who must study is derived, not stored: the
  members in the Party under the organisation on the conference date (dangvu.study.stats).
- `Participation`: one member's study of a campaign — the conference attendance the office records, the
  member's own confirmation with the quiz score and the written reflection (thu hoạch).
- `Course` and `Enrolment`: training (Party awareness, new members, political theory levels, refresher);
  the enrolled person is a member or an admission candidate (the awareness course comes before admission).
- `Commitment`: the member's yearly personal commitment and its year-end review; `ExemplaryModel` and
  `Commendation`: the register of exemplary models and commendations.

Rows are written only by dangvu.study.services, training and commitments (audited); nothing is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangvu.members.models import PoliticalTheory


def _row(what: str, date, organisation, detail: str, member_id: int | None = None) -> dict:
    """One row of a target's provenance list (dangvu.targets.provenance.describe)."""
    return {
        "what": what,
        "date": date,
        "organisation": organisation.name if organisation else "",
        "detail": detail,
        "url": reverse("members:detail", args=[member_id]) if member_id else "",
    }


class Campaign(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="study_campaigns", verbose_name=_("organisation")
    )
    resolution = models.ForeignKey(
        "docregister.Document", on_delete=models.PROTECT, related_name="study_campaigns", verbose_name=_("resolution")
    )
    title = models.CharField(_("title"), max_length=300)
    conference_date = models.DateField(_("conference date"), db_index=True)
    ends_on = models.DateField(_("study deadline"))
    materials = models.ManyToManyField(
        "docregister.Document", blank=True, related_name="+", verbose_name=_("study materials")
    )
    notes = models.TextField(_("notes"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("quiz pass mark (%)"), default=80)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-conference_date", "-id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A quiz question: the choices one per line; `correct` the index of the right one (from 0)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=500)
    choices = models.JSONField(_("choices"), default=list)
    correct = models.PositiveSmallIntegerField(_("correct choice"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["campaign", "position", "id"]


class Participation(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="participations")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="study_participations")
    attended = models.BooleanField(_("attended the conference"), default=False)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    quiz_score = models.PositiveSmallIntegerField(_("quiz score (%)"), null=True, blank=True)
    answers = models.JSONField(default=list, blank=True)
    reflection = models.TextField(_("reflection"), blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "member"], name="study_one_participation")]
        indexes = [models.Index(fields=["member", "campaign"])]

    @property
    def studied(self) -> bool:
        return self.attended or self.confirmed_on is not None

    def provenance_row(self) -> dict:
        how = [str(_("attended the conference"))] if self.attended else []
        if self.confirmed_on:
            how.append(f"{_('confirmed on')} {self.confirmed_on:%d/%m/%Y}")
        detail = f"{self.campaign.title} · {', '.join(how)}"
        return _row(
            self.member.full_name, self.campaign.conference_date, self.campaign.organisation, detail, self.member_id
        )


class MassesTally(models.Model):
    """Masses (non-members) invited to and present at an organisation's study conference: numbers only."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="masses")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    invited = models.PositiveIntegerField(_("masses invited"))
    present = models.PositiveIntegerField(_("masses present"))
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "organisation"], name="study_one_tally")]


# --- Training ------------------------------------------------------------------------------------------


class CourseKind(models.TextChoices):
    AWARENESS = "awareness", _("Party awareness course")  # bồi dưỡng nhận thức về Đảng
    NEW_MEMBERS = "new_members", _("New-member course")  # bồi dưỡng đảng viên mới
    THEORY = "theory", _("Political theory")  # lý luận chính trị (sơ cấp, trung cấp, cao cấp, cử nhân)
    REFRESHER = "refresher", _("Refresher course")  # bồi dưỡng, cập nhật kiến thức


class Course(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="courses", verbose_name=_("organised by")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CourseKind.choices)
    theory_level = models.CharField(
        _("political theory level"), max_length=16, choices=PoliticalTheory.choices, blank=True
    )
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Enrolment(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="enrolments"
    )
    candidate = models.ForeignKey(
        "admission.Candidate", null=True, blank=True, on_delete=models.PROTECT, related_name="enrolments"
    )
    enrolled_on = models.DateField(_("enrolled on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True, db_index=True)
    certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False, candidate__isnull=True)
                | models.Q(member__isnull=True, candidate__isnull=False),
                name="study_enrolment_one_person",
            ),
            models.UniqueConstraint(fields=["course", "member"], name="study_enrol_member_once"),
            models.UniqueConstraint(fields=["course", "candidate"], name="study_enrol_candidate_once"),
        ]

    @property
    def person_name(self) -> str:
        return self.member.full_name if self.member_id else self.candidate.full_name

    def provenance_row(self) -> dict:
        person = self.member if self.member_id else self.candidate
        detail = f"{self.course.title} · {self.certificate_number}"
        return _row(person.full_name, self.completed_on, person.organisation, detail, self.member_id)


# --- Commitments and exemplary models ------------------------------------------------------------------


class ReviewResult(models.TextChoices):
    WELL = "well", _("Fulfilled well")
    FULFILLED = "fulfilled", _("Fulfilled")
    NOT = "not", _("Not fulfilled")


class Commitment(models.Model):
    """The yearly commitment to "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="commitments")
    year = models.PositiveSmallIntegerField(_("year"))
    content = models.TextField(_("commitment"))
    made_on = models.DateField(_("made on"))
    review = models.TextField(_("year-end review"), blank=True)
    result = models.CharField(_("result"), max_length=12, choices=ReviewResult.choices, blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="study_one_commitment_a_year")]


class Subject(models.TextChoices):
    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")


class ExemplaryModel(models.Model):
    """A model of studying and following Hồ Chí Minh (mô hình học và làm theo Bác), collective or individual."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    recognised_on = models.DateField(_("recognised on"), db_index=True)
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recognised_on", "-id"]

    def __str__(self) -> str:
        return self.name

    def provenance_row(self) -> dict:
        detail = f"{self.get_subject_display()} · {self.document_number}"
        return _row(self.name, self.recognised_on, self.organisation, detail, self.member_id)


class Commendation(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    recipient = models.CharField(_("recipient"), max_length=300)
    reason = models.CharField(_("reason"), max_length=500)
    date = models.DateField(_("date"), db_index=True)
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.recipient

    def provenance_row(self) -> dict:
        detail = f"{self.get_subject_display()} · {self.reason}"
        return _row(self.recipient, self.date, self.organisation, detail, self.member_id)
