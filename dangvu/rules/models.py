"""Versioned rule sets: regulations as data with an effective date (domain.md, first paragraph).

A rule set holds some keys; the value of a key on a date is taken from the newest rule set in force on
that date that defines it. The keys code may read are declared in dangvu.rules.registry.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RuleSet(models.Model):
    effective_from = models.DateField(_("effective from"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("regulation"), max_length=200, blank=True, help_text=_("e.g. Quy định 294-QĐ/TW"))
    values = models.JSONField(_("values"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"
