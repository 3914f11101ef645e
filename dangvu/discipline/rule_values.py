"""The discipline rules as data (dangvu.rules.registry, keys `discipline.*`): checking a value written into
a rule set. A later regulation changes the forms, periods, categories or the authority table by a new rule
set, never by a code change."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dangvu.lib.errors import DomainError

FORMS = ("reprimand", "warning", "removal_from_post", "expulsion", "dissolution")  # models.Form values
SUBJECTS = ("official", "probationary", "organisation")
AUTHORITY_SUBJECTS = ("member", "committee_member", "organisation")
LEVELS = ("cell", "grassroots", "above", "seat", "above_seat")
ORGANS = ("committee", "standing", "inspection")  # models.Organ values


def _unreadable(what: str) -> DomainError:
    return DomainError(_("The value of %(rule)s is not readable.") % {"rule": what}, code="type")


def clean_forms(value: Any) -> dict:
    if not isinstance(value, dict) or set(value) != set(SUBJECTS):
        raise _unreadable(_("the discipline forms"))
    cleaned = {}
    for subject, forms in value.items():
        if not isinstance(forms, list) or not forms or any(f not in FORMS for f in forms):
            raise _unreadable(_("the discipline forms"))
        cleaned[subject] = list(dict.fromkeys(forms))
    return cleaned


def clean_limitation(value: Any) -> dict:
    if not isinstance(value, dict) or set(value) != set(FORMS):
        raise _unreadable(_("the limitation periods"))
    for years in value.values():
        if years is not None and (isinstance(years, bool) or not isinstance(years, int) or years <= 0):
            raise _unreadable(_("the limitation periods"))
    return dict(value)


def clean_categories(value: Any) -> dict:
    if not isinstance(value, dict) or not value:
        raise _unreadable(_("the categories of violation"))
    cleaned = {}
    for code, row in value.items():
        if not isinstance(row, dict) or not str(row.get("label", "")).strip() or len(str(code)) > 40:
            raise _unreadable(_("the categories of violation"))
        cleaned[str(code)] = {"label": str(row["label"]).strip(), "no_limitation": bool(row.get("no_limitation"))}
    return cleaned


def clean_authority(value: Any) -> dict:
    if not isinstance(value, dict) or set(value) - set(AUTHORITY_SUBJECTS):
        raise _unreadable(_("the authority table"))
    cleaned: dict[str, dict[str, list[str]]] = {}
    for subject, rows in value.items():
        if not isinstance(rows, dict):
            raise _unreadable(_("the authority table"))
        cleaned[subject] = {}
        for form, bodies in rows.items():
            if form not in FORMS or not isinstance(bodies, list):
                raise _unreadable(_("the authority table"))
            for body in bodies:
                level, _sep, organ = str(body).partition(":")
                if level not in LEVELS or organ not in ORGANS:
                    raise _unreadable(_("the authority table"))
            cleaned[subject][form] = list(dict.fromkeys(bodies))
    return cleaned
