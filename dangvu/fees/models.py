"""Party fees (đảng phí; domain.md "Party fee"; issue 15 item 4; Quy định 01-QĐ/TW).

- `FeeBasis`: a member's fee data with its history — the category (a code of the rule `fees.categories`) and
  the monthly base amount (insured salary, benefit or pension, in đồng) from a month (`valid_from`) until the
  month a newer row starts (`valid_to`, exclusive). Rows are never deleted; a new basis closes the previous one.
- `Relief`: an exemption or a reduction (30/50/70%) granted on application, from a month to a month (both
  included, at most `fees.relief_max_months`); ended early by moving its last month; annulled, never deleted.
- `Due`: the due of a member for a month, computed by the rules in force on the month's first day
  (dangvu.fees.calc) and stored when the month's sheet is drawn up (services.run_month), with the cell the
  member belonged to (the cell that collects it). Derived data: recomputed, not audited row by row.
- `Payment`: an amount paid for a member's month, in cash to the cell or on the National Public Service Portal
  (imported from a statement); several payments may make up one month (docs/decisions.md); a mistaken
  payment is annulled with its reason, never deleted.
- `Statement`: an imported payment-portal statement (all its rows became payments, or none did).

Money is integer đồng everywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ReliefKind(models.TextChoices):
    EXEMPTION = "exemption", _("Exemption")  # miễn đóng
    REDUCTION = "reduction", _("Reduction")  # giảm mức đóng


class ReliefReason(models.TextChoices):
    POOR = "poor", _("Poor household")  # hộ nghèo
    NEAR_POOR = "near_poor", _("Near-poor household")  # hộ cận nghèo
    ILLNESS = "illness", _("Serious illness")  # bệnh hiểm nghèo
    HARDSHIP = "hardship", _("Other hardship")  # hoàn cảnh khó khăn khác


class Method(models.TextChoices):
    CASH = "cash", _("Cash to the cell")
    PORTAL = "portal", _("National Public Service Portal")


class DueReason(models.TextChoices):
    """Why a due is what it is (shown on the sheet)."""

    RATE = "rate", _("Rate of the base amount")
    FIXED = "fixed", _("Fixed amount")
    PARTY_AGE = "party_age", _("Exempt: party age")
    CATEGORY = "category", _("Exempt: category")
    EXEMPTION = "exemption", _("Exempt on application")
    NO_DATA = "no_data", _("No fee data recorded")


class FeeBasis(models.Model):
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="fee_bases")
    category = models.CharField(_("category"), max_length=32)
    base_amount = models.PositiveBigIntegerField(_("monthly base amount (đồng)"), default=0)
    valid_from = models.DateField(_("from month"))
    valid_to = models.DateField(_("until month (exclusive)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["member", "valid_from"]
        verbose_name = _("fee data")
        verbose_name_plural = _("fee data")
        constraints = [models.UniqueConstraint(fields=["member", "valid_from"], name="fee_basis_member_month")]

    def __str__(self) -> str:
        return f"{self.category} {self.base_amount} ({self.valid_from:%m/%Y})"


class Relief(models.Model):
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="fee_reliefs")
    kind = models.CharField(_("kind"), max_length=10, choices=ReliefKind.choices)
    percent = models.PositiveSmallIntegerField(_("percent"))  # 100 for an exemption
    reason = models.CharField(_("reason"), max_length=12, choices=ReliefReason.choices)
    first_month = models.DateField(_("from month"))
    last_month = models.DateField(_("until month (included)"))
    decision = models.CharField(_("decided by"), max_length=255, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    annulled_at = models.DateTimeField(null=True, blank=True)
    annul_reason = models.CharField(_("reason for the annulment"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["member", "first_month"]
        verbose_name = _("exemption or reduction")
        verbose_name_plural = _("exemptions and reductions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.percent}% {self.first_month:%m/%Y}–{self.last_month:%m/%Y}"


class Due(models.Model):
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="fee_dues")
    month = models.DateField(_("month"))
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="fee_dues", verbose_name=_("cell")
    )
    amount = models.PositiveBigIntegerField(_("due (đồng)"))
    category = models.CharField(_("category"), max_length=32, blank=True)
    base_amount = models.PositiveBigIntegerField(_("base amount (đồng)"), default=0)
    percent_off = models.PositiveSmallIntegerField(_("reduction (%)"), default=0)
    reason = models.CharField(_("reason"), max_length=12, choices=DueReason.choices)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month", "member"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="fee_due_member_month")]
        indexes = [models.Index(fields=["organisation", "month"]), models.Index(fields=["month", "amount"])]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y}: {self.amount}"


class Statement(models.Model):
    """A payment-portal statement imported by a committee office."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=255)
    digest = models.CharField(max_length=64, unique=True)  # sha256 of the file: the same file is refused twice
    rows = models.PositiveIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-imported_at"]


class Payment(models.Model):
    due = models.ForeignKey(Due, on_delete=models.PROTECT, related_name="payments")
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("method"), max_length=8, choices=Method.choices, default=Method.CASH)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    statement = models.ForeignKey(Statement, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    annulled_at = models.DateTimeField(null=True, blank=True)
    annul_reason = models.CharField(_("reason for the annulment"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fee_payment_positive"),
            models.UniqueConstraint(
                fields=["reference"],
                condition=Q(method="portal", annulled_at__isnull=True) & ~Q(reference=""),
                name="fee_payment_portal_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} ({self.paid_on:%d/%m/%Y})"
