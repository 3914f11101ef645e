"""Denunciation and feedback letters (đơn thư tố cáo, khiếu nại, phản ánh; domain.md "Denunciation and feedback
letters"; issue 12 items 3 and 4).

A `Letter` is received by a committee (its inspection committee handles it): date, channel, kind, how it is
signed, about whom (a member or an organisation) and its content. It is screened by the rules in force
(`letters.not_handled`: anonymous, false name, no address, repeated without new evidence — the reason is
recorded), then routed once: handled by the committee (with a deadline in working days and at most one
extension, notified to the sender), forwarded to a subordinate committee, transferred to the competent body,
or archived. A handled letter ends with an outcome: a discipline case opened (dangvu.discipline), a review
with lessons drawn, or unfounded, and the result notice to the sender.

The senders' identity is secret (docs/security.md "Letters"): each `Signatory` holds its name, address and
contact as one encrypted, padded value (dangvu.lib.fieldcrypt) excluded from the audit history; only the
inspection role of the handling committee reads it, and every reading is a `SenderView` row, shown to the
committee's `InspectionHead`. Rows are written only by dangvu.letters.services; nothing is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangvu.lib.fieldcrypt import CiphertextField


class Channel(models.TextChoices):
    POST = "post", _("By post")
    IN_PERSON = "in_person", _("Handed in person")
    MAILBOX = "mailbox", _("Letter box")
    EMAIL = "email", _("Electronic")
    FORWARDED = "forwarded", _("Forwarded by another body")


class Kind(models.TextChoices):
    DENUNCIATION = "denunciation", _("Denunciation")  # tố cáo
    COMPLAINT = "complaint", _("Complaint")  # khiếu nại
    FEEDBACK = "feedback", _("Feedback or petition")  # phản ánh, kiến nghị


class Signed(models.TextChoices):
    NAMED = "named", _("Named, with an address")
    ANONYMOUS = "anonymous", _("Anonymous")  # nặc danh
    FALSE_NAME = "false_name", _("Under a false name")  # mạo danh
    NO_ADDRESS = "no_address", _("Without an address")  # không rõ địa chỉ


class State(models.TextChoices):
    RECEIVED = "received", _("Received, to screen")
    NOT_HANDLED = "not_handled", _("Not handled")
    ACCEPTED = "accepted", _("Accepted, to route")
    HANDLING = "handling", _("Being handled")
    FORWARDED = "forwarded", _("Forwarded to a subordinate committee")
    TRANSFERRED = "transferred", _("Transferred to the competent body")
    ARCHIVED = "archived", _("Archived")
    CONCLUDED = "concluded", _("Concluded")


class Route(models.TextChoices):
    HANDLE = "handle", _("Handle")  # xem xét, giải quyết
    FORWARD = "forward", _("Forward to a subordinate committee")  # chuyển cấp ủy cấp dưới
    TRANSFER = "transfer", _("Transfer to the competent body")  # chuyển cơ quan có thẩm quyền
    ARCHIVE = "archive", _("Archive")  # lưu đơn


class Outcome(models.TextChoices):
    DISCIPLINE = "discipline", _("Discipline case opened")
    LESSONS = "lessons", _("Review with lessons drawn")  # kiểm điểm rút kinh nghiệm
    UNFOUNDED = "unfounded", _("Unfounded")


class Letter(models.Model):
    committee = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="letters", verbose_name=_("handling committee")
    )
    number = models.CharField(_("receipt number"), max_length=64)
    received_on = models.DateField(_("received on"), db_index=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    signed = models.CharField(_("signature"), max_length=12, choices=Signed.choices)
    signatory_count = models.PositiveSmallIntegerField(_("number of signatories"), default=0)
    about_member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="letters_about"
    )
    about_organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="letters_about"
    )
    content = models.TextField(_("content"))
    repeat_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="repeats", verbose_name=_("repeat of")
    )
    new_evidence = models.BooleanField(_("brings new evidence"), default=False)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RECEIVED)

    # Screening (phân loại): not handled with the rule's reason, or accepted.
    screened_on = models.DateField(_("screened on"), null=True, blank=True)
    not_handled_reason = models.CharField(_("reason not handled"), max_length=32, blank=True)
    screening_note = models.TextField(_("screening note"), blank=True)

    # Routing, once.
    route = models.CharField(_("route"), max_length=10, choices=Route.choices, blank=True)
    routed_on = models.DateField(_("routed on"), null=True, blank=True)
    forwarded_to = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transferred_to = models.CharField(_("competent body"), max_length=255, blank=True)
    route_note = models.TextField(_("routing note"), blank=True)
    handlers = models.ManyToManyField("members.Member", blank=True, related_name="+", verbose_name=_("handled by"))

    # The deadline (working days from the acceptance) and its one extension with the notice to the sender.
    due_on = models.DateField(_("to be settled by"), null=True, blank=True, db_index=True)
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), null=True, blank=True)
    extended_due_on = models.DateField(_("extended to"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extension_notice_on = models.DateField(_("extension notified on"), null=True, blank=True)

    # The outcome and the result notice.
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    case = models.ForeignKey("discipline.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="letters")
    result_notice_on = models.DateField(_("result notified on"), null=True, blank=True)

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["handlers"])

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        indexes = [models.Index(fields=["state", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(about_member__isnull=False, about_organisation__isnull=False),
                name="letter_about_one",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.received_on:%d/%m/%Y})"

    @property
    def about_name(self) -> str:
        if self.about_member_id:
            return self.about_member.full_name
        return self.about_organisation.name if self.about_organisation_id else ""

    @property
    def deadline(self):
        """The deadline in force: the extended one when extended."""
        return self.extended_due_on or self.due_on


class Signatory(models.Model):
    """One signatory of a letter: name, address and contact as one encrypted value (never in the history)."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="signatories")
    position = models.PositiveSmallIntegerField(default=1)
    secret = CiphertextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The history records that a signatory was added (who, when), never the value.
    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        ordering = ["letter", "position"]
        constraints = [models.UniqueConstraint(fields=["letter", "position"], name="letter_signatory_position")]

    def __str__(self) -> str:
        return f"#{self.position}"


class SenderView(models.Model):
    """Every reading of a letter's senders: who, when, where (page or API). Append-only."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="sender_views")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    surface = models.CharField(max_length=8)  # "page" or "api"

    class Meta:
        ordering = ["-viewed_at", "-id"]


class InspectionHead(models.Model):
    """The head of a committee's inspection committee (chủ nhiệm ủy ban kiểm tra), designated by the
    administrator: reads the log of who saw the senders of the committee's letters."""

    committee = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("committee")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    designated_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee__path", "-valid_from"]
        verbose_name = _("head of the inspection committee")
