"""Member records (1-HSĐV fields that matter for statistics, domain.md §3) and their life events.

The events are the truth; `Member`'s state fields (status, cell, admission and official dates, exemption,
suspension) and the `MemberPeriod` timeline are derived from them by dangvu.members.lifecycle and are
rewritten only by dangvu.members.services. Mistakes are corrected by an annulment event, never by
editing or deleting an event.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangvu.lib.text import fold, name_sort_key, nfc


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Status(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary member")  # đảng viên dự bị
    OFFICIAL = "official", _("Official member")  # đảng viên chính thức
    IN_TRANSIT = "in_transit", _("In transit between cells")  # đang chuyển sinh hoạt (letter issued, not yet received)
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")  # chuyển sinh hoạt ra ngoài
    REMOVED = "removed", _("Removed from the list")  # xóa tên
    EXPELLED = "expelled", _("Expelled")  # khai trừ
    LEFT = "left", _("Left the Party")  # ra khỏi Đảng
    DECEASED = "deceased", _("Deceased")  # từ trần

    @classmethod
    def in_party(cls) -> list[str]:
        return [cls.PROBATIONARY, cls.OFFICIAL]


class PoliticalTheory(models.TextChoices):
    NONE = "", _("None")
    ELEMENTARY = "elementary", _("Elementary")  # sơ cấp
    INTERMEDIATE = "intermediate", _("Intermediate")  # trung cấp
    ADVANCED = "advanced", _("Advanced")  # cao cấp
    BACHELOR = "bachelor", _("Bachelor")  # cử nhân


class Member(models.Model):
    # Identity (1-HSĐV)
    full_name = models.CharField(_("full name"), max_length=120)
    other_names = models.CharField(_("other names"), max_length=120, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    birth_place = models.CharField(_("place of birth"), max_length=255, blank=True)
    home_town = models.CharField(_("home town"), max_length=255, blank=True)
    residence = models.CharField(_("residence"), max_length=255, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=64, default="Kinh")
    religion = models.CharField(_("religion"), max_length=64, blank=True)
    citizen_id = models.CharField(_("citizen ID"), max_length=12, unique=True, null=True, blank=True)
    occupation = models.CharField(_("occupation"), max_length=255, blank=True)
    position = models.CharField(_("position"), max_length=255, blank=True)
    general_education = models.CharField(_("general education"), max_length=16, blank=True)
    professional_degree = models.CharField(_("professional degree"), max_length=128, blank=True)
    political_theory = models.CharField(
        _("political theory"), max_length=16, choices=PoliticalTheory.choices, blank=True
    )
    foreign_language = models.CharField(_("foreign language"), max_length=128, blank=True)
    card_number = models.CharField(_("party card number"), max_length=16, unique=True, null=True, blank=True)

    # Derived from events (dangvu.members.lifecycle); never edited directly.
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="members", verbose_name=_("cell")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    admission_date = models.DateField(_("admission date"), null=True, blank=True)
    official_date = models.DateField(_("official membership date"), null=True, blank=True)
    # Last day of probation + 1 (`admission.probation_months` in force on the admission date, from the
    # ceremony): official from this date. Probationary only. Pages name the length from that rule set.
    probation_end = models.DateField(_("Probation complete on"), null=True, blank=True, db_index=True)
    is_exempt = models.BooleanField(_("exempt from activities"), default=False)
    is_suspended = models.BooleanField(_("suspended"), default=False)
    is_away = models.BooleanField(_("temporarily transferred out"), default=False)

    # Search and sort helpers, written in save() and by bulk paths through `prepare()`.
    name_search = models.CharField(max_length=255, editable=False)
    name_sort = models.CharField(max_length=255, editable=False, db_index=True)
    # The cell's materialised path (Organisation.path), copied here so that scope ("path starts with")
    # and the search or sort of the member list are answered from this table's own indexes. Written by
    # save() when the cell changes, by the bulk paths, and by dangvu.orgs.services when a reorganisation
    # moves a subtree (dangvu.members.paths); checked by dangvu.members.paths.drift().
    org_path = models.CharField(max_length=255, editable=False, default="")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["name_search", "name_sort", "org_path", "updated_at"])

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["status", "name_sort"]),
            # Exact names and name prefixes of the ranked search (search.RankedRows) on PostgreSQL; the
            # operator class is PostgreSQL's (other databases ignore it).
            models.Index(fields=["name_search"], name="members_name_search_pattern", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def prepare(self) -> None:
        """Normalise text to NFC and compute search and sort columns (also used by bulk inserts)."""
        for field in (
            "full_name",
            "other_names",
            "birth_place",
            "home_town",
            "residence",
            "ethnicity",
            "religion",
            "occupation",
            "position",
            "professional_degree",
            "foreign_language",
            "general_education",
        ):
            setattr(self, field, nfc(getattr(self, field)))
        self.name_search = fold(f"{self.full_name} {self.other_names}".strip())
        self.name_sort = name_sort_key(self.full_name)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored = (instance.__dict__.get("organisation_id"), instance.__dict__.get("status"))
        return instance

    def save(self, *args, **kwargs) -> None:
        """Besides the search columns, keeps two derived things in step in the same transaction: the cell's
        path on the row (`org_path`) and the maintained member counts (dangvu.members.counts)."""
        self.prepare()
        update_fields = kwargs.get("update_fields")
        stored = getattr(self, "_stored", None)
        if (stored is None or None in stored) and self.pk is not None:
            stored = Member.objects.filter(pk=self.pk).values_list("organisation_id", "status").first()
        stored = stored or (None, None)
        if self.organisation_id and (self.organisation_id != stored[0] or not self.org_path):
            from dangvu.orgs.models import Organisation

            self.org_path = Organisation.objects.values_list("path", flat=True).get(pk=self.organisation_id)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "org_path"}
        super().save(*args, **kwargs)
        if update_fields is None or {"status", "organisation", "organisation_id"} & set(update_fields):
            from dangvu.members import counts

            counts.moved(stored, (self.organisation_id, self.status))
        self._stored = (self.organisation_id, self.status)

    @property
    def in_party(self) -> bool:
        return self.status in Status.in_party()

    def party_age(self, on: dt.date) -> int | None:
        """Whole years of party age on `on`, from the admission decision date."""
        if not self.admission_date:
            return None
        years = on.year - self.admission_date.year
        if (on.month, on.day) < (self.admission_date.month, self.admission_date.day):
            years -= 1
        return max(years, 0)

    def age(self, on: dt.date) -> int:
        years = on.year - self.birth_date.year
        if (on.month, on.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class EventKind(models.TextChoices):
    ADMISSION = "admission", _("Admission (probationary)")  # kết nạp (date of the decision)
    CEREMONY = "ceremony", _("Admission ceremony")  # lễ kết nạp: probation runs from it
    OFFICIAL = "official", _("Recognition as official member")  # công nhận chính thức
    TRANSFER_IN = "transfer_in", _("Transfer in")  # chuyển sinh hoạt đến
    TRANSFER = "transfer", _("Transfer between cells")  # chuyển sinh hoạt nội bộ
    TRANSFER_OUT = "transfer_out", _("Transfer out")  # chuyển sinh hoạt đi
    TEMP_TRANSFER_OUT = "temp_transfer_out", _("Temporary transfer out")  # chuyển sinh hoạt tạm thời đi
    TEMP_TRANSFER_RETURN = "temp_transfer_return", _("Return from temporary transfer")
    EXEMPTION = "exemption", _("Exemption from activities")  # miễn sinh hoạt
    EXEMPTION_END = "exemption_end", _("End of exemption")
    SUSPENSION = "suspension", _("Suspension")  # đình chỉ sinh hoạt
    SUSPENSION_END = "suspension_end", _("End of suspension")
    REMOVAL = "removal", _("Removal from the list")  # xóa tên
    EXPULSION = "expulsion", _("Expulsion")  # khai trừ
    LEAVING = "leaving", _("Leaving the Party")  # ra khỏi Đảng
    DEATH = "death", _("Death")  # từ trần
    REORGANISATION = "reorganisation", _("Moved by reorganisation")
    ANNULMENT = "annulment", _("Annulment of an entry")  # hủy bỏ (đính chính)


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Imported from a file")
    REORGANISATION = "reorganisation", _("Reorganisation")
    SEED = "seed", _("Demo or benchmark data")
    # Written by the admission module from a candidate's file: the age was judged at the cell's
    # consideration (the cell resolution), recorded on the file, and is not judged again here.
    ADMISSION = "admission", _("Admission file")


class CellCount(models.Model):
    """Party members (probationary or official) directly in each organisation, i.e. in each cell: the
    organisation tree sums these instead of counting member rows (dangvu.members.counts). Maintained by
    Member.save() and the bulk writers; `counts.drift()` compares it with a fresh count."""

    organisation = models.OneToOneField(
        "orgs.Organisation", primary_key=True, on_delete=models.PROTECT, related_name="+"
    )
    in_party = models.IntegerField(default=0)


class MemberEvent(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=24, choices=EventKind.choices)
    date = models.DateField(_("date"))
    # Where the member is after the event (admission, transfers, reorganisation), or was (others).
    organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_events",
        verbose_name=_("organisation"),
    )
    external_organisation = models.CharField(
        _("organisation outside the system"),
        max_length=255,
        blank=True,
        help_text=_("For transfers from or to an organisation that dangvu does not hold"),
    )
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    annuls = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="annulled_by", verbose_name=_("annuls")
    )
    reorganisation = models.ForeignKey(
        "orgs.Reorganisation", null=True, blank=True, on_delete=models.PROTECT, related_name="member_events"
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("member event")
        verbose_name_plural = _("member events")
        indexes = [models.Index(fields=["kind", "date"]), models.Index(fields=["member", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class MemberPeriod(models.Model):
    """Derived timeline: during [valid_from, valid_to) the member was in `organisation` with `status`.
    Answers "which cell was member X in on date D" and counts for any past date."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="periods")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="member_periods")
    status = models.CharField(max_length=20, choices=Status.choices)
    is_exempt = models.BooleanField(default=False)
    is_suspended = models.BooleanField(default=False)
    is_away = models.BooleanField(default=False)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["member", "valid_from"]
        indexes = [
            models.Index(fields=["organisation", "valid_from"]),
            models.Index(fields=["member", "valid_from"]),
        ]

    @staticmethod
    def on(day: dt.date) -> Q:
        return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))
