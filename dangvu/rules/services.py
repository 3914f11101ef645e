"""Writing rule sets: the administrator records a regulation's values with the date it takes effect.

Each action runs in one transaction, validates every value against the declared keys
(dangvu.rules.registry), and leaves the audit trail (django-simple-history, with the acting user).
A rule set already in force is never changed (regulations are not rewritten retroactively) and no rule set
is ever deleted; a later regulation is a new rule set that overrides only the keys it sets.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from dangvu.lib import ages, versions
from dangvu.lib.errors import DomainError
from dangvu.rules import dues, presentation
from dangvu.rules.models import RuleSet
from dangvu.rules.registry import KEYS, RuleKey

AGE_KEYS = ("admission.min_age", "admission.max_age")
AGE_RANGE = (1, 120)  # a bound outside this is a typing mistake, not a regulation


# Shares written as fractions ("2/3"): vote thresholds, quorum and majorities.
FRACTION_KEYS = {"meeting.quorum", "meeting.majority", "meeting.qualified"}


def is_threshold(name: str) -> bool:
    return name.endswith("_threshold") or name in FRACTION_KEYS


def list_kind(key: RuleKey) -> str:
    """How the items of a list key are written: "date" (ISO dates, the calendar keys), "int" (when the
    declared default holds integers, e.g. member.badge_years) or "str"."""
    if key.name.startswith("calendar."):
        return "date"
    if key.default and all(isinstance(v, int) and not isinstance(v, bool) for v in key.default):
        return "int"
    return "str"


def parse_threshold(text: str) -> Fraction:
    """A vote threshold: a fraction in (0, 1], written "2/3", "1/2" or "0.5"."""
    try:
        share = Fraction(str(text).replace(" ", ""))
    except (ValueError, ZeroDivisionError):
        raise DomainError(_("Write the share as a fraction such as 2/3 or 1/2."), code="threshold") from None
    if not 0 < share <= 1:
        raise DomainError(_("The share must be more than 0 and at most 1 (for example 2/3)."), code="threshold")
    return share


def is_in_force(rule_set: RuleSet, today: dt.date | None = None) -> bool:
    """True once the rule set's effective date has come: from then on it may not be changed."""
    return rule_set.effective_from <= (today or timezone.localdate())


def _clean_value(key: RuleKey, value: Any) -> Any:
    """The value as stored, or DomainError when it does not have the key's type."""
    if key.clean:  # a structured value checked by the module that reads it
        return import_string(key.clean)(value)
    if key.type is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DomainError(_("Give a whole number."), code="type")
        if value < 0:
            raise DomainError(_("The number may not be negative."), code="negative")
        return value
    if key.type is str:
        if not isinstance(value, str) or not value.strip():
            raise DomainError(_("Give a text value."), code="type")
        value = value.strip()
        if is_threshold(key.name):
            parse_threshold(value)
            value = value.replace(" ", "")
        return value
    if key.type is list:
        if not isinstance(value, list | tuple):
            raise DomainError(_("Give a list of values."), code="type")
        return _clean_list(key, list(value))
    if key.name in AGE_KEYS:
        return _clean_age(value)
    raise DomainError(_("This rule cannot be set here."), code="type")


def _clean_age(value: Any) -> dict[str, Any]:
    """An age limit as stored: {"years": n, "unit": "month"|"year"} (a bare number is counted in months)."""
    years = value.get("years") if isinstance(value, dict) else value
    unit = (value.get("unit") or ages.MONTH) if isinstance(value, dict) else ages.MONTH
    if isinstance(years, bool) or not isinstance(years, int):
        raise DomainError(_("Give a whole number."), code="type")
    if unit not in ages.UNITS or (isinstance(value, dict) and set(value) - {"years", "unit"}):
        raise DomainError(_("Count the age in months or in whole years."), code="type")
    return {"years": years, "unit": unit}


def _clean_list(key: RuleKey, items: list) -> list:
    kind = list_kind(key)
    if kind == "int":
        if any(isinstance(v, bool) or not isinstance(v, int) for v in items):
            raise DomainError(_("Every item must be a whole number."), code="type")
        if any(v <= 0 for v in items):
            raise DomainError(_("Every item must be a positive number."), code="negative")
        return sorted(set(items))
    if kind == "date":
        days: set[dt.date] = set()
        for v in items:
            if isinstance(v, dt.datetime) or not isinstance(v, dt.date | str):
                raise DomainError(_("Every item must be a date."), code="type")
            try:
                days.add(v if isinstance(v, dt.date) else dt.date.fromisoformat(v))
            except ValueError:
                raise DomainError(
                    _("%(value)s is not a date (write yyyy-mm-dd).") % {"value": v}, code="date"
                ) from None
        return [d.isoformat() for d in sorted(days)]
    if any(not isinstance(v, str) or not v.strip() for v in items):
        raise DomainError(_("Every item must be a non-empty text."), code="type")
    cleaned = list(dict.fromkeys(v.strip() for v in items))
    if key.name == "admission.exception_steps":
        from dangvu.admission.models import Stage

        unknown = [v for v in cleaned if v not in Stage.values]
        if unknown:
            raise DomainError(
                _("Unknown admission steps: %(steps)s. Choose among: %(known)s.")
                % {"steps": ", ".join(unknown), "known": "; ".join(str(label) for label in Stage.labels)},
                code="choice",
            )
    return cleaned


def clean_values(values: dict[str, Any]) -> dict[str, Any]:
    """Check each value against its declared key; DomainError listing every problem by key."""
    errors: dict[str, list] = {}
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        key = KEYS.get(name)
        if key is None:
            errors.setdefault("values", []).append(
                DomainError(_("%(key)s is not a declared rule.") % {"key": name}, code="unknown_key")
            )
            continue
        try:
            cleaned[name] = _clean_value(key, value)
        except DomainError as error:
            errors[name] = [DomainError(f"{presentation.label(name)}: {m}", code=error.code) for m in error.messages]
    if errors:
        raise DomainError(errors)
    return cleaned


def _check_ages(effective_from: dt.date, values: dict[str, Any], exclude_pk: int | None) -> None:
    """min_age < max_age (in years), within AGE_RANGE, on the rule set's date and at every later rule set's
    date (a later rule set that sets only one of the two combines with this one)."""
    for name in AGE_KEYS:
        if name in values and not AGE_RANGE[0] <= ages.AgeLimit.of(values[name]).years <= AGE_RANGE[1]:
            raise DomainError(
                {
                    name: [
                        _("An age must be between %(low)d and %(high)d.") % {"low": AGE_RANGE[0], "high": AGE_RANGE[1]}
                    ]
                }
            )
    stored = RuleSet.objects.exclude(pk=exclude_pk).order_by("effective_from").values_list("effective_from", "values")
    timeline = sorted([*stored, (effective_from, values)], key=lambda row: row[0])
    in_force = {name: KEYS[name].default for name in AGE_KEYS}
    for day, row_values in timeline:
        in_force.update({k: v for k, v in row_values.items() if k in AGE_KEYS})
        low, high = (ages.AgeLimit.of(in_force[name]) for name in AGE_KEYS)
        if day >= effective_from and low.years >= high.years:
            raise DomainError(
                {
                    AGE_KEYS[0]: [
                        _("The minimum age (%(min)s) must be lower than the maximum age (%(max)s) in force on %(day)s.")
                        % {"min": low.years, "max": high.years, "day": f"{day:%d/%m/%Y}"}
                    ]
                }
            )


def _validate(
    effective_from: dt.date, name: str, source: str, values: dict[str, Any], *, exclude_pk: int | None = None
) -> tuple[str, str, dict[str, Any]]:
    errors: dict[str, list] = {}
    if not isinstance(effective_from, dt.date) or isinstance(effective_from, dt.datetime):
        errors["effective_from"] = [_("Give the date the rule set takes effect.")]
    elif effective_from < timezone.localdate():
        errors["effective_from"] = [
            _("A rule set takes effect today or later: regulations are not applied retroactively.")
        ]
    elif RuleSet.objects.exclude(pk=exclude_pk).filter(effective_from=effective_from).exists():
        errors["effective_from"] = [
            _("Another rule set already takes effect on %(day)s.") % {"day": f"{effective_from:%d/%m/%Y}"}
        ]
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the rule set a name.")]
    if not isinstance(values, dict) or not values:
        errors.setdefault("values", []).append(_("Set at least one rule."))
        values = {}
    try:
        values = clean_values(values)
    except DomainError as error:
        for field, messages in error.error_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise DomainError(errors)
    _check_ages(effective_from, values, exclude_pk)
    return name, (source or "").strip(), values


def _save(rule_set: RuleSet, actor) -> None:
    rule_set._history_user = actor
    try:
        with transaction.atomic():  # a savepoint: a concurrent rule set on the same date is a clear refusal
            rule_set.save()
    except IntegrityError:
        raise DomainError({"effective_from": [_("Another rule set already takes effect on that date.")]}) from None


def check_rule_set(
    effective_from: dt.date, name: str, source: str, values: dict[str, Any], *, rule_set: RuleSet | None = None
) -> None:
    """The refusals `create_rule_set` / `update_rule_set` would give, without writing (a page checks the
    input before asking the administrator to confirm it)."""
    _validate(effective_from, name, source, values, exclude_pk=rule_set.pk if rule_set else None)


def _follow(rule_set: RuleSet, actor) -> None:
    """Stored due dates follow the rule sets (dangvu.rules.dues): recomputed in this transaction; the
    ones moved are kept on the rule set object for the page to report."""
    reason = _("Due date recomputed after the rule set “%(name)s” was saved.") % {"name": rule_set.name}
    rule_set.moved_dues = dues.recompute(actor, reason=reason)


@transaction.atomic
def create_rule_set(actor, effective_from: dt.date, name: str, source: str, values: dict[str, Any]) -> RuleSet:
    """A new regulation: `values` holds only the keys it sets; the others stay as earlier rule sets say.
    The due dates of open admission files and transfers are recomputed in the same transaction."""
    name, source, values = _validate(effective_from, name, source, values)
    rule_set = RuleSet(effective_from=effective_from, name=name, source=source, values=values)
    _save(rule_set, actor)
    _follow(rule_set, actor)
    return rule_set


def _check_version(locked: RuleSet, version: int | None) -> None:
    """Refuse a correction based on an older version of the rule set that another correction changed
    (dangvu.lib.versions), naming each header field and each rule changed meanwhile (then → now)."""
    now = versions.current(locked)
    if version is None or version == now:
        return
    base = locked.history.filter(history_id=version).first()
    if base is None:
        raise versions.StaleEdit([], now)
    changes = []
    for name in ("effective_from", "name", "source"):
        then, value = getattr(base, name), getattr(locked, name)
        if then != value:
            field = RuleSet._meta.get_field(name)
            changes.append(versions.Change(name, capfirst(str(field.verbose_name)), then, value, field))
    for key in sorted(set(base.values) | set(locked.values)):
        then, value = base.values.get(key), locked.values.get(key)
        if then != value and key in KEYS:
            shown = [presentation.show(key, v) if v is not None else "—" for v in (then, value)]
            changes.append(versions.Change(f"rule__{key}", presentation.label(key), *shown))
    if changes:
        raise versions.StaleEdit(changes, now)


@transaction.atomic
def update_rule_set(
    rule_set: RuleSet,
    actor,
    effective_from: dt.date,
    name: str,
    source: str,
    values: dict[str, Any],
    version: int | None = None,
) -> RuleSet:
    """Correct a rule set that is not yet in force (its values replace the stored ones); the open due dates
    are recomputed in the same transaction. `version` (dangvu.lib.versions) is the one the correction is
    based on: a correction saved meanwhile that changed something is not undone (StaleEdit)."""
    locked = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    _check_version(locked, version)
    if is_in_force(locked):
        raise DomainError(
            _("This rule set has been in force since %(day)s and cannot be changed: record a new rule set instead.")
            % {"day": f"{locked.effective_from:%d/%m/%Y}"},
            code="in_force",
        )
    name, source, values = _validate(effective_from, name, source, values, exclude_pk=locked.pk)
    locked.effective_from, locked.name, locked.source, locked.values = effective_from, name, source, values
    _save(locked, actor)
    _follow(locked, actor)
    rule_set.refresh_from_db()
    return locked


@transaction.atomic
def recompute_dues(actor=None, reason: str = "") -> list[dues.Moved]:
    """Bring every open due date in line with the rule sets and the calendar as they are now, in one
    transaction (after a data migration added a rule set, or a new `holidays` release changed the
    public holidays); the changed ones are audited with `actor` (None: the system) and `reason`."""
    return dues.recompute(actor, reason=reason or _("Due date recomputed from the rule sets and calendar in force."))


# --- Announced days off and make-up working days (the calendar form) --------------------------------


def _check_calendar(
    letter_date: dt.date | None,
    name: str,
    source: str,
    days_off: list,
    working_days: list,
    *,
    rule_set: RuleSet | None = None,
) -> tuple[str, str, dict[str, Any]]:
    """A government letter's days as a calendar rule set: (name, source, values), or DomainError by field.
    Unlike a regulation, it is dated by its letter (today or earlier) and may be corrected once in force:
    its days are dated facts (cumulative keys), and a correction moves the due dates it changes."""
    from dangvu.rules.calendar import KEYS, OFF, WORKING, is_calendar_only

    errors: dict[str, list] = {}
    if rule_set is not None and not is_calendar_only(rule_set):
        raise DomainError(
            _("This rule set holds other rules: correct it on the rule set's own page."), code="not_calendar"
        )
    source = (source or "").strip()
    if not source:
        errors["source"] = [_("Give the government letter that announces these days.")]
    if not isinstance(letter_date, dt.date) or isinstance(letter_date, dt.datetime):
        errors["effective_from"] = [_("Give the date of the letter.")]
    elif letter_date > timezone.localdate():
        errors["effective_from"] = [_("The date cannot be in the future.")]
    values: dict[str, Any] = {}
    try:
        values = clean_values({k: v for k, v in ((OFF, days_off or []), (WORKING, working_days or [])) if v})
    except DomainError as error:
        for field, messages in error.error_dict.items():
            errors.setdefault(field, []).extend(messages)
    if not values and not (set(errors) & set(KEYS)):
        errors.setdefault("__all__", []).append(_("Give at least one day off or make-up working day."))
    both = sorted(set(values.get(OFF, [])) & set(values.get(WORKING, [])))
    if both:
        errors.setdefault(WORKING, []).append(
            _("%(days)s cannot be both a day off and a working day.")
            % {"days": ", ".join(f"{dt.date.fromisoformat(d):%d/%m/%Y}" for d in both)}
        )
    if isinstance(letter_date, dt.date):
        far = [
            d for key in KEYS for d in values.get(key, []) if abs(dt.date.fromisoformat(d).year - letter_date.year) > 1
        ]
        if far:
            errors.setdefault(OFF if far[0] in values.get(OFF, []) else WORKING, []).append(
                _("%(day)s is not in the year of the letter or the year before or after it.")
                % {"day": f"{dt.date.fromisoformat(far[0]):%d/%m/%Y}"}
            )
    if errors:
        raise DomainError(errors)
    name = (name or "").strip() or _("Days off and working days: %(letter)s") % {"letter": source}
    return name[:200], source, values


def _free_date(day: dt.date, rule_set: RuleSet | None) -> dt.date:
    """The letter's date, or the next day no other rule set has (rule sets have distinct dates; a calendar
    rule set's date changes nothing, its days count whatever it is)."""
    taken = set(
        RuleSet.objects.exclude(pk=rule_set.pk if rule_set else None)
        .filter(effective_from__gte=day)
        .values_list("effective_from", flat=True)
    )
    while day in taken:
        day += dt.timedelta(days=1)
    return day


def check_calendar(letter_date, name, source, days_off, working_days, *, rule_set: RuleSet | None = None) -> dict:
    """The refusals `record_calendar` / `correct_calendar` would give, without writing; the values."""
    return _check_calendar(letter_date, name, source, days_off, working_days, rule_set=rule_set)[2]


@transaction.atomic
def record_calendar(actor, letter_date: dt.date, name: str, source: str, days_off: list, working_days: list) -> RuleSet:
    """Record a government letter's days off and make-up working days (a rule set dated by the letter);
    the open due dates follow in the same transaction."""
    name, source, values = _check_calendar(letter_date, name, source, days_off, working_days)
    rule_set = RuleSet(effective_from=_free_date(letter_date, None), name=name, source=source, values=values)
    _save(rule_set, actor)
    _follow(rule_set, actor)
    return rule_set


@transaction.atomic
def correct_calendar(
    rule_set: RuleSet, actor, letter_date: dt.date, name: str, source: str, days_off: list, working_days: list
) -> RuleSet:
    """Correct a letter's days (also once in force: they are facts, not a regulation); audited, and the
    open due dates follow in the same transaction."""
    locked = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    name, source, values = _check_calendar(letter_date, name, source, days_off, working_days, rule_set=locked)
    locked.effective_from = _free_date(letter_date, locked)
    locked.name, locked.source, locked.values = name, source, values
    _save(locked, actor)
    _follow(locked, actor)
    rule_set.refresh_from_db()
    return locked
