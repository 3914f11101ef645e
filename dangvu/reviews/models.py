"""Yearly review and classification of members (đánh giá, xếp loại; Quy định 366-QĐ/TW, Hướng dẫn
43-HD/BTCTW; domain.md "Evaluation and classification").

A committee opens a `Campaign` for a year over its subtree, with a timetable. Every member in the Party in
the subtree then gets a `Review`: the member fills the self-assessment (scores per criteria group of the
form of their situation, tasks, shortcomings) and submits it; the cell proposes a grade; the competent
committee decides it by a `Decision` (document number and date). A decided grade is changed only by a
later correcting decision. Every value of the regulation comes from the rule set in force on the
campaign's opening date (`Campaign.rules_date`). Rows are written only by dangvu.reviews.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Grade(models.TextChoices):
    """Điều 11 Quy định 366-QĐ/TW, best first."""

    EXCELLENT = "excellent", _("Completed tasks excellently")  # Hoàn thành xuất sắc nhiệm vụ
    GOOD = "good", _("Completed tasks well")  # Hoàn thành tốt nhiệm vụ
    COMPLETED = "completed", _("Completed tasks")  # Hoàn thành nhiệm vụ
    NOT_COMPLETED = "not_completed", _("Did not complete tasks")  # Không hoàn thành nhiệm vụ

    @classmethod
    def rank(cls, grade: str) -> int:
        """0 for the best grade."""
        return cls.values.index(grade)


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Being filled in by the member")
    SUBMITTED = "submitted", _("Submitted by the member")
    PROPOSED = "proposed", _("Proposed by the cell")
    DECIDED = "decided", _("Decided by the committee")


class Exclusion(models.TextChoices):
    """Why a member of the campaign is not graded (shown in the statistics, never hidden)."""

    NONE = "", _("Graded")
    EXEMPT = "exempt", _("Exempt from activities")
    SUSPENDED = "suspended", _("Suspended")
    # Moved out during the year (an official transfer issued after the opening, or in transit at the
    # opening) from the campaign's subtree, or from its cell once proposed: from dangvu.transfers' records.
    TRANSFERRED = "transferred", _("Transferred during the year")
    LEFT = "left", _("No longer in the subtree")  # removed, deceased after the opening


class Period(models.TextChoices):
    """What a campaign reviews (Quy định 366-QĐ/TW: yearly, per term, …); the rule `review.periods` says
    which a campaign may be opened for."""

    YEAR = "year", _("Year")
    TERM = "term", _("Term")


class Campaign(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="review_campaigns", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(_("year reviewed"), help_text=_("For a term: its last year."))
    period = models.CharField(_("period reviewed"), max_length=8, choices=Period.choices, default=Period.YEAR)
    first_year = models.PositiveSmallIntegerField(_("first year of the term"), null=True, blank=True)
    rules_date = models.DateField(_("opened on"), help_text=_("The rules in force on this day apply."))
    document_number = models.CharField(_("plan number"), max_length=64, blank=True)
    self_until = models.DateField(_("self-assessments until"))
    cell_until = models.DateField(_("cell review meetings until"))
    decide_until = models.DateField(_("committee decisions until"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "organisation__path"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year", "period"], name="review_campaign_once")]
        verbose_name = _("review campaign")
        verbose_name_plural = _("review campaigns")

    def __str__(self) -> str:
        return f"{self.period_label} – {self.organisation}"

    @property
    def period_label(self) -> str:
        """'2026', or '2020–2025' for a term."""
        return f"{self.first_year}–{self.year}" if self.period == Period.TERM else str(self.year)

    @property
    def title(self) -> str:
        if self.period == Period.TERM:
            return gettext("Review of the term %(period)s") % {"period": self.period_label}
        return gettext("Yearly review %(year)s") % {"year": self.year}


class Decision(models.Model):
    """The competent committee's decision on the grades of the members of a grassroots organisation, or a
    later decision correcting some of them (`corrects`)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="decisions")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("deciding committee")
    )
    document_number = models.CharField(_("decision number"), max_length=64)
    document_date = models.DateField(_("decision date"))
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("corrects")
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["document_date", "id"]
        verbose_name = _("classification decision")
        verbose_name_plural = _("classification decisions")

    def __str__(self) -> str:
        return f"{self.document_number} ({self.document_date:%d/%m/%Y})"


class Review(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="reviews")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="reviews")
    # The cell the member was in at the opening: the cell that proposes the grade.
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    # The access path: that cell's current path, kept in step through reorganisations (dangvu.reviews.paths).
    org_path = models.CharField(max_length=255, db_index=True)
    exclusion = models.CharField(_("not graded"), max_length=16, choices=Exclusion.choices, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=ReviewState.choices, default=ReviewState.DRAFT)
    form = models.CharField(_("review form"), max_length=8, blank=True)
    # {group code: "28.5"} and {group code: "evidence"}; tasks: [{"title", "on_time", "exceeded"}].
    scores = models.JSONField(default=dict, blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    tasks = models.JSONField(default=list, blank=True)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    remedy = models.TextField(_("remedy"), blank=True)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, null=True, blank=True)
    self_grade = models.CharField(_("grade proposed by the member"), max_length=16, choices=Grade.choices, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    disciplined = models.BooleanField(_("disciplined in the year"), default=False)
    comments = models.TextField(_("the cell's comments"), blank=True)
    proposed_grade = models.CharField(_("grade proposed by the cell"), max_length=16, choices=Grade.choices, blank=True)
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    meeting = models.ForeignKey("meetings.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The closed vote of that meeting adopting the proposal (the cell's minutes list it per member).
    vote = models.ForeignKey("meetings.Vote", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices, blank=True, db_index=True)
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews")
    history = HistoricalRecords(excluded_fields=["org_path"])

    class Meta:
        ordering = ["organisation__path", "member__name_sort", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "member"], name="review_once_per_campaign")]
        indexes = [models.Index(fields=["campaign", "org_path"])]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.campaign.year} – {self.member}"

    @property
    def graded(self) -> bool:
        return not self.exclusion

    @property
    def member_may_edit(self) -> bool:
        return self.state == ReviewState.DRAFT


class OrgReview(models.Model):
    """The yearly review of a party organisation (its collective, Mẫu 01) under a campaign: the
    organisation's own assessment (points per criteria group, tasks, leadership disciplined, earlier
    shortcomings remedied), then the grade decided by the committee directly above it, which weighs the
    organisation's units and members (dangvu.reviews.orgreviews). Written only by that module."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="org_reviews")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="org_reviews", verbose_name=_("organisation")
    )
    # The access path: the organisation's current path, kept in step (dangvu.reviews.paths).
    org_path = models.CharField(max_length=255, db_index=True)
    state = models.CharField(_("state"), max_length=16, choices=ReviewState.choices, default=ReviewState.DRAFT)
    scores = models.JSONField(default=dict, blank=True)
    tasks = models.JSONField(default=list, blank=True)
    leadership_disciplined = models.BooleanField(
        _("a unit under it or a member of its leadership disciplined in the year"), default=False
    )
    shortcomings_remedied = models.BooleanField(_("earlier shortcomings all remedied"), default=True)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, null=True, blank=True)
    self_grade = models.CharField(
        _("grade proposed by the organisation"), max_length=16, choices=Grade.choices, blank=True
    )
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices, blank=True, db_index=True)
    document_number = models.CharField(_("decision number"), max_length=64, blank=True)
    document_date = models.DateField(_("decision date"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(excluded_fields=["org_path"])

    class Meta:
        ordering = ["org_path", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "organisation"], name="org_review_once")]
        verbose_name = _("review of an organisation")
        verbose_name_plural = _("reviews of organisations")

    def __str__(self) -> str:
        return f"{self.campaign.year} – {self.organisation}"


class OrgDecision(models.Model):
    """The decision of the committee directly above grading a party organisation (Mẫu 01), or a later
    decision correcting the one in force (`corrects`, with the reason), never an edit: the review keeps the
    grade, number and date of the decision in force, its history the earlier ones (dangvu.reviews.orgreviews)."""

    review = models.ForeignKey(OrgReview, on_delete=models.PROTECT, related_name="decisions")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("deciding committee")
    )
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices)
    document_number = models.CharField(_("decision number"), max_length=64)
    document_date = models.DateField(_("decision date"))
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("corrects")
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["document_date", "id"]
        verbose_name = _("decision grading an organisation")
        verbose_name_plural = _("decisions grading organisations")

    def __str__(self) -> str:
        return f"{self.document_number} ({self.document_date:%d/%m/%Y})"
