"""A congress (đại hội) of an organisation for a term, the people convened to it, its elections, their
candidates and rounds, and the ballots and tallies of each round (Quyết định 190-QĐ/TW).

Everything is written by dangvu.congress.services (one transaction, audit through simple-history). A round
announced is frozen: its base, count and outcome are stored on it and nothing under it changes any more;
a correction is an addendum (RoundAddendum), itself audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangvu.congress.rules import EXCUSED


class CongressKind(models.TextChoices):
    MEMBERS = "members", _("Congress of members")  # Đại hội đảng viên
    DELEGATES = "delegates", _("Congress of delegates")  # Đại hội đại biểu


class Congress(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="congresses", verbose_name=_("organisation")
    )
    term = models.ForeignKey("orgs.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("term"))
    kind = models.CharField(_("kind of congress"), max_length=12, choices=CongressKind.choices)
    starts_on = models.DateField(_("opens on"))
    ends_on = models.DateField(_("closes on"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [models.UniqueConstraint(fields=["organisation", "term"], name="one_congress_per_term")]
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")

    def __str__(self) -> str:
        return f"Đại hội {self.organisation.name} nhiệm kỳ {self.term.code}"


class DelegateRole(models.TextChoices):
    OFFICIAL = "official", _("Official")  # đảng viên chính thức / đại biểu chính thức: convened, in the base
    ALTERNATE = "alternate", _("Alternate")  # đại biểu dự khuyết
    INVITED = "invited", _("Invited")  # khách mời: no vote


class Delegate(models.Model):
    """A person convened to the congress (or invited, or an alternate)."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="delegates")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    role = models.CharField(_("role"), max_length=12, choices=DelegateRole.choices, default=DelegateRole.OFFICIAL)
    # Why the person is out of the base: from the member record (away, exempt, suspended) when convened, or
    # recorded by the office (prosecuted, absent with an approved reason, absent with no alternate).
    excused = models.CharField(
        _("not in the base because"), max_length=24, blank=True, choices=[(k, v) for k, v in EXCUSED.items()]
    )
    excused_note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["member__name_sort", "pk"]
        constraints = [models.UniqueConstraint(fields=["congress", "member"], name="one_delegate_per_member")]


class ElectionKind(models.TextChoices):
    COMMITTEE = "committee", _("Executive committee")  # Ban Chấp hành / cấp ủy
    STANDING = "standing", _("Standing committee")  # Ban Thường vụ
    SECRETARY = "secretary", _("Secretary")  # Bí thư
    DEPUTY = "deputy", _("Deputy secretaries")  # Phó Bí thư
    DELEGATES = "delegates", _("Delegates to the higher congress")  # Đại biểu đi dự đại hội cấp trên


class Election(models.Model):
    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="elections")
    kind = models.CharField(_("election"), max_length=12, choices=ElectionKind.choices)
    seats = models.PositiveSmallIntegerField(_("seats"))
    closed = models.BooleanField(_("closed"), default=False)  # no further round (all seats filled or decided)
    installed_on = models.DateField(_("committee seated from"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["congress", "pk"]
        constraints = [models.UniqueConstraint(fields=["congress", "kind"], name="one_election_per_kind")]


class Source(models.TextChoices):
    OUTGOING = "outgoing", _("Proposed by the outgoing committee")
    FLOOR = "floor", _("Nominated from the floor")
    SELF = "self", _("Self-nominated")


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="candidates")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    consent = models.PositiveIntegerField(_("agreeing"), null=True, blank=True)  # floor and self nominations
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    on_list = models.BooleanField(_("on the list"), default=True)
    position = models.PositiveSmallIntegerField(default=0)  # order on the list (alphabetical by the office)
    history = HistoricalRecords()

    class Meta:
        ordering = ["election", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["election", "member"], name="one_candidacy_per_member")]


class RoundState(models.TextChoices):
    COUNTING = "counting", _("Counting")
    ANNOUNCED = "announced", _("Announced")


class Round(models.Model):
    """One round of voting (vòng bầu). Its base is taken when the round is opened; the count and the outcome
    are stored at the announcement, after which the round never changes."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    seats = models.PositiveSmallIntegerField(_("seats"))
    candidates = models.ManyToManyField(Candidate, related_name="rounds")
    reason = models.CharField(max_length=16, blank=True)  # "" first round, "tie", "unfilled"
    convened = models.PositiveIntegerField(_("convened"))
    base = models.PositiveIntegerField(_("base"))
    excluded = models.JSONField(default=list)  # [{"delegate": id, "name": ..., "excused": code}]
    state = models.CharField(max_length=12, choices=RoundState.choices, default=RoundState.COUNTING)
    result = models.JSONField(default=dict)  # the count and the outcome, stored at the announcement
    announced_at = models.DateTimeField(null=True, blank=True)
    announced_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    minutes = models.ForeignKey(
        "docregister.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    announcement = models.ForeignKey(
        "docregister.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["excluded", "result"])

    class Meta:
        ordering = ["election", "number"]
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="one_round_number")]


class Invalid(models.TextChoices):
    """Why a ballot is invalid (counted by reason in the minutes)."""

    TOO_MANY = "too_many", _("keeps more names than the seats")
    ADDED = "added", _("names written in")
    MARKED = "marked", _("marked or signed")
    NOT_ISSUED = "not_issued", _("not a ballot issued by the counting board")


class CountingTeam(models.Model):
    """A counting team (tổ kiểm phiếu) of the congress's counting board (ban kiểm phiếu)."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("team"), max_length=120)
    members = models.ManyToManyField("members.Member", related_name="+", verbose_name=_("members"))
    head = models.BooleanField(_("the counting board itself"), default=False)  # its members sign the minutes
    history = HistoricalRecords()

    class Meta:
        ordering = ["congress", "pk"]


class Tally(models.Model):
    """A team's count of a round, entered as totals (or built from its ballots entered one by one)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="tallies")
    team = models.ForeignKey(CountingTeam, on_delete=models.PROTECT, related_name="tallies")
    by_ballot = models.BooleanField(default=False)  # ballots entered one by one (Ballot rows) instead of totals
    issued = models.PositiveIntegerField(_("ballots issued"), default=0)
    valid = models.PositiveIntegerField(_("valid ballots"), default=0)
    invalid = models.JSONField(default=dict)  # {reason: n}
    votes = models.JSONField(default=dict)  # {candidate id: n}
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "team"], name="one_tally_per_team")]


class Ballot(models.Model):
    """One paper ballot entered by a counting team: the candidates kept on it (not crossed out)."""

    tally = models.ForeignKey(Tally, on_delete=models.PROTECT, related_name="ballots")
    kept = models.JSONField(default=list)  # candidate ids
    invalid = models.CharField(max_length=12, blank=True, choices=Invalid.choices)
    entered_at = models.DateTimeField(auto_now_add=True)


class RoundAddendum(models.Model):
    """A correction to an announced round: the round stays as announced, the addendum says what was wrong."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField(_("correction"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()
