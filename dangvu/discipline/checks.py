"""The rules of discipline as pure functions of the rule values in force (dangvu.rules.registry, keys
`discipline.*`): which forms a subject may receive, the limitation period and its restart, and which
bodies may decide. Each refusal names the rule by its label (dangvu.rules.presentation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from dangvu.discipline.models import Form
from dangvu.lib.dates import add_months, fmt
from dangvu.lib.errors import DomainError
from dangvu.rules import presentation


def _rule(name: str) -> str:
    return presentation.label(name)


def subject_class(*, organisation: bool = False, probationary: bool = False) -> str:
    """The row of `discipline.forms` for a subject."""
    return "organisation" if organisation else "probationary" if probationary else "official"


def allowed_forms(values: dict, subject: str, *, holds_post: bool) -> list[str]:
    """Forms the rule set allows for `subject` (official / probationary / organisation); removal from post
    only for a member holding a post."""
    forms = list(values["discipline.forms"].get(subject, []))
    if not holds_post:
        forms = [f for f in forms if f != Form.REMOVAL]
    return forms


def check_form(values: dict, form: str, subject: str, *, holds_post: bool, field: str = "form") -> None:
    if form in allowed_forms(values, subject, holds_post=holds_post):
        return
    label = Form(form).label if form in Form.values else form
    if form == Form.REMOVAL and subject == "official" and form in values["discipline.forms"].get(subject, []):
        message = _("Removal from post applies only to a member holding a post (%(rule)s).")
    else:
        who = {
            "official": _("an official member"),
            "probationary": _("a probationary member"),
            "organisation": _("a party organisation"),
        }[subject]
        message = _("%(form)s is not a discipline form for %(who)s (%(rule)s).") % {
            "form": label,
            "who": who,
            "rule": "%(rule)s",
        }
    raise DomainError({field: [message % {"rule": _rule("discipline.forms")}]}, code="form")


def limitation_years(values: dict, form: str, category: str) -> int | None:
    """Years of the limitation period for `form` and `category`; None when there is none."""
    if values["discipline.categories"].get(category, {}).get("no_limitation"):
        return None
    return values["discipline.limitation_years"].get(form)


def limitation_end(violation: dt.date, years: int | None, later: Iterable[dt.date]) -> tuple[dt.date | None, dt.date]:
    """(last day on which the violation may still be disciplined, the day the period runs from). The period
    runs from the violation and is restarted by each new violation committed within it; it ends on the same
    day `years` later (29 February: the 28th). None: no limitation."""
    if years is None:
        return None, violation
    start = violation
    end = add_months(start, 12 * years)
    for day in sorted(d for d in later if d > violation):
        if day > end:
            break
        start, end = day, add_months(day, 12 * years)
    return end, start


def check_limitation(
    values: dict, form: str, category: str, violation: dt.date, on: dt.date, later: Iterable[dt.date], field: str
) -> dt.date | None:
    """Refuse (DomainError on `field`) a discipline decided on `on` beyond the limitation period; returns the
    period's last day (None: no limitation)."""
    years = limitation_years(values, form, category)
    end, start = limitation_end(violation, years, later)
    if end is None or on <= end:
        return end
    params = {
        "form": Form(form).label,
        "years": years,
        "start": fmt(start),
        "end": fmt(end),
        "rule": _rule("discipline.limitation_years"),
    }
    if start == violation:
        message = _(
            "Beyond the limitation period: %(form)s may be decided within %(years)s years of the violation "
            "(%(start)s), that is until %(end)s (%(rule)s)."
        )
    else:
        message = _(
            "Beyond the limitation period: %(form)s may be decided within %(years)s years, restarted by the new "
            "violation of %(start)s, that is until %(end)s (%(rule)s)."
        )
    raise DomainError({field: [message % params]}, code="limitation")


def authority_entries(values: dict, subject: str, form: str) -> list[tuple[str, str]]:
    """(level, organ) pairs that may decide `form` for `subject` (member / committee_member /
    organisation) under the authority table in force."""
    rows = values["discipline.authority"].get(subject, {}).get(form, [])
    return [tuple(entry.split(":", 1)) for entry in rows]  # type: ignore[misc]
