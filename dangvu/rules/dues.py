"""Stored due dates follow the rules (issue 8 item 6).

Admission files and transfers store their next due date (`due_on`), so that the board, the alerts, the
digest and the API filter and sort on it in the database. A due date depends on the rule sets (deadlines
in working days, days off, make-up days), so every save of a rule set recomputes the due dates of the open
files and transfers in the same transaction and saves those that changed, with the acting user and the
reason in their history. `dangvu recompute_dues` (and `migrate`, after it applied migrations) does the same
when the calendar changed without a rule set being saved (a data migration, a new `holidays` release).

The modules that store due dates register a recomputer here from their AppConfig.ready: a function
(book, actor, *, write, reason) → the due dates that differ from the stored ones (saved when `write`).
`preview` runs them on the rule sets as they would be after a save, writing nothing: the administrator is
asked to confirm before a rule set moves due dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dangvu.rules.registry import RuleBook


@dataclass(frozen=True)
class Moved:
    """One open due date that the rules move."""

    what: str  # "admission" or "transfer"
    object_id: int
    subject: str  # the person concerned
    old: dt.date | None
    new: dt.date | None
    url: str


Recomputer = Callable[..., list[Moved]]
RECOMPUTERS: list[Recomputer] = []


def register(fn: Recomputer) -> Recomputer:
    if fn not in RECOMPUTERS:
        RECOMPUTERS.append(fn)
    return fn


def _run(book: RuleBook, actor, *, write: bool, reason: str) -> list[Moved]:
    return [moved for fn in RECOMPUTERS for moved in fn(book, actor, write=write, reason=reason)]


def recompute(actor, *, reason: str) -> list[Moved]:
    """Recompute every open due date from the rule sets as stored now (call it inside the transaction that
    saved them); the changed ones are saved, audited with `actor` and `reason`."""
    return _run(RuleBook.load(), actor, write=True, reason=reason)


def preview(effective_from: dt.date, values: dict[str, Any], *, replacing: int | None = None) -> list[Moved]:
    """The due dates that saving a rule set (`values` from `effective_from`, in place of rule set
    `replacing` when it is corrected) would move. Nothing is written."""
    from dangvu.rules.models import RuleSet

    stored = [
        (day, stored_values)
        for pk, day, stored_values in RuleSet.objects.values_list("pk", "effective_from", "values")
        if pk != replacing
    ]
    return _run(RuleBook([*stored, (effective_from, values)]), None, write=False, reason="")


def describe(moved: Moved) -> str:
    """One line for a page: whose due date moves, from when to when."""
    from django.utils.translation import gettext as _

    from dangvu.lib.dates import fmt

    what = _("admission file") if moved.what == "admission" else _("transfer letter")
    return _("%(subject)s (%(what)s): %(old)s → %(new)s") % {
        "subject": moved.subject,
        "what": what,
        "old": fmt(moved.old) or "—",
        "new": fmt(moved.new) or "—",
    }
