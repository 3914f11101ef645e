"""The organisation tree (domain.md §2): nodes, their temporal ancestry, reorganisations and lineage,
terms, committees and leadership assignments.

Two structures answer two kinds of question:
- `Organisation` is a django-treebeard materialised-path tree of the *current* shape: subtree queries
  are an indexed prefix match on `path`, fast at national size.
- `OrgAncestry` is a temporal closure table (descendant, ancestor, valid_from, valid_to): it answers
  "what was under X on date D" after moves, merges and splits, in one indexed join.
Reorganisations (merge, split, move, rename, dissolve) are dated events; `ReorgLink` rows record lineage
(predecessor -> successor). Nothing is deleted: a merged or dissolved organisation gets `valid_to`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from dangvu.lib.text import fold, text_sort_key


class OrgKind(models.TextChoices):
    CENTRAL = "central", _("Central Committee")  # Trung ương
    PROVINCIAL = "provincial", _("Provincial party organisation")  # Đảng bộ tỉnh/thành phố
    DIRECT = "direct", _("Directly subordinate party organisation")  # Đảng bộ trực thuộc
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party organisation")  # Đảng bộ cơ sở
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots party cell")  # Chi bộ cơ sở
    SUB_COMMITTEE = "sub_committee", _("Partial party organisation")  # Đảng bộ bộ phận
    CELL = "cell", _("Party cell")  # Chi bộ trực thuộc

    @classmethod
    def member_holding(cls) -> set[str]:
        """Kinds that hold members directly (a member belongs to exactly one cell)."""
        return {cls.GRASSROOTS_CELL, cls.CELL}

    @classmethod
    def grassroots(cls) -> set[str]:
        return {cls.GRASSROOTS_COMMITTEE, cls.GRASSROOTS_CELL}


# Which kinds may sit under which (domain.md §2). Used by services to refuse impossible trees.
ALLOWED_CHILDREN: dict[str, set[str]] = {
    OrgKind.CENTRAL: {OrgKind.PROVINCIAL, OrgKind.DIRECT},
    OrgKind.PROVINCIAL: {OrgKind.DIRECT, OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL},
    OrgKind.DIRECT: {OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL},
    OrgKind.GRASSROOTS_COMMITTEE: {OrgKind.SUB_COMMITTEE, OrgKind.CELL},
    OrgKind.SUB_COMMITTEE: {OrgKind.CELL},
    OrgKind.GRASSROOTS_CELL: set(),
    OrgKind.CELL: set(),
}


class Organisation(MP_Node):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind.choices)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(
        _("in force until"), null=True, blank=True, help_text=_("Set when merged, split or dissolved")
    )
    name_search = models.CharField(max_length=255, editable=False, db_index=True)
    name_sort = models.CharField(max_length=255, editable=False)
    steplen = 4  # 36**4 = 1.6 million children per node: enough for a national tree
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    node_order_by: list[str] = []
    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild", "name_search", "name_sort"])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "valid_to"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_search = fold(self.name)
        self.name_sort = text_sort_key(self.name)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """The name, with its parent where the name repeats, once `dangvu.orgs.labels.attach` ran on it."""
        return getattr(self, "_label", None) or self.name

    @property
    def is_active(self) -> bool:
        return self.valid_to is None

    @property
    def holds_members(self) -> bool:
        return self.kind in OrgKind.member_holding()

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


class OrgAncestry(models.Model):
    """Temporal closure table: `ancestor` contained `descendant` during [valid_from, valid_to).
    Includes the reflexive row (depth 0). Maintained only by dangvu.orgs.services."""

    descendant = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ancestry_up")
    ancestor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ancestry_down")
    depth = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["ancestor", "valid_from"]),
            models.Index(fields=["descendant", "valid_from"]),
        ]

    @staticmethod
    def on(day: dt.date) -> Q:
        return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))


class ReorgKind(models.TextChoices):
    CREATE = "create", _("Establishment")  # thành lập
    MERGE = "merge", _("Merger")  # hợp nhất / sáp nhập
    SPLIT = "split", _("Split")  # chia tách
    MOVE = "move", _("Transfer to another superior")  # chuyển giao trực thuộc
    RENAME = "rename", _("Renaming")  # đổi tên
    DISSOLVE = "dissolve", _("Dissolution")  # giải thể


class Reorganisation(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=ReorgKind.choices)
    date = models.DateField(_("effective date"))
    document_number = models.CharField(_("decision number"), max_length=64, blank=True)
    document_date = models.DateField(_("decision date"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    details = models.JSONField(default=dict, blank=True, help_text="Names before/after, parents before/after")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("reorganisation")
        verbose_name_plural = _("reorganisations")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class ReorgLink(models.Model):
    """One edge of a reorganisation. Lineage edges have predecessor != successor (merge, split);
    moves, renames and dissolutions link the organisation to itself (or to nothing)."""

    reorganisation = models.ForeignKey(Reorganisation, on_delete=models.PROTECT, related_name="links")
    predecessor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="predecessor_links"
    )

    class Meta:
        indexes = [models.Index(fields=["successor"]), models.Index(fields=["predecessor"])]


class Term(models.Model):
    """Nhiệm kỳ: a five-year term (2020–2025, 2025–2030)."""

    code = models.CharField(_("term"), max_length=16, unique=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        ordering = ["start"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self) -> str:
        return self.code


class Committee(models.Model):
    """Cấp ủy of one organisation for one term (Ban Chấp hành; chi ủy for a cell)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="committees")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="committees")
    elected_on = models.DateField(_("elected on"))
    document_number = models.CharField(_("decision number"), max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "term"], name="one_committee_per_term")]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self) -> str:
        return f"{self.organisation} — {self.term}"


class Position(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")  # Bí thư
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")  # Phó Bí thư
    STANDING_MEMBER = "standing_member", _("Standing committee member")  # Ủy viên Ban Thường vụ
    COMMITTEE_MEMBER = "committee_member", _("Committee member")  # Cấp ủy viên / Ủy viên BCH
    CELL_COMMITTEE_MEMBER = "cell_committee_member", _("Cell committee member")  # Chi ủy viên


class CommitteeSeat(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="seats")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="committee_seats")
    position = models.CharField(_("position"), max_length=32, choices=Position.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    document_number = models.CharField(_("decision number"), max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "valid_from"]
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")


class LeadershipAssignment(models.Model):
    """A committee member in charge of (phụ trách) a subordinate organisation, from/to dates."""

    seat = models.ForeignKey(CommitteeSeat, on_delete=models.PROTECT, related_name="assignments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="leadership_assignments")
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    document_number = models.CharField(_("decision number"), max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leadership assignment")
        verbose_name_plural = _("leadership assignments")
