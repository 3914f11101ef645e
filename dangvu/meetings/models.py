"""Paperless meetings (phòng họp không giấy, domain.md §4 "Cell activities"): cell and committee meetings with
agenda, documents, invitations and attendance, speakers, votes and minutes.

State machine of a meeting: planned → in progress (opened by the chair or secretary) → held (closed; the
minutes are drafted) → approved (the chair approves the minutes: the record is locked; later corrections
are audited addenda). Every write goes through dangvu.meetings.services.

Secret votes keep no link between a person and a choice (issue 16 item 2): there is no row per ballot.
`SecretCount` holds one counter per choice, incremented under the vote's row lock; `SecretReceipt` says who
has voted (no time). Closing rewrites both so that nothing at rest follows the order of voting, and a
background task removes the old row versions (dangvu.meetings.secret; threat model in docs/decisions.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular monthly meeting")  # sinh hoạt chi bộ thường kỳ
    THEMATIC = "thematic", _("Thematic meeting")  # sinh hoạt chuyên đề
    EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")  # họp bất thường
    COMMITTEE = "committee", _("Committee meeting")  # họp cấp ủy / chi ủy
    STANDING = "standing", _("Standing committee meeting")  # họp Ban Thường vụ


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("meeting state", "In progress")
    HELD = "held", _("Held: minutes in preparation")
    APPROVED = "approved", _("Minutes approved (locked)")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind of meeting"), max_length=16, choices=MeetingKind.choices)
    topic = models.CharField(_("topic"), max_length=255, blank=True, help_text=_("The theme of a thematic meeting"))
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    chair = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("chair")
    )
    secretary = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("minutes secretary"),
    )
    state = models.CharField(_("state"), max_length=16, choices=MeetingState.choices, default=MeetingState.PLANNED)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Minutes (biên bản): the record gives attendance, agenda, speakers and votes; these are written.
    discussion = models.TextField(_("discussion"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    resolution_number = models.CharField(_("resolution number"), max_length=64, blank=True)
    resolution_text = models.TextField(_("resolution"), blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The minutes as approved (DOCX), kept as they were signed, with their SHA-256.
    minutes_file = models.FileField(_("approved minutes"), upload_to="meetings/minutes/", blank=True, max_length=255)
    minutes_sha256 = models.CharField(max_length=64, blank=True)
    cancel_reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["organisation", "starts_at"]), models.Index(fields=["kind", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%d/%m/%Y}"

    @property
    def locked(self) -> bool:
        return self.state in {MeetingState.APPROVED, MeetingState.CANCELLED}


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    presenter = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("presenter")
    )
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class InviteeRole(models.TextChoices):
    MEMBER = "member", _("Member")  # a member of the meeting's organisation (or committee)
    GUEST = "guest", _("Guest")  # e.g. the higher-level committee member in charge


class Rsvp(models.TextChoices):
    PENDING = "pending", _("No answer")
    ATTENDING = "attending", _("Will attend")
    EXCUSED = "excused", _("Excused in advance")


class Attendance(models.TextChoices):
    UNKNOWN = "", _("Not recorded")
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Absent with leave")  # vắng có lý do
    UNEXCUSED = "unexcused", _("Absent without leave")  # vắng không lý do


class Invitation(models.Model):
    """One person invited to a meeting: RSVP before, attendance during. A guest outside the member
    registry is named in `guest_name`."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="invitations")
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    guest_name = models.CharField(_("guest"), max_length=255, blank=True)
    guest_title = models.CharField(_("position of the guest"), max_length=255, blank=True)
    role = models.CharField(_("role"), max_length=8, choices=InviteeRole.choices, default=InviteeRole.MEMBER)
    # Entitled to vote: an official member of the organisation, not exempt and not away (set at invitation).
    may_vote = models.BooleanField(_("entitled to vote"), default=False)
    # Why a member is outside the vote's base (members.vote_base.Outside; "" in it). An exempt member
    # enters the base when checked in as present (may_vote follows the attendance, services.check_in).
    outside_base = models.CharField(_("outside the vote's base"), max_length=16, blank=True, default="")
    # Expected to attend (counts for quorum and attendance rates): members not exempt and not away.
    expected = models.BooleanField(_("expected"), default=True)
    rsvp = models.CharField(_("answer"), max_length=12, choices=Rsvp.choices, default=Rsvp.PENDING)
    rsvp_reason = models.CharField(_("reason for absence"), max_length=255, blank=True)
    rsvp_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)  # invitation e-mail sent (meetings.notify)
    reminded_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(_("attendance"), max_length=12, choices=Attendance.choices, blank=True, default="")
    absence_reason = models.CharField(_("reason for absence"), max_length=255, blank=True)
    late = models.BooleanField(_("late"), default=False)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], condition=Q(member__isnull=False), name="meetings_invite_once"
            )
        ]
        indexes = [models.Index(fields=["member", "meeting"])]

    def __str__(self) -> str:
        return self.guest_name or str(self.member)

    @property
    def name(self) -> str:
        return self.member.full_name if self.member_id else self.guest_name

    @property
    def outside_reason(self) -> str:
        from dangvu.members.vote_base import Outside

        if self.may_vote or self.outside_base not in Outside.values:
            return ""
        return str(Outside(self.outside_base).label)


class SpeakerState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    SPEAKING = "speaking", _("Speaking")
    DONE = "done", _("Spoke")
    WITHDRAWN = "withdrawn", pgettext_lazy("request to speak", "Withdrawn")


class SpeakerRequest(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="speakers")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, related_name="speaker_requests")
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=12, choices=SpeakerState.choices, default=SpeakerState.WAITING)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(_("summary of the opinion"), blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "invitation"],
                condition=Q(state__in=["waiting", "speaking"]),
                name="meetings_one_open_speaker_request",
            )
        ]


class VoteMethod(models.TextChoices):
    COUNT = "count", _("Open, by count")  # biểu quyết giơ tay, the secretary enters the numbers
    NAMED = "named", _("Open, by name")  # each member votes on a device; names are shown
    SECRET = "secret", _("Secret ballot")  # bỏ phiếu kín


class VoteRule(models.TextChoices):
    """Threshold of a vote; the fractions come from the rule set (`meeting.majority`, `meeting.qualified`).
    These labels name no share: pages and the API name a vote's threshold with the shares of the rule set
    of the meeting's day (`dangvu.meetings.thresholds`)."""

    MAJORITY_OF_MEMBERS = "majority_members", _("Simple majority of the members entitled to vote")
    MAJORITY_OF_PRESENT = "majority_present", _("Simple majority of the voters present")
    TWO_THIRDS_OF_MEMBERS = "two_thirds_members", _("Qualified majority of the members entitled to vote")


class VoteState(models.TextChoices):
    DRAFT = "draft", _("Prepared")
    OPEN = "open", pgettext_lazy("vote state", "Open")
    CLOSED = "closed", _("Closed")


class Choice(models.TextChoices):
    YES = "yes", _("In favour")
    NO = "no", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Vote(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="votes")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="votes")
    question = models.CharField(_("question"), max_length=500)
    method = models.CharField(_("method"), max_length=8, choices=VoteMethod.choices)
    rule = models.CharField(_("threshold"), max_length=20, choices=VoteRule.choices)
    state = models.CharField(_("state"), max_length=8, choices=VoteState.choices, default=VoteState.DRAFT)
    # Taken when the vote opens and again when it closes (late arrivals may vote): who may vote, who is
    # present, whether the meeting is quorate (rules in force on the meeting's date).
    eligible = models.PositiveIntegerField(_("entitled to vote"), null=True, blank=True)
    present = models.PositiveIntegerField(_("voters present"), null=True, blank=True)
    quorate = models.BooleanField(_("quorum reached"), null=True, blank=True)
    # Result, written when the vote closes (entered by the secretary for a vote by count).
    yes = models.PositiveIntegerField(_("in favour"), null=True, blank=True)
    no = models.PositiveIntegerField(_("against"), null=True, blank=True)
    abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    needed = models.PositiveIntegerField(_("votes needed"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "created_at", "id"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return self.question


class Ballot(models.Model):
    """An open vote by name: who voted what is part of the record."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots")
    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, related_name="ballots")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "invitation"], name="meetings_one_ballot_per_voter")]


class SecretReceipt(models.Model):
    """That a person has voted in a secret vote (never what): proves "has voted" and prevents a second
    ballot. No time; at the close the rows are written again in the order of the invitations, so their ids no
    longer follow the order of voting."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="receipts")
    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "invitation"], name="meetings_one_receipt_per_voter")]


class SecretCount(models.Model):
    """How many secret ballots chose `choice`: the only trace of a secret choice. The three rows of a vote are
    created when it opens (in the order of the choices), incremented together under the vote's row lock and
    written again at the close."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="secret_counts")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "choice"], name="meetings_one_count_per_choice")]


def document_path(instance: DocumentVersion, filename: str) -> str:
    return f"meetings/{instance.document.meeting_id}/{instance.document_id}/v{instance.number}-{filename}"


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="documents")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=255)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "agenda_item", "id"]
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")

    def __str__(self) -> str:
        return self.title

    @property
    def current(self) -> DocumentVersion | None:
        return self.versions.order_by("-number").first()


class DocumentVersion(models.Model):
    document = models.ForeignKey(MeetingDocument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=document_path, max_length=255)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=128)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="meetings_version_once")]


class DocumentNote(models.Model):
    """A personal note on a document: only its author reads it."""

    document = models.ForeignKey(MeetingDocument, on_delete=models.PROTECT, related_name="notes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "user"], name="meetings_one_note_per_reader")]


class Addendum(models.Model):
    """A correction after the minutes were approved (the approved record itself never changes)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField(_("addendum"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "created_at"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
