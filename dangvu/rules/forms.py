"""Forms for rule sets. They parse input into typed values; the rules (declared keys, types, unique date,
sensible ages, nothing changed once in force) live in dangvu.rules.services, whose DomainError the views
attach to the form field it concerns."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dangvu.lib import ages, versions
from dangvu.lib.dates import parse_vn_date
from dangvu.members.forms import VnDateField
from dangvu.rules import presentation
from dangvu.rules.models import RuleSet
from dangvu.rules.registry import KEYS, RuleKey
from dangvu.rules.services import AGE_KEYS, is_threshold, list_kind, parse_threshold
from dangvu.web.forms import Form, Section

FIELD_PREFIX = "rule__"
# Keys shown as boxes to tick that start as the rule in force: an empty list is a value ("none").
SWITCHES = ("review.checks",)
_SEPARATORS = re.compile(r"[,;\n\r]+")


def field_name(key_name: str) -> str:
    """Form field for a rule key: dots replaced, so the HTML id is a plain identifier."""
    return FIELD_PREFIX + key_name.replace(".", "__")


def key_name(field: str) -> str | None:
    if not field.startswith(FIELD_PREFIX):
        return None
    return field[len(FIELD_PREFIX) :].replace("__", ".")


def display_value(key: RuleKey | None, value: Any) -> str:
    """A rule value as written back into a form field: lists joined, calendar dates as dd/mm/yyyy. Pages
    show values through dangvu.rules.presentation.show."""
    if isinstance(value, list):
        if key is not None and list_kind(key) == "date":
            return ", ".join(_vn(v) for v in value) or "—"
        return ", ".join(str(v) for v in value) or "—"
    if value is None or value == "":
        return "—"
    return str(value)


def _vn(iso: Any) -> str:
    try:
        return f"{dt.date.fromisoformat(str(iso)):%d/%m/%Y}"
    except ValueError:
        return str(iso)


def as_text(key: RuleKey, value: Any) -> Any:
    """A stored value written back into its form field (for editing); an age limit as it is (AgeWidget)."""
    if key.name in AGE_KEYS:
        return value
    if isinstance(value, list):
        return display_value(key, value) if value else ""
    return "" if value is None else str(value)


class ListField(forms.CharField):
    """Comma- or newline-separated items: whole numbers, dates (dd/mm/yyyy or yyyy-mm-dd, stored as ISO) or
    text, by the key's declared default."""

    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, *, kind: str, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def to_python(self, value) -> list | None:
        text = super().to_python(value)
        items = [item.strip() for item in _SEPARATORS.split(text or "") if item.strip()]
        if not items:
            return None
        if self.kind == "int":
            try:
                return [int(item) for item in items]
            except ValueError:
                raise ValidationError(_("Write whole numbers separated by commas."), code="int") from None
        if self.kind == "date":
            return [self._date(item).isoformat() for item in items]
        return items

    @staticmethod
    def _date(item: str) -> dt.date:
        try:
            return dt.date.fromisoformat(item)
        except ValueError:
            pass
        try:
            return parse_vn_date(item)
        except ValueError:
            raise ValidationError(
                _("%(value)s is not a date: write dd/mm/yyyy."), code="date", params={"value": item}
            ) from None


class StructuredField(forms.CharField):
    """A structured rule value (the review forms: criteria groups and points) written as JSON; the module
    that reads the key checks its shape (RuleKey.clean)."""

    widget = forms.Textarea(attrs={"rows": 8})

    def to_python(self, value) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise ValidationError(_("Write the value as JSON (as shown in force now)."), code="json") from None


class AgeWidget(forms.MultiWidget):
    """The number of years in the key's own field name (a plain number posted alone is read in months) and
    how the age is counted beside it."""

    def __init__(self, attrs=None):
        unit = forms.Select(choices=[(ages.MONTH, _("counted in months")), (ages.YEAR, _("counted in whole years"))])
        super().__init__({"": forms.NumberInput(attrs={"min": 0}), "unit": unit}, attrs)

    def decompress(self, value):
        if value in (None, ""):
            return [None, ages.MONTH]
        try:
            limit = ages.AgeLimit.of(int(value) if isinstance(value, str) else value)
        except (TypeError, ValueError):
            return [value, ages.MONTH]
        return [limit.years, limit.unit]


class AgeField(forms.MultiValueField):
    """An age limit: years and unit, stored as {"years": n, "unit": "month"|"year"} (dangvu.lib.ages)."""

    widget = AgeWidget

    def __init__(self, **kwargs):
        fields = (
            forms.IntegerField(min_value=0, required=False),
            forms.ChoiceField(choices=[(u, u) for u in ages.UNITS], required=False),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list) -> dict[str, Any] | None:
        if not data_list or data_list[0] in (None, ""):
            return None
        return {"years": data_list[0], "unit": data_list[1] or ages.MONTH}


class ThresholdField(forms.CharField):
    def validate(self, value) -> None:
        super().validate(value)
        if value:
            parse_threshold(value)  # DomainError is a ValidationError: shown under the field


class StepsField(forms.MultipleChoiceField):
    """Admission steps ticked by name (stored as their codes); none ticked leaves the rule as it is."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        from dangvu.admission.models import Stage

        super().__init__(choices=Stage.choices, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):  # initial value written as text by as_text
            return [item.strip() for item in _SEPARATORS.split(value) if item.strip()]
        return value


class ChecksWidget(forms.CheckboxSelectMultiple):
    """Checkboxes with a hidden marker: a form posted without the marker (the field not shown) leaves the
    rule as it is, while every box unticked turns every limit off."""

    def value_from_datadict(self, data, files, name):
        if f"{name}__shown" not in data:
            return None
        return super().value_from_datadict(data, files, name)

    def render(self, name, value, attrs=None, renderer=None):
        hidden = forms.HiddenInput().render(f"{name}__shown", "1")
        return mark_safe(super().render(name, value, attrs, renderer) + hidden)  # both parts are escaped by Django


class ChecksField(forms.MultipleChoiceField):
    """The limits on the review grades (review.checks) ticked one by one. The boxes start as the rule in
    force (or as the rule set being corrected says); the rule set stores the key only when the boxes say
    something else, or when it already set it (RuleSetForm.rule_values)."""

    widget = ChecksWidget

    def __init__(self, **kwargs):
        from dangvu.reviews.forms_rule import CHECKS

        labels = {
            "excellent_quota": _("Check the quota of 'excellent' grades"),
            "discipline_cap": _("Cap the grade of a member disciplined in the year"),
        }
        super().__init__(choices=[(c, labels[c]) for c in CHECKS], **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return [item.strip() for item in _SEPARATORS.split(value) if item.strip()]
        return value

    def clean(self, value):
        if value is None:
            return None
        return super().clean(value)


def rule_field(key: RuleKey, current: Any) -> forms.Field:
    """One optional field per declared key, typed by the key's type, labelled for an office."""
    in_force = _("In force now: %(value)s.") % {"value": presentation.show(key.name, current)}
    options = {
        "label": presentation.label(key.name),
        "required": False,
        "help_text": f"{presentation.help_text(key.name)} {in_force}".strip(),
    }
    if key.type is int:
        return forms.IntegerField(min_value=0, **options)
    if key.name in AGE_KEYS:
        return AgeField(**options)
    if key.type is dict:
        return StructuredField(**options)
    if key.name in SWITCHES:
        return ChecksField(**options)
    if key.name == "admission.exception_steps":
        options["help_text"] = "{} {}".format(options["help_text"], _("Tick none to leave the rule as it is."))
        return StepsField(**options)
    if key.type is list:
        kind = list_kind(key)
        if kind == "date":
            options["help_text"] = "{} {}".format(
                options["help_text"], _("Write dates as dd/mm/yyyy, separated by commas or new lines.")
            )
        return ListField(kind=kind, **options)
    if is_threshold(key.name):
        return ThresholdField(max_length=20, **options)
    return forms.CharField(max_length=200, **options)


# The rule set form's sections: rules grouped by the area they govern (the key's first part).
RULE_SECTIONS = {
    "admission": _("Admission"),
    "transfer": _("Transfers"),
    "meeting": _("Meetings"),
    "member": _("Members"),
    "review": _("Yearly review"),
    "discipline": _("Discipline"),
    "inspection": _("Inspection"),
    "target": _("Resolution targets"),
    "letters": _("Letters"),
    "alerts": _("Deadlines"),
    "calendar": _("Working-day calendar"),
    "congress": _("Congresses"),
    "fees": _("Party fees"),
}


class RuleSetForm(Form):
    effective_from = VnDateField(label=_("Effective from"))
    name = forms.CharField(label=_("Name"), max_length=200)
    source = forms.CharField(
        label=_("Regulation"), max_length=200, required=False, help_text=_("e.g. Quy định 294-QĐ/TW")
    )
    # The version of the rule set the correction is based on (dangvu.lib.versions): a correction saved
    # after another is refused with what changed meanwhile, never silently undoing it.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, in_force: dict[str, Any], rule_set: RuleSet | None = None, **kwargs):
        if rule_set is not None and "initial" not in kwargs:
            initial: dict[str, Any] = {
                "version": versions.current(rule_set),
                "effective_from": rule_set.effective_from,
                "name": rule_set.name,
                "source": rule_set.source,
            }
            for name, value in rule_set.values.items():
                if name in KEYS:
                    initial[field_name(name)] = as_text(KEYS[name], value)
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self._in_force = in_force
        self._own = dict(rule_set.values) if rule_set is not None else {}
        for key in KEYS.values():
            self.fields[field_name(key.name)] = rule_field(key, in_force.get(key.name))
        for name in SWITCHES:
            if name in KEYS:
                self.initial.setdefault(field_name(name), list(self._own.get(name, in_force.get(name, []))))

    def header_fields(self) -> list:
        return [self[name] for name in ("effective_from", "name", "source")]

    def rule_fields(self) -> list:
        return [self[name] for name in self.fields if key_name(name)]

    def rule_sections(self) -> list[Section]:
        """The rule fields by area, in the order of RULE_SECTIONS (an undeclared area comes last)."""
        groups: dict[str, list] = {}
        for field in self.rule_fields():
            groups.setdefault(key_name(field.name).split(".")[0], []).append(field)
        order = list(RULE_SECTIONS)
        areas = sorted(groups, key=lambda a: order.index(a) if a in order else len(order))
        return [Section(RULE_SECTIONS.get(area, _("Other rules")), groups[area]) for area in areas]

    def rule_values(self) -> dict[str, Any]:
        """Only the filled rule fields: a rule set overrides only what it sets."""
        values = {}
        for field, value in self.cleaned_data.items():
            name = key_name(field)
            if name in SWITCHES:
                if value is not None and (name in self._own or value != list(self._in_force.get(name) or [])):
                    values[name] = value
                continue
            if name and value is not None and value != "" and value != []:
                values[name] = value
        return values

    def add_service_error(self, error: ValidationError) -> None:
        """Attach a service refusal to the field it concerns (rule keys to their fields)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for target, errors in error.error_dict.items():
            field = field_name(target) if target in KEYS else target
            self.add_error(field if field in self.fields else None, errors)


class RulesOnForm(forms.Form):
    on = VnDateField(label=_("Rules in force on"))


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1995, max_value=2100)


class CalendarForm(forms.Form):
    """A government letter announcing days off and make-up working days (stored as a calendar rule set)."""

    source = forms.CharField(label=_("Government letter"), max_length=200, help_text=_("e.g. Công văn 12729/VPCP-KGVX"))
    effective_from = VnDateField(label=_("Date of the letter"))
    name = forms.CharField(
        label=_("Name"), max_length=200, required=False, help_text=_("e.g. Tết Dương lịch 2027 (optional)")
    )

    def __init__(self, *args, rule_set: RuleSet | None = None, **kwargs):
        if rule_set is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "source": rule_set.source,
                "effective_from": rule_set.effective_from,
                "name": rule_set.name,
                **{
                    field_name(key): as_text(KEYS[key], rule_set.values.get(key, []))
                    for key in ("calendar.extra_days_off", "calendar.extra_working_days")
                },
            }
        super().__init__(*args, **kwargs)
        hint = _("Write dates as dd/mm/yyyy, separated by commas or new lines.")
        self.fields[field_name("calendar.extra_days_off")] = ListField(
            kind="date",
            required=False,
            label=_("Days off"),
            help_text=format_lazy("{} {}", _("Working days given off."), hint),
        )
        self.fields[field_name("calendar.extra_working_days")] = ListField(
            kind="date",
            required=False,
            label=_("Make-up working days"),
            help_text=format_lazy("{} {}", _("Days worked in exchange (usually a Saturday)."), hint),
        )

    @property
    def cleaned(self) -> dict[str, Any]:
        """The cleaned data, the two lists under their rule keys."""
        data = dict(self.cleaned_data)
        for key in ("calendar.extra_days_off", "calendar.extra_working_days"):
            data[key] = data.pop(field_name(key), None) or []
        return data

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for target, errors in error.error_dict.items():
            field = field_name(target) if target in KEYS else target
            self.add_error(field if field in self.fields else None, errors)
