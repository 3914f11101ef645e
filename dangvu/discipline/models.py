"""Discipline of party members and organisations (kỷ luật; Quy định 69-QĐ/TW amended by 264-QĐ/TW, Điều lệ
Đảng; domain.md "Inspection, supervision, discipline").

A `Case` is opened on a violation (category, facts, date) of a member or an organisation with a proposed
form; it is decided by the competent body (`decided_by` organisation and `organ`, from the authority table
of the rule set in force) with a decision document and an effective date, or closed without discipline.
An appeal and its outcome are recorded on the case; an outcome that changes the form sets `final_form`.
Expulsion ends the membership through a member event (dangvu.members), dissolution through a
reorganisation (dangvu.orgs). A discipline decided by a state body is a `StateNotice`. Rows are written
only by dangvu.discipline.services; nothing is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Form(models.TextChoices):
    """Discipline forms, lightest first (Điều lệ Đảng, Điều 35)."""

    REPRIMAND = "reprimand", pgettext_lazy("discipline form", "Reprimand")  # khiển trách
    WARNING = "warning", pgettext_lazy("discipline form", "Warning")  # cảnh cáo
    REMOVAL = "removal_from_post", pgettext_lazy("discipline form", "Removal from post")  # cách chức
    EXPULSION = "expulsion", pgettext_lazy("discipline form", "Expulsion")  # khai trừ
    DISSOLUTION = "dissolution", pgettext_lazy("discipline form", "Dissolution")  # giải tán


class SubjectKind(models.TextChoices):
    MEMBER = "member", _("Party member")
    ORGANISATION = "organisation", _("Party organisation")


class Organ(models.TextChoices):
    """The body of an organisation that decides (the level comes from the organisation)."""

    COMMITTEE = "committee", _("Party committee or cell")  # cấp ủy / chi bộ
    STANDING = "standing", _("Standing committee")  # ban thường vụ
    INSPECTION = "inspection", _("Inspection committee")  # ủy ban kiểm tra


class CaseState(models.TextChoices):
    OPEN = "open", _("Being considered")
    DECIDED = "decided", _("Disciplined")
    DROPPED = "dropped", _("Closed without discipline")


class AppealOutcome(models.TextChoices):
    PENDING = "", _("Not settled yet")
    UPHELD = "upheld", _("Decision upheld")  # giữ nguyên
    CHANGED = "changed", _("Form changed")  # thay đổi hình thức
    ANNULLED = "annulled", _("Decision annulled")  # xóa bỏ quyết định


class Case(models.Model):
    subject_kind = models.CharField(_("subject"), max_length=16, choices=SubjectKind.choices)
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="discipline_cases"
    )
    # The organisation disciplined, or the member's cell when the case was opened (and, from the decision,
    # the cell on the effective date): scope and statistics follow it.
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="discipline_cases", verbose_name=_("organisation")
    )
    category = models.CharField(_("category of violation"), max_length=40)
    facts = models.TextField(_("facts of the violation"))
    violation_date = models.DateField(_("date of the violation"))
    proposed_form = models.CharField(_("proposed form"), max_length=20, choices=Form.choices)
    opened_on = models.DateField(_("opened on"))
    state = models.CharField(_("state"), max_length=10, choices=CaseState.choices, default=CaseState.OPEN)

    # The decision (or the closing without discipline: its document and reason).
    form = models.CharField(_("form decided"), max_length=20, choices=Form.choices, blank=True)
    decided_by = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discipline_decisions",
        verbose_name=_("deciding organisation"),
    )
    organ = models.CharField(_("deciding body"), max_length=12, choices=Organ.choices, blank=True)
    document_number = models.CharField(_("decision number"), max_length=64, blank=True)
    document_date = models.DateField(_("decision date"), null=True, blank=True)
    issuer = models.CharField(_("signed by"), max_length=255, blank=True)
    effective_date = models.DateField(_("effective from"), null=True, blank=True, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    committee_member = models.BooleanField(_("committee member at the decision"), default=False)
    seat = models.ForeignKey(
        "orgs.CommitteeSeat",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("post removed"),
    )
    member_event = models.ForeignKey(
        "members.MemberEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reorganisation = models.ForeignKey(
        "orgs.Reorganisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # The appeal (khiếu nại kỷ luật) and its outcome.
    appeal_lodged_on = models.DateField(_("appeal lodged on"), null=True, blank=True)
    appeal_to = models.CharField(_("appeal lodged with"), max_length=255, blank=True)
    appeal_due = models.DateField(_("appeal to be settled by"), null=True, blank=True)
    appeal_outcome = models.CharField(
        _("appeal outcome"), max_length=10, choices=AppealOutcome.choices, blank=True, default=""
    )
    appeal_decided_on = models.DateField(_("appeal settled on"), null=True, blank=True)
    appeal_document_number = models.CharField(_("appeal decision number"), max_length=64, blank=True)
    appeal_note = models.TextField(_("appeal note"), blank=True)
    # The form in force after the appeal (the decided form when no appeal changed it; blank when annulled).
    final_form = models.CharField(_("form in force"), max_length=20, choices=Form.choices, blank=True)

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("discipline case")
        verbose_name_plural = _("discipline cases")
        indexes = [models.Index(fields=["state", "effective_date"]), models.Index(fields=["member", "violation_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subject_kind="organisation", member__isnull=True)
                | models.Q(subject_kind="member", member__isnull=False),
                name="discipline_case_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} — {self.get_proposed_form_display()}"

    @property
    def subject_name(self) -> str:
        return self.member.full_name if self.member_id else self.organisation.name

    @property
    def in_force(self) -> bool:
        """Disciplined and not annulled on appeal."""
        return self.state == CaseState.DECIDED and bool(self.final_form)


class StateNotice(models.Model):
    """A discipline decided by a state body (agency, employer) about a party member, notified to the
    member's party organisation (recorded with the date of the notice)."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="state_discipline_notices")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    body = models.CharField(_("state body"), max_length=255)
    form = models.CharField(_("form of discipline"), max_length=255)
    document_number = models.CharField(_("decision number"), max_length=64)
    document_date = models.DateField(_("decision date"))
    notified_on = models.DateField(_("notified to the party organisation on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-notified_on", "-id"]
        verbose_name = _("state discipline notice")
        verbose_name_plural = _("state discipline notices")
