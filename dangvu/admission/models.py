"""Admission of new members (phát triển đảng viên, domain.md §4): candidates and the steps of their file.

A candidate moves through `Stage` in order, one `CandidateStep` per stage, each with its date, document
and who recorded it. The candidate's `stage`, `due_on` and `outcome` are derived from the steps by
dangvu.admission.services and never edited directly. At the ceremony a member record is created from
the candidate's data; from then on probation and official membership are events of that member.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangvu.lib.text import fold, name_sort_key, nfc
from dangvu.members.models import Sex


class Stage(models.TextChoices):
    """The steps in their legal order (Điều lệ Đảng Điều 4–5, Hướng dẫn 12-HD/BTCTW)."""

    SOURCE = "source", _("Outstanding masses list")  # danh sách quần chúng ưu tú (nguồn)
    COURSE = "course", _("Party awareness course")  # lớp bồi dưỡng nhận thức về Đảng
    APPLICATION = "application", _("Application and background record")  # đơn, lý lịch
    VERIFICATION = "verification", _("Background verification")  # thẩm tra lý lịch
    INTRODUCTION = "introduction", _("Introducers and recommendation")  # giới thiệu, đoàn thể
    CELL_RESOLUTION = "cell_resolution", _("Cell resolution")  # nghị quyết chi bộ đề nghị kết nạp
    COMMITTEE_RESOLUTION = "committee_resolution", _("Grassroots committee resolution")  # NQ đảng ủy cơ sở
    DECISION = "decision", _("Admission decision")  # quyết định kết nạp
    CEREMONY = "ceremony", _("Admission ceremony")  # lễ kết nạp
    TRAINING = "training", _("New-member training course")  # lớp bồi dưỡng đảng viên mới
    OFFICIAL_RESOLUTION = "official_resolution", _("Cell resolution on official membership")
    OFFICIAL_DECISION = "official_decision", _("Decision on official membership")

    @classmethod
    def order(cls) -> list[str]:
        return [s.value for s in cls]

    @classmethod
    def index(cls, stage: str) -> int:
        return cls.order().index(stage)

    @classmethod
    def committee_stages(cls) -> set[str]:
        """Recorded by the committee office; the others by the cell (or the office for it)."""
        return {cls.VERIFICATION, cls.COMMITTEE_RESOLUTION, cls.DECISION, cls.OFFICIAL_DECISION}

    @classmethod
    def voted(cls) -> set[str]:
        return {cls.CELL_RESOLUTION, cls.COMMITTEE_RESOLUTION, cls.OFFICIAL_RESOLUTION}


class MassOrg(models.TextChoices):
    NONE = "", _("No recommendation")
    YOUTH_UNION = "youth_union", _("Ho Chi Minh Communist Youth Union")  # Đoàn TNCS HCM
    TRADE_UNION = "trade_union", _("Trade union")  # Công đoàn
    WOMEN_UNION = "women_union", _("Women's union")
    VETERANS = "veterans", _("Veterans' association")
    FARMERS = "farmers", _("Farmers' association")
    FRONT = "front", _("Fatherland Front committee")


class Outcome(models.TextChoices):
    OPEN = "open", _("In progress")
    OFFICIAL = "official", _("Official member")
    REMOVED = "removed", _("Not recognised: removed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Candidate(models.Model):
    # Identity: copied to the member record at the ceremony.
    full_name = models.CharField(_("full name"), max_length=120)
    other_names = models.CharField(_("other names"), max_length=120, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    birth_place = models.CharField(_("place of birth"), max_length=255, blank=True)
    home_town = models.CharField(_("home town"), max_length=255, blank=True)
    residence = models.CharField(_("residence"), max_length=255, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=64, default="Kinh")
    religion = models.CharField(_("religion"), max_length=64, blank=True)
    citizen_id = models.CharField(_("citizen ID"), max_length=12, null=True, blank=True)
    occupation = models.CharField(_("occupation"), max_length=255, blank=True)
    position = models.CharField(_("position"), max_length=255, blank=True)
    general_education = models.CharField(_("general education"), max_length=16, blank=True)
    professional_degree = models.CharField(_("professional degree"), max_length=128, blank=True)

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="candidates", verbose_name=_("cell")
    )
    # Derived from the steps.
    stage = models.CharField(_("step reached"), max_length=24, choices=Stage.choices, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.OPEN)
    due_stage = models.CharField(_("next deadline for"), max_length=24, choices=Stage.choices, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    member = models.OneToOneField(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidacy",
        verbose_name=_("member record"),
    )
    closed_reason = models.TextField(_("reason"), blank=True)

    name_search = models.CharField(max_length=255, editable=False)
    name_sort = models.CharField(max_length=255, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["name_search", "name_sort"])

    class Meta:
        verbose_name = _("admission candidate")
        verbose_name_plural = _("admission candidates")
        indexes = [models.Index(fields=["organisation", "outcome", "stage"])]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen_id"],
                condition=Q(outcome="open") & Q(citizen_id__isnull=False),
                name="admission_one_open_candidacy_per_citizen",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        for f in ("full_name", "other_names", "birth_place", "home_town", "residence", "occupation", "position"):
            setattr(self, f, nfc(getattr(self, f)))
        self.name_search = fold(f"{self.full_name} {self.other_names}".strip())
        self.name_sort = name_sort_key(self.full_name)
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.outcome == Outcome.OPEN


def step_file_path(instance: CandidateStep, filename: str) -> str:
    return f"admission/{instance.candidate_id}/{instance.stage}/{filename}"


class CandidateStep(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="steps")
    stage = models.CharField(_("step"), max_length=24, choices=Stage.choices)
    date = models.DateField(_("date"))
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    file = models.FileField(_("scanned document"), upload_to=step_file_path, blank=True, max_length=255)
    # Votes (cell and committee resolutions): how many agreed, disagreed, and the body's size that day.
    votes_for = models.PositiveIntegerField(_("votes in favour"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    votes_eligible = models.PositiveIntegerField(_("entitled to vote"), null=True, blank=True)
    # Cell resolutions: members exempt from activities who attended and voted (they count in the base).
    exempt_voters = models.ManyToManyField(
        "members.Member", blank=True, related_name="+", verbose_name=_("exempt members who attended and voted")
    )
    # Official membership: the cell's proposal and the committee's decision (False: removal).
    recognised = models.BooleanField(_("recognised as official"), null=True, blank=True)
    mass_org = models.CharField(
        _("recommending organisation"), max_length=16, choices=MassOrg.choices, blank=True, default=""
    )
    note = models.TextField(_("note"), blank=True)
    # Admission decision of a candidate over the maximum age at the cell resolution: the approval of the
    # committee directly under the Central Committee (Quy định 294-QĐ/TW), an exception recorded on the file.
    age_approval = models.CharField(
        _("approval over the age limit"),
        max_length=255,
        blank=True,
        help_text=_("Number and date of the approval of the committee directly under the Central Committee"),
    )
    # An audited exception: the step was not done, the rule set allows waiving it, here is why.
    waived = models.BooleanField(_("waived"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    annulled_at = models.DateTimeField(_("annulled at"), null=True, blank=True)
    annulled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    annul_reason = models.TextField(_("reason for the annulment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("admission step")
        verbose_name_plural = _("admission steps")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "stage"], condition=Q(annulled_at__isnull=True), name="admission_one_live_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.date:%d/%m/%Y}"

    @property
    def live(self) -> bool:
        return self.annulled_at is None


class Introducer(models.Model):
    """An official member introducing the candidate (recorded with the introduction step)."""

    step = models.ForeignKey(CandidateStep, on_delete=models.PROTECT, related_name="introducers")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="introductions")
    known_since = models.DateField(_("working with the candidate since"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("introducer")
        verbose_name_plural = _("introducers")
        constraints = [models.UniqueConstraint(fields=["step", "member"], name="admission_introducer_once")]
