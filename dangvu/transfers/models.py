"""Transfers of party activity (chuyển sinh hoạt đảng, domain.md §3): official or temporary, between cells
of this system or to and from organisations outside it.

A transfer is issued with an introduction letter (giới thiệu sinh hoạt đảng) and closed by the receiving
side's acknowledgment. The member's record carries the matching events (transfer out/in, temporary
out/return), so the organisation history stays exact; between the letter and the acknowledgment an
official transfer inside the system leaves the member "in transit".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TransferKind(models.TextChoices):
    OFFICIAL = "official", _("Official transfer")  # chuyển sinh hoạt chính thức
    TEMPORARY = "temporary", _("Temporary transfer")  # chuyển sinh hoạt tạm thời


class TransferState(models.TextChoices):
    IN_TRANSIT = "in_transit", _("Awaiting acknowledgment")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RETURNED = "returned", _("Returned")  # end of a temporary transfer
    CANCELLED = "cancelled", _("Cancelled")


class Transfer(models.Model):
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(_("kind"), max_length=12, choices=TransferKind.choices)
    state = models.CharField(_("state"), max_length=16, choices=TransferState.choices, db_index=True)
    # Sending side: a cell of this system, or an organisation outside it (transfer in from outside).
    from_organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_out",
        verbose_name=_("sending side"),
    )
    from_external = models.CharField(_("from (outside the system)"), max_length=255, blank=True)
    to_organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_in",
        verbose_name=_("receiving side"),
    )
    to_external = models.CharField(_("to (outside the system)"), max_length=255, blank=True)
    letter_number = models.CharField(_("introduction letter number"), max_length=64)
    letter_date = models.DateField(_("introduction letter date"))
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    due_on = models.DateField(_("letter to be presented by"), null=True, blank=True, db_index=True)
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    acknowledgment = models.CharField(
        _("acknowledgment"), max_length=255, blank=True, help_text=_("Receipt slip number or who received it")
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    out_event = models.OneToOneField(
        "members.MemberEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="transfer_out_of"
    )
    in_event = models.OneToOneField(
        "members.MemberEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="transfer_in_of"
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-letter_date", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(state="in_transit"), name="transfers_one_open_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.letter_number}"

    @property
    def destination(self) -> str:
        return str(self.to_organisation) if self.to_organisation_id else self.to_external

    @property
    def origin(self) -> str:
        return str(self.from_organisation) if self.from_organisation_id else self.from_external
