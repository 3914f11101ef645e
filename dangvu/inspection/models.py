"""Inspection and supervision (kiểm tra, giám sát; Quy định 296-QĐ/TW; domain.md "Inspection, supervision,
discipline"; issue 12 item 1).

A `Programme` is the yearly inspection and supervision programme of a committee or of its inspection
committee (`organ`). An `Activity` is one inspection (regular, thematic, on signs of violation) or one
supervision (regular, thematic) carried out by an organisation's committee or inspection committee, in a
programme or outside it (on signs of violation), with its `Subject`s (organisations or members, always
inside the conducting organisation's subtree), its team, dates and conclusion. Its `Remediation` items
have an owner and a deadline and are followed to closure with evidence. Rows are written only by
dangvu.inspection.services; nothing is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Organ(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")  # cấp ủy
    INSPECTION = "inspection", _("Inspection committee")  # ủy ban kiểm tra


class Kind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")  # kiểm tra
    SUPERVISION = "supervision", _("Supervision")  # giám sát


class Mode(models.TextChoices):
    REGULAR = "regular", _("Regular")  # thường xuyên
    THEMATIC = "thematic", _("Thematic")  # chuyên đề
    SIGNS = "signs", _("On signs of violation")  # khi có dấu hiệu vi phạm


# Quy định 296-QĐ/TW: supervision is regular or thematic; only inspection is "on signs of violation".
MODES = {Kind.INSPECTION: {Mode.REGULAR, Mode.THEMATIC, Mode.SIGNS}, Kind.SUPERVISION: {Mode.REGULAR, Mode.THEMATIC}}


class Programme(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="inspection_programmes"
    )
    organ = models.CharField(_("body"), max_length=12, choices=Organ.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255)
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    approved_on = models.DateField(_("approved on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "organisation__path", "organ"]
        verbose_name = _("inspection and supervision programme")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "organ", "year"], name="inspection_programme_once")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Activity(models.Model):
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="activities")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="inspection_activities"
    )
    organ = models.CharField(_("body"), max_length=12, choices=Organ.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    title = models.CharField(_("content"), max_length=255)
    team = models.TextField(_("team"), blank=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    conclusion_number = models.CharField(_("conclusion number"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("inspection or supervision")
        indexes = [models.Index(fields=["start"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class Subject(models.Model):
    """An organisation inspected or supervised, or a member (then `organisation` is the member's cell)."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="subjects")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.member.full_name if self.member_id else self.organisation.name


class Remediation(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="remediations")
    description = models.TextField(_("what is to be remedied"))
    owner = models.CharField(_("owner"), max_length=255)
    deadline = models.DateField(_("deadline"), db_index=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("remediation item")

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def closed(self) -> bool:
        return self.closed_on is not None


class Suggestion(models.Model):
    """A review suggestion (gợi ý kiểm điểm, seed 001): issues a committee sends to a subordinate collective
    (`organisation`) or person (`member`, with their cell) for their self-criticism review."""

    sender = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="review_suggestions_sent")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="review_suggestions", verbose_name=_("addressee")
    )
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year reviewed"))
    sent_on = models.DateField(_("sent on"))
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("review suggestion")


class SuggestionIssue(models.Model):
    """One issue to remedy. The addressee reports what was done (`report`, replaceable while the issue is
    open: earlier reports stay in the history); the sender closes it with its evidence, final."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="issues")
    text = models.TextField(_("issue"))
    deadline = models.DateField(_("deadline"))
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    report = models.TextField(_("what was done"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "id"]


class FileKind(models.TextChoices):
    DECISION = "decision", _("Signed decision")  # quyết định đã ký
    PLAN = "plan", _("Plan")  # kế hoạch
    SUBJECT_REPORT = "subject_report", _("Subject's report")  # báo cáo của đối tượng
    TEAM_REPORT = "team_report", _("Team's report")  # báo cáo của đoàn
    CONCLUSION = "conclusion", _("Signed conclusion")  # kết luận đã ký
    EVIDENCE = "evidence", _("Evidence")  # tài liệu chứng minh
    OTHER = "other", _("Other")


def activity_file_path(instance: ActivityFile, filename: str) -> str:
    return f"inspection/{instance.activity_id}/{filename}"


class ActivityFile(models.Model):
    """A document of an inspection or supervision (the signed decision, the subject's report, the team's
    report, evidence…), uploaded by its managers and checked by its content (dangvu.lib.uploads). Never
    deleted: a file put by mistake is withdrawn with the reason and stays in the record."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("kind of document"), max_length=16, choices=FileKind.choices)
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to=activity_file_path, max_length=255)
    filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("document of an inspection or supervision")

    def __str__(self) -> str:
        return self.title

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None
