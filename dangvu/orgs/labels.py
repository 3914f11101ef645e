"""One way to name an organisation or a person wherever two of them could be confused (issue 9 item 4).

An organisation whose name is used by another organisation (anywhere in the tree, current or former;
compared without case or diacritics) is named with its parent: "Chi bộ Phòng Thời sự — Đảng bộ Báo Cần
Thơ". When the parent's name repeats too, the next ancestor is added, until an ancestor with a unique name
(at most `MAX_ANCESTORS`). A unique name stays as it is. The label depends on the whole tree, not on the
page, so the same cell reads the same on every page, in every select and in every export.

A person is named by the full name; where the same name appears more than once in the same list (a chair
select, an attendance list), the birth year is added, and the cell when that is not enough either.

Every function here is a fixed number of queries for any number of rows (two for organisations, none for
people beyond the organisations' labels): call them once per list, never per row. Templates read
`org.label` (set by `attach`; an organisation not passed through `attach` falls back to its name).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Count
from django.utils.translation import gettext as _

from dangvu.orgs.models import Organisation

SEPARATOR = " — "
MAX_ANCESTORS = 3


def _ancestor_paths(path: str) -> list[str]:
    """Paths of the ancestors, nearest first."""
    step = Organisation.steplen
    return [path[:end] for end in range(len(path) - step, 0, -step)]


def org_labels(orgs: Iterable[Organisation]) -> dict[int, str]:
    """{pk: label} for these organisations (two queries whatever their number)."""
    orgs = {o.pk: o for o in orgs if o is not None}
    if not orgs:
        return {}
    paths = {p for o in orgs.values() for p in _ancestor_paths(o.path)[:MAX_ANCESTORS]}
    ancestors = (
        {a.path: a for a in Organisation.objects.filter(path__in=paths).only("id", "path", "name", "name_search")}
        if paths
        else {}
    )
    keys = {o.name_search for o in orgs.values()} | {a.name_search for a in ancestors.values()}
    repeated = set(
        Organisation.objects.filter(name_search__in=keys)
        .order_by()  # treebeard orders by path, which would split the groups
        .values("name_search")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("name_search", flat=True)
    )
    labels = {}
    for pk, org in orgs.items():
        parts = [org.name]
        if org.name_search in repeated:
            for path in _ancestor_paths(org.path)[:MAX_ANCESTORS]:
                ancestor = ancestors.get(path)
                if ancestor is None:
                    break
                parts.append(ancestor.name)
                if ancestor.name_search not in repeated:
                    break
        labels[pk] = SEPARATOR.join(parts)
    return labels


def attach(orgs: Iterable[Organisation]) -> list[Organisation]:
    """Compute the labels and set them on the instances (`org.label`); returns the list."""
    orgs = [o for o in orgs if o is not None]
    labels = org_labels(orgs)
    for org in orgs:
        org._label = labels[org.pk]
    return orgs


def attach_to(rows: Iterable[Any], attribute: str = "organisation") -> list[Any]:
    """Label the organisation of each row (members, meetings, invitations…; `attribute` may be a dotted
    path such as "meeting.organisation"). The organisations must already be loaded (select_related)."""
    rows = list(rows)
    orgs = []
    for row in rows:
        obj = row
        for name in attribute.split("."):
            obj = getattr(obj, name, None)
            if obj is None:
                break
        if obj is not None:
            orgs.append(obj)
    attach(orgs)
    return rows


def label(org: Organisation | None) -> str:
    """The label of one organisation (two queries: use `org_labels` for a list)."""
    if org is None:
        return ""
    return org_labels([org])[org.pk]


def labels_by_id(ids: Iterable[int]) -> dict[int, str]:
    """{pk: label} for organisation ids (three queries)."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return org_labels(Organisation.objects.filter(pk__in=ids).only("id", "path", "name", "name_search"))


# --- People -----------------------------------------------------------------------------------------


def person_labels(people: Iterable[Any]) -> dict[int, str]:
    """{pk: label} for members (objects with full_name, birth_date and, for the last resort, organisation):
    the name, plus the birth year where the name repeats in this list, plus the cell where name and year
    still repeat. No query when the organisations are loaded."""
    people = list({p.pk: p for p in people}.values())
    by_name: dict[str, list[Any]] = {}
    for p in people:
        by_name.setdefault(p.full_name.casefold(), []).append(p)
    labels = {}
    need_cell = []
    for group in by_name.values():
        if len(group) == 1:
            labels[group[0].pk] = group[0].full_name
            continue
        years: dict[int, int] = {}
        for p in group:
            years[p.birth_date.year] = years.get(p.birth_date.year, 0) + 1
        for p in group:
            if years[p.birth_date.year] > 1:
                need_cell.append(p)
            else:
                labels[p.pk] = _("%(name)s (born %(year)s)") % {"name": p.full_name, "year": p.birth_date.year}
    if need_cell:
        cells = org_labels(p.organisation for p in need_cell)
        for p in need_cell:
            labels[p.pk] = _("%(name)s (born %(year)s, %(cell)s)") % {
                "name": p.full_name,
                "year": p.birth_date.year,
                "cell": cells.get(p.organisation_id, ""),
            }
    return labels


# --- Form fields ------------------------------------------------------------------------------------


class _LabelledIterator(forms.models.ModelChoiceIterator):
    """Computes every label of the choices at once (a fixed number of queries), then yields them."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        objects = list(self.queryset)
        self.field._labels = self.field.compute_labels(objects)
        for obj in objects:
            yield self.choice(obj)


class OrganisationChoiceField(forms.ModelChoiceField):
    """A select of organisations named with `org_labels`."""

    iterator = _LabelledIterator

    def compute_labels(self, objects: list[Organisation]) -> dict[int, str]:
        return org_labels(objects)

    def label_from_instance(self, obj: Organisation) -> str:
        labels = getattr(self, "_labels", None) or {}
        return labels.get(obj.pk) or label(obj)


class PersonChoiceField(forms.ModelChoiceField):
    """A select of members named with `person_labels` (the queryset should select_related organisation)."""

    iterator = _LabelledIterator

    def compute_labels(self, objects: list[Any]) -> dict[int, str]:
        return person_labels(objects)

    def label_from_instance(self, obj: Any) -> str:
        labels = getattr(self, "_labels", None) or {}
        return labels.get(obj.pk) or obj.full_name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    """Several members (checkboxes) named with `person_labels`."""

    iterator = _LabelledIterator

    def compute_labels(self, objects: list[Any]) -> dict[int, str]:
        return person_labels(objects)

    def label_from_instance(self, obj: Any) -> str:
        labels = getattr(self, "_labels", None) or {}
        return labels.get(obj.pk) or obj.full_name
