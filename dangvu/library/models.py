"""The document library (issue 14 item 2): the documents register read by members. A register document
gets an `Entry` once the office publishes it to the members below its issuer or gives it a body text; the
text of its attached DOCX/PDF files is kept here too, for the full-text search (dangvu.library.index).

`Shelf` rows are a user's bookmarks and "read later" list. Rows are written only by dangvu.library.services
(and the index by its signals); the register's rows are never written here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Entry(models.Model):
    document = models.OneToOneField(
        "docregister.Document", on_delete=models.PROTECT, primary_key=True, related_name="library_entry"
    )
    body_text = models.TextField(_("text of the document"), blank=True)
    # Text extracted from the attached DOCX/PDF files (dangvu.library.extract): searched, not shown.
    file_text = models.TextField(blank=True, editable=False)
    published_at = models.DateTimeField(_("published to members"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["file_text"])

    class Meta:
        verbose_name = _("library entry")
        verbose_name_plural = _("library entries")

    @property
    def published(self) -> bool:
        return self.published_at is not None


class ShelfKind(models.TextChoices):
    BOOKMARK = "bookmark", _("Bookmarks")
    LATER = "later", _("Read later")


class Shelf(models.Model):
    """A document on one of a user's lists. Taking it off the list removes the row (a personal list, not a
    party record); its history keeps the trace."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey("docregister.Document", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ShelfKind.choices)
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-added_at", "-id"]
        verbose_name = _("document on a list")
        verbose_name_plural = _("documents on lists")
        constraints = [models.UniqueConstraint(fields=["user", "document", "kind"], name="library_one_shelf_row")]
