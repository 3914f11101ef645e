"""An import job: the uploaded file, its dry-run result and, once applied, what it created.

The file is kept in the database (a BinaryField) rather than under MEDIA_ROOT: it is written in the same
transaction as the job, needs no clean-up of orphan files, and is backed up with the records it created.
Every change of a job is audited (simple-history), the file itself excluded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class JobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Checking")  # dry run not finished yet
    VALIDATED = "validated", _("Ready to apply")  # dry run without errors
    FAILED = "failed", _("Refused")  # errors in the file, or the apply failed (nothing was written)
    APPLYING = "applying", _("Importing")
    APPLIED = "applied", _("Imported")


class ImportJob(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("import into"),
        help_text=_("Cells in the file must lie under this organisation (empty: the whole tree, administrators)"),
    )
    filename = models.CharField(_("file"), max_length=255)
    data = models.BinaryField()
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.UPLOADED)
    estimated_rows = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    created_count = models.PositiveIntegerField(_("members created"), default=0)
    # [[row, column header, value, message], ...] (at most checking.MAX_STORED_ERRORS)
    errors = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=list, blank=True)  # the first rows as they will be stored
    # Values stored otherwise than written (dangvu.imports.notices): [[row, column header, entered, stored,
    # kind], ...] capped as the errors; their total and their counts per kind. Jobs checked before the kinds
    # (issue 16 item 10) have four-element notices, all official-membership dates, and no counts per kind.
    notice_count = models.PositiveIntegerField(_("values stored otherwise than written"), default=0)
    notice_counts = models.JSONField(default=dict, blank=True)
    notices = models.JSONField(default=list, blank=True)
    message = models.TextField(_("message"), blank=True)  # file-level refusal or failure of the apply
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["data", "errors", "preview", "notices", "notice_counts"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.filename

    @property
    def running(self) -> bool:
        return self.status in {JobStatus.UPLOADED, JobStatus.APPLYING}

    @property
    def can_apply(self) -> bool:
        return self.status == JobStatus.VALIDATED and self.error_count == 0 and self.total_rows > 0
