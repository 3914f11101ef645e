"""Actions on the organisation tree: establish, move, merge, split, rename, dissolve.

Each action runs in one transaction, records a dated `Reorganisation` with its deciding document, keeps
the temporal ancestry (`OrgAncestry`) and the lineage (`ReorgLink`), moves members with a
REORGANISATION event where a cell disappears, and writes the audit trail. `preview()` runs an action
and rolls it back, so the wizard shows exactly what applying would do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.lib.errors import DomainError
from dangvu.orgs.models import (
    ALLOWED_CHILDREN,
    OrgAncestry,
    Organisation,
    OrgKind,
    Reorganisation,
    ReorgKind,
    ReorgLink,
)


@dataclass
class OrgSpec:
    """A new organisation to create (merge target, split successor)."""

    code: str
    name: str
    kind: str


@dataclass
class Document:
    number: str = ""
    date: dt.date | None = None
    issuer: str = ""
    note: str = ""


@dataclass
class Effects:
    """What an action did (or would do, in a preview)."""

    reorganisation: Reorganisation | None = None
    created: list[Organisation] = field(default_factory=list)
    moved: list[tuple[Organisation, Organisation]] = field(default_factory=list)  # (org, new parent)
    dissolved: list[Organisation] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    members_moved: int = 0


def _check_date(day: dt.date, orgs: list[Organisation]) -> None:
    if day > timezone.localdate():
        raise DomainError(_("A reorganisation cannot take effect in the future; record it on its effective date."))
    for org in orgs:
        if day < org.valid_from:
            raise DomainError(_("%(org)s did not exist yet on that date.") % {"org": org.name})
        if org.valid_to is not None:
            raise DomainError(_("%(org)s has already been merged, split or dissolved.") % {"org": org.name})
        latest = (
            OrgAncestry.objects.filter(descendant__path__startswith=org.path)
            .order_by("-valid_from")
            .values_list("valid_from", flat=True)
            .first()
        )
        if latest and day < latest:
            raise DomainError(
                _("%(org)s was already changed on %(date)s; a reorganisation cannot be dated before that.")
                % {"org": org.name, "date": latest.strftime("%d/%m/%Y")}
            )


def _check_child_kind(parent: Organisation | None, kind: str) -> None:
    if parent is not None and kind not in ALLOWED_CHILDREN[parent.kind]:
        raise DomainError(
            _("A %(child)s cannot be placed under a %(parent)s.")
            % {"child": OrgKind(kind).label, "parent": OrgKind(parent.kind).label}
        )


def _new_reorg(kind: str, day: dt.date, doc: Document, actor, details: dict[str, Any] | None = None) -> Reorganisation:
    reorg = Reorganisation(
        kind=kind,
        date=day,
        document_number=doc.number,
        document_date=doc.date,
        issuer=doc.issuer,
        note=doc.note,
        details=details or {},
        recorded_by=actor,
    )
    reorg._history_user = actor
    reorg.save()
    return reorg


def _fresh(org: Organisation) -> Organisation:
    return Organisation.objects.get(pk=org.pk)


def _create_node(parent: Organisation | None, spec: OrgSpec, day: dt.date, actor) -> Organisation:
    if Organisation.objects.filter(code=spec.code).exists():
        raise DomainError(_("Code %(code)s is already used.") % {"code": spec.code})
    _check_child_kind(parent, spec.kind)
    node = Organisation(code=spec.code, name=spec.name, kind=spec.kind, valid_from=day)
    node._history_user = actor
    node = (
        Organisation.objects.add_child(_fresh(parent), instance=node)
        if parent
        else Organisation.objects.add_root(instance=node)
    )
    rows = [OrgAncestry(descendant=node, ancestor=node, depth=0, valid_from=day)]
    if parent is not None:
        rows += [
            OrgAncestry(descendant=node, ancestor_id=a.ancestor_id, depth=a.depth + 1, valid_from=day)
            for a in OrgAncestry.objects.filter(OrgAncestry.on(day), descendant=parent)
        ]
    OrgAncestry.objects.bulk_create(rows)
    return node


def _move_node(org: Organisation, new_parent: Organisation, day: dt.date, actor) -> None:
    """Re-parent `org` with its subtree: close ancestry to the old ancestors, open it to the new ones."""
    org, new_parent = _fresh(org), _fresh(new_parent)
    if new_parent.path.startswith(org.path):
        raise DomainError(_("An organisation cannot be moved under itself or its own subtree."))
    subtree = list(Organisation.objects.filter(path__startswith=org.path).values_list("id", "depth"))
    subtree_ids = [pk for pk, _depth in subtree]
    OrgAncestry.objects.filter(OrgAncestry.on(day), descendant_id__in=subtree_ids).exclude(
        ancestor_id__in=subtree_ids
    ).update(valid_to=day)
    new_ancestors = list(
        OrgAncestry.objects.filter(OrgAncestry.on(day), descendant=new_parent).values_list("ancestor_id", "depth")
    )
    OrgAncestry.objects.bulk_create(
        OrgAncestry(descendant_id=pk, ancestor_id=anc, depth=(depth - org.depth) + 1 + anc_depth, valid_from=day)
        for pk, depth in subtree
        for anc, anc_depth in new_ancestors
    )
    Organisation.objects.move(org, new_parent, pos="last-child")
    from dangvu.members.paths import resync_subtree
    from dangvu.reviews import paths as review_paths

    moved = _fresh(org).path
    resync_subtree(moved)  # the members' copy of their cell's path (Member.org_path)
    review_paths.resync_subtree(moved)  # the reviews' access path (Review/OrgReview.org_path)


def _move_members(
    source: Organisation, target: Organisation, day: dt.date, reorg: Reorganisation, actor, only: set[int] | None = None
) -> int:
    from dangvu.members.models import EventKind, Member, Status
    from dangvu.members.services import record_event

    members = Member.objects.filter(organisation=source, status__in=Status.in_party())
    if only is not None:
        members = members.filter(pk__in=only)
    count = 0
    for member in members:
        record_event(
            member,
            actor=actor,
            source="reorganisation",
            kind=EventKind.REORGANISATION,
            date=day,
            organisation=target,
            reorganisation=reorg,
            document_number=reorg.document_number,
            document_date=reorg.document_date,
            issuer=reorg.issuer,
        )
        count += 1
    return count


def _dissolve_node(org: Organisation, day: dt.date, actor) -> None:
    org = _fresh(org)
    org.valid_to = day
    org._history_user = actor
    org.save(update_fields=["valid_to", "name_search", "name_sort"])


def _active_children(org: Organisation) -> list[Organisation]:
    return list(Organisation.objects.get_children(_fresh(org)).filter(valid_to__isnull=True))


@transaction.atomic
def establish(parent: Organisation | None, spec: OrgSpec, day: dt.date, doc: Document, actor) -> Effects:
    if parent is not None:
        _check_date(day, [parent])
    reorg = _new_reorg(ReorgKind.CREATE, day, doc, actor, {"name": spec.name, "code": spec.code})
    node = _create_node(parent, spec, day, actor)
    ReorgLink.objects.create(reorganisation=reorg, predecessor=node, successor=node)
    return Effects(reorganisation=reorg, created=[node])


@transaction.atomic
def move(org: Organisation, new_parent: Organisation, day: dt.date, doc: Document, actor) -> Effects:
    org, new_parent = _fresh(org), _fresh(new_parent)
    _check_date(day, [org, new_parent])
    _check_child_kind(new_parent, org.kind)
    old_parent = Organisation.objects.get_parent(org)
    reorg = _new_reorg(
        ReorgKind.MOVE,
        day,
        doc,
        actor,
        {"from_parent": old_parent.code if old_parent else None, "to_parent": new_parent.code},
    )
    _move_node(org, new_parent, day, actor)
    ReorgLink.objects.create(reorganisation=reorg, predecessor=org, successor=org)
    return Effects(reorganisation=reorg, moved=[(org, new_parent)])


@transaction.atomic
def rename(
    org: Organisation, new_name: str, day: dt.date, doc: Document, actor, new_code: str | None = None
) -> Effects:
    from dangvu.lib.text import nfc

    org = _fresh(org)
    _check_date(day, [org])
    new_name = nfc(new_name)
    if not new_name or new_name == org.name and (not new_code or new_code == org.code):
        raise DomainError(_("Give a new name."))
    if new_code and new_code != org.code and Organisation.objects.filter(code=new_code).exists():
        raise DomainError(_("Code %(code)s is already used.") % {"code": new_code})
    reorg = _new_reorg(
        ReorgKind.RENAME,
        day,
        doc,
        actor,
        {"before": org.name, "after": new_name, "code_before": org.code, "code_after": new_code or org.code},
    )
    before = org.name
    org.name = new_name
    org.code = new_code or org.code
    org._history_user = actor
    org.save()
    ReorgLink.objects.create(reorganisation=reorg, predecessor=org, successor=org)
    return Effects(reorganisation=reorg, renamed=[(before, new_name)])


@transaction.atomic
def merge(
    predecessors: list[Organisation],
    day: dt.date,
    doc: Document,
    actor,
    *,
    into: Organisation | None = None,
    new: OrgSpec | None = None,
    parent: Organisation | None = None,
) -> Effects:
    """Merge N organisations into one: an existing one (`into`, sáp nhập) or a new one (`new` under
    `parent`, hợp nhất). Active children of the predecessors move under the successor; members of
    predecessor cells move to the successor cell; predecessors are dissolved and kept, as inactive
    children of the successor, so the successor's office keeps their history in scope."""
    predecessors = [_fresh(p) for p in predecessors]
    if len(predecessors) < 1 or (into is None) == (new is None):
        raise DomainError(_("Choose the organisations to merge and either an existing or a new successor."))
    if into is not None and any(p.pk == into.pk for p in predecessors):
        predecessors = [p for p in predecessors if p.pk != into.pk]
    if len({p.kind in OrgKind.member_holding() for p in predecessors}) > 1:
        raise DomainError(_("Cells and committees cannot be merged together."))
    _check_date(day, predecessors + ([into] if into else []) + ([parent] if parent else []))
    effects = Effects()
    if new is not None:
        if parent is None:
            parent = Organisation.objects.get_parent(predecessors[0])
        target = _create_node(parent, new, day, actor)
        effects.created.append(target)
    else:
        target = _fresh(into)
    for p in predecessors:
        if (p.kind in OrgKind.member_holding()) != target.holds_members:
            raise DomainError(
                _("%(org)s cannot be merged into %(target)s: one is a cell, the other is not.")
                % {"org": p.name, "target": target.name}
            )
    reorg = _new_reorg(
        ReorgKind.MERGE,
        day,
        doc,
        actor,
        {"predecessors": [p.code for p in predecessors], "successor": target.code, "new": new is not None},
    )
    effects.reorganisation = reorg
    for p in predecessors:
        for child in _active_children(p):
            _check_child_kind(target, child.kind)
            _move_node(child, target, day, actor)
            effects.moved.append((child, target))
        if p.holds_members:
            effects.members_moved += _move_members(p, target, day, reorg, actor)
        _dissolve_node(p, day, actor)
        _move_node(p, target, day, actor)
        effects.dissolved.append(p)
        ReorgLink.objects.create(reorganisation=reorg, predecessor=p, successor=target)
    return effects


@transaction.atomic
def split(
    predecessor: Organisation,
    successors: list[OrgSpec],
    day: dt.date,
    doc: Document,
    actor,
    *,
    children: dict[int, int] | None = None,
    members: dict[int, int] | None = None,
) -> Effects:
    """Split one organisation into new ones under the same parent. `children` and `members` map an
    organisation id / member id to the index of its successor (default: the first successor)."""
    predecessor = _fresh(predecessor)
    if len(successors) < 2:
        raise DomainError(_("A split needs at least two successors."))
    _check_date(day, [predecessor])
    parent = Organisation.objects.get_parent(predecessor)
    reorg = _new_reorg(
        ReorgKind.SPLIT, day, doc, actor, {"predecessor": predecessor.code, "successors": [s.code for s in successors]}
    )
    effects = Effects(reorganisation=reorg)
    for spec in successors:
        if (spec.kind in OrgKind.member_holding()) != predecessor.holds_members:
            raise DomainError(_("The successors of a cell must be cells, and those of a committee committees."))
        effects.created.append(_create_node(parent, spec, day, actor))
    children, members = children or {}, members or {}
    for child in _active_children(predecessor):
        target = effects.created[children.get(child.pk, 0)]
        _check_child_kind(target, child.kind)
        _move_node(child, target, day, actor)
        effects.moved.append((child, target))
    if predecessor.holds_members:
        from dangvu.members.models import Member, Status

        by_target: dict[int, set[int]] = {}
        for pk in Member.objects.filter(organisation=predecessor, status__in=Status.in_party()).values_list(
            "pk", flat=True
        ):
            by_target.setdefault(members.get(pk, 0), set()).add(pk)
        for index, pks in by_target.items():
            effects.members_moved += _move_members(predecessor, effects.created[index], day, reorg, actor, only=pks)
    _dissolve_node(predecessor, day, actor)
    effects.dissolved.append(predecessor)
    for node in effects.created:
        ReorgLink.objects.create(reorganisation=reorg, predecessor=predecessor, successor=node)
    return effects


@transaction.atomic
def dissolve(org: Organisation, day: dt.date, doc: Document, actor) -> Effects:
    from dangvu.members.models import Member, Status

    org = _fresh(org)
    _check_date(day, [org])
    if _active_children(org):
        raise DomainError(_("Move or dissolve the subordinate organisations first."))
    if Member.objects.filter(organisation=org, status__in=Status.in_party()).exists():
        raise DomainError(_("Transfer the members of this cell first."))
    reorg = _new_reorg(ReorgKind.DISSOLVE, day, doc, actor, {"organisation": org.code})
    _dissolve_node(org, day, actor)
    ReorgLink.objects.create(reorganisation=reorg, predecessor=org, successor=None)
    return Effects(reorganisation=reorg, dissolved=[org])


class _Rollback(Exception):
    pass


def preview(action: Callable[..., Effects], *args, **kwargs) -> Effects:
    """Run an action inside a transaction and roll it back: the effects shown are the real ones."""
    result: Effects | None = None
    try:
        with transaction.atomic():
            result = action(*args, **kwargs)
            # Materialise what the page shows before the rollback.
            result.created = [Organisation(pk=o.pk, code=o.code, name=o.name, kind=o.kind) for o in result.created]
            raise _Rollback
    except _Rollback:
        pass
    assert result is not None
    return result
