"""The documents register (sổ đăng ký văn bản; issue 13 item 1): every resolution, directive, conclusion,
regulation, guidance, plan, programme, report, notice, decision, minutes … an organisation issues, with its
number in the Party format (Hướng dẫn 36-HD/VPTW): "Số 05-NQ/ĐU" — the serial, the type's code and the
issuer's symbol.

Numbers run from 01 per type per term of the issuing body (`Series`: organisation, body, term, type); the
documents of a congress are one series for the congress whatever their type (body `congress`, symbol
"ĐH"). A document may implement, replace or report on another one, registered here or external (a Central
Committee resolution "57-NQ/TW"). Rows are written only by dangvu.docregister.services; nothing is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from dangvu.lib.text import fold


class DocType(models.TextChoices):
    """Kinds of Party documents with their codes in the number (Hướng dẫn 36-HD/VPTW, appendix 1)."""

    RESOLUTION = "NQ", _("Resolution")  # Nghị quyết
    DECISION = "QĐ", _("Decision")  # Quyết định
    DIRECTIVE = "CT", _("Directive")  # Chỉ thị
    CONCLUSION = "KL", _("Conclusion")  # Kết luận
    RULES = "QC", _("Rules of procedure")  # Quy chế
    REGULATION = "QĐi", pgettext_lazy("document type", "Regulation")  # Quy định
    GUIDANCE = "HD", _("Guidance")  # Hướng dẫn
    REPORT = "BC", _("Report")  # Báo cáo
    PLAN = "KH", _("Plan")  # Kế hoạch
    PROGRAMME = "CTr", _("Programme")  # Chương trình
    SUBMISSION = "TTr", _("Submission")  # Tờ trình
    NOTICE = "TB", _("Notice")  # Thông báo
    MINUTES = "BB", _("Minutes")  # Biên bản
    LETTER = "CV", _("Official letter")  # Công văn


class Body(models.TextChoices):
    """Who in the organisation issues: the committee (its executive and standing committees share one
    series), its inspection committee (own symbol), or the congress (one series for the congress)."""

    COMMITTEE = "committee", _("Party committee or cell")
    INSPECTION = "inspection", _("Inspection committee")
    CONGRESS = "congress", _("Congress")


class LinkKind(models.TextChoices):
    IMPLEMENTS = "implements", _("Implements")  # thực hiện
    REPLACES = "replaces", _("Replaces")  # thay thế
    REPORTS_ON = "reports_on", _("Reports on")  # báo cáo kết quả


class Document(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="registered_documents", verbose_name=_("issued by")
    )
    body = models.CharField(_("issuing body"), max_length=12, choices=Body.choices, default=Body.COMMITTEE)
    term = models.ForeignKey("orgs.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("term"))
    doc_type = models.CharField(_("type"), max_length=4, choices=DocType.choices)
    # The series the serial belongs to: the type, or "" for a congress (all its documents one series).
    series_type = models.CharField(max_length=4, blank=True, editable=False)
    serial = models.PositiveIntegerField(_("serial"))
    symbol = models.CharField(_("issuer's symbol"), max_length=16)
    number = models.CharField(_("number"), max_length=40, db_index=True)  # "05-NQ/ĐU"
    date = models.DateField(_("date"), db_index=True)
    title = models.CharField(_("title"), max_length=500)
    title_search = models.CharField(max_length=500, editable=False)
    summary = models.TextField(_("summary"), blank=True)
    signed_by = models.CharField(_("signed by"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("registered document")
        verbose_name_plural = _("registered documents")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "body", "term", "series_type", "serial"], name="docregister_one_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    def save(self, *args, **kwargs):
        self.title_search = fold(self.title)
        super().save(*args, **kwargs)


class Series(models.Model):
    """The last serial given in a series: the row locked while a number is allocated (race-free)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    body = models.CharField(max_length=12, choices=Body.choices)
    term = models.ForeignKey("orgs.Term", on_delete=models.PROTECT, related_name="+")
    series_type = models.CharField(max_length=4, blank=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "body", "term", "series_type"], name="docregister_one_series"
            )
        ]


def file_path(instance: DocumentFile, filename: str) -> str:
    return f"register/{instance.document_id}/{filename}"


class DocumentFile(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(_("file"), upload_to=file_path, max_length=255)
    filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]


class DocumentLink(models.Model):
    """`source` implements / replaces / reports on `target` (registered) or an external document named by
    its number and title."""

    source = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="links")
    kind = models.CharField(_("link"), max_length=12, choices=LinkKind.choices)
    target = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="linked_from")
    external_number = models.CharField(_("number of the document"), max_length=40, blank=True)
    external_title = models.CharField(_("title of the document"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target__isnull=False) | ~models.Q(external_number=""),
                name="docregister_link_has_target",
            )
        ]

    @property
    def target_number(self) -> str:
        return self.target.number if self.target_id else self.external_number

    @property
    def target_title(self) -> str:
        return self.target.title if self.target_id else self.external_title
