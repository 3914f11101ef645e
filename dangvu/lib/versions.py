"""Optimistic concurrency for edits of party records (issue 16 item 3): no edit silently undoes another.

A record's **version** is the id of its latest django-simple-history row (every save through the services
writes one, so any change makes a new version; no column or migration is needed, and the history row of
the version tells what the record held then). An edit form or API update carries the version it was based
on; the service, holding the row lock, calls `check(obj, version, fields)`:

- the same version: nothing changed meanwhile, the save goes ahead;
- an older version: the fields of the edit are compared between that version and the record now; if any
  differs, `StaleEdit` is raised (nothing written) with each change (field, its value then → now), which a
  page shows beside the form (status 409) and the API returns as 409 with the list; if none differs (only
  fields outside the edit changed, e.g. an event re-derived the status), the save goes ahead, since it
  cannot undo anything;
- a version that is not one of this record's: `StaleEdit` without changes (reload and start again).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.lib.dates import fmt
from dangvu.lib.errors import DomainError
from dangvu.lib.uploads import excerpt

SHOWN_CHARS = 200  # a long text (minutes) is shown as an excerpt in the message
# Said under the refusal on a page, whose form then holds the current version (see refresh_form).
AGAIN = gettext_lazy(
    "Your entries are kept below, with the current value of each field changed meanwhile that you had not "
    "changed: check them and save again."
)


def current(obj: models.Model) -> int:
    """The version of `obj`: its latest history id (0 for a record without history)."""
    return obj.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    based_on: Any  # the value in the version the edit was based on
    current: Any  # the value now
    model_field: models.Field | None = None

    @property
    def based_on_text(self) -> str:
        return display(self.model_field, self.based_on)

    @property
    def current_text(self) -> str:
        return display(self.model_field, self.current)

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "label": self.label, "based_on": self.based_on_text, "current": self.current_text}


def display(field: models.Field | None, value: Any) -> str:
    """A value as a person reads it: dates dd/mm/yyyy, choices by their label, long texts cut."""
    if value is None or value == "":
        return "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date):
        return fmt(value)
    return excerpt(value, SHOWN_CHARS)


class StaleEdit(DomainError):
    """The edit was based on an older version and the record changed meanwhile; nothing was written."""

    code = "conflict"

    def __init__(self, changes: list[Change], version: int):
        self.changes, self.version = changes, version
        if changes:
            listed = "; ".join(f"{c.label}: {c.based_on_text} → {c.current_text}" for c in changes)
            message = _(
                "Someone else changed this record after you opened it; nothing was saved. Changed meanwhile "
                "(when you opened it → now): %(changes)s."
            ) % {"changes": listed}
        else:
            message = _("This record is not the version you opened; nothing was saved. Open it again.")
        super().__init__(message, code=self.code)


def check(obj: models.Model, version: int | None, fields: list[str]) -> None:
    """Raise StaleEdit when `obj` (read under the row lock) changed in `fields` since `version`."""
    now = current(obj)
    if version == now:
        return
    base = obj.history.filter(history_id=version).first() if version else None
    if base is None:
        raise StaleEdit([], now)
    changes = []
    for name in fields:
        field = obj._meta.get_field(name)
        then, value = getattr(base, field.attname), getattr(obj, field.attname)
        if then != value:
            changes.append(Change(name, capfirst(str(field.verbose_name)), then, value, field))
    if changes:
        raise StaleEdit(changes, now)


def form_value(value: Any) -> str:
    """A value as an HTML form posts it (dates dd/mm/yyyy)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def refresh_form(form, error: StaleEdit, version_field: str = "version") -> None:
    """After a refusal, prepare the form to be saved again knowingly: the current version, and the current
    value of every field changed meanwhile that the user had left as it was (so that saving again cannot
    undo the other change). A field both changed keeps the user's entry; the message lists it."""
    data = form.data.copy()
    data[form.add_prefix(version_field)] = str(error.version)
    cleaned = getattr(form, "cleaned_data", {})
    for change in error.changes:
        if change.field not in form.fields:
            continue
        entered = cleaned.get(change.field)
        if entered == change.based_on or (entered in (None, "") and change.based_on in (None, "")):
            data[form.add_prefix(change.field)] = form_value(change.current)
    form.data = data
