"""Targets of a resolution (issue 13 item 2): each numbered target ("chỉ tiêu") of a registered resolution
with its text as written, what kind of target it is (floor "≥ 95%", ceiling "< 1%", count over the period
"≥ 300 in the term", rate per unit "2 thematic meetings per cell per year", qualitative), the threshold and
its direction, the period it is judged over (each year, the term), what it counts, the organisation whose
subtree it covers, and where its result comes from: an indicator computed from the records
(dangvu.targets.indicators) or values entered by hand with their evidence and author (`ManualValue`).
Rows are written only by dangvu.targets.services; nothing is deleted (a newer manual value supersedes).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Kind(models.TextChoices):
    FLOOR = "floor", _("At least (a floor)")  # ít nhất, từ … trở lên, trên, đạt
    CEILING = "ceiling", _("At most (a ceiling)")  # không quá, dưới
    COUNT = "count", _("A count over the period")  # kết nạp 300 đảng viên trong nhiệm kỳ
    RATE = "rate", _("A rate per unit")  # 02 chuyên đề mỗi chi bộ mỗi năm
    QUALITATIVE = "qualitative", _("Qualitative")


class Period(models.TextChoices):
    YEAR = "year", _("Each year")  # hằng năm
    TERM = "term", _("Over the term")  # trong nhiệm kỳ


class Subject(models.TextChoices):
    MEMBERS = "members", pgettext_lazy("target subject", "Party members")
    GRASSROOTS = "grassroots", _("Grassroots party organisations")
    CELLS = "cells", _("Party cells")
    STAFF = "staff", _("Officials, staff and the masses")  # cán bộ, công chức, viên chức, quần chúng
    OTHER = "other", _("Other")


class Source(models.TextChoices):
    INDICATOR = "indicator", _("Computed from the records")
    MANUAL = "manual", _("Entered by hand with evidence")


class Target(models.Model):
    resolution = models.ForeignKey(
        "docregister.Document", on_delete=models.PROTECT, related_name="targets", verbose_name=_("resolution")
    )
    position = models.PositiveSmallIntegerField(_("number in the resolution"))
    text = models.TextField(_("text as written"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # The line: a percentage for floors and ceilings on shares, a number for counts, per unit and year for
    # rates; none for a qualitative target. `strict`: "trên 90%" (more than), "dưới 1%" (less than).
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=3, null=True, blank=True)
    strict = models.BooleanField(_("strictly beyond the threshold"), default=False)
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    scope = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation covered")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    indicator = models.CharField(_("indicator"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["resolution", "position", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["resolution", "position"], name="targets_one_position"),
            models.CheckConstraint(
                condition=models.Q(kind="qualitative") | models.Q(threshold__isnull=False),
                name="targets_threshold_unless_qualitative",
            ),
            models.CheckConstraint(
                condition=~models.Q(source="indicator") | ~models.Q(indicator=""), name="targets_indicator_named"
            ),
        ]

    def __str__(self) -> str:
        return f"({self.position}) {self.text[:80]}"


class ManualValue(models.Model):
    """A result entered by hand (a study participation rate reported by the cells, …) for one year of the
    term or for the term (`year` empty), with its evidence and author. The latest entered counts."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="manual_values")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    value = models.DecimalField(_("result"), max_digits=12, decimal_places=3)
    evidence = models.TextField(_("evidence"))
    document = models.ForeignKey(
        "docregister.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("report giving the figure"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["target", "year", "-recorded_at", "-id"]
        verbose_name = _("result entered by hand")
        verbose_name_plural = _("results entered by hand")


class ReportKind(models.TextChoices):
    TARGETS = "targets", _("Results of the resolution's targets")  # Kết quả thực hiện chỉ tiêu nghị quyết
    MEMBERS = "members", _("Statistical summary of party members")  # Thống kê đảng viên


class ReportState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def report_path(instance: Report, filename: str) -> str:
    return f"targets/reports/{instance.pk}/{filename}"


class Report(models.Model):
    """An official report on a resolution (issue 13 item 8): the appendix tables of its targets or the
    statistical summary of members, for the term to date or one year of it, as DOCX in the Party format and
    as XLSX, built in the background (dangvu.targets.report_jobs). Its number is registered in the documents
    register when it is asked for (`document`), and kept when it is rebuilt. Written only by
    dangvu.targets.reports."""

    resolution = models.ForeignKey(
        "docregister.Document", on_delete=models.PROTECT, related_name="target_reports", verbose_name=_("resolution")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    label = models.CharField(_("period"), max_length=16)  # "2025-2030" (the term to date) or "2026"
    start = models.DateField()
    end = models.DateField()
    document = models.OneToOneField(
        "docregister.Document", on_delete=models.PROTECT, related_name="target_report", verbose_name=_("register entry")
    )
    place = models.CharField(_("place"), max_length=120, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ReportState.choices, default=ReportState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent, when finished (running: dangvu.tasks.side)
    message = models.TextField(blank=True)
    docx = models.FileField(upload_to=report_path, max_length=255, blank=True)
    xlsx = models.FileField(upload_to=report_path, max_length=255, blank=True)
    builds = models.PositiveSmallIntegerField(default=0)
    job_id = models.CharField(_("build task"), max_length=64, blank=True)  # the task of the latest build
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    built_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.document.number if self.document_id else f"#{self.pk}"

    @property
    def running(self) -> bool:
        return self.state in (ReportState.QUEUED, ReportState.RUNNING)
