"""Forms of the fee pages. They parse what was typed; the rules are checked by dangvu.fees.services and its
refusals are shown beside the fields they name."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dangvu.fees import months
from dangvu.fees.models import Method, ReliefKind, ReliefReason
from dangvu.web.forms import DateField
from dangvu.web.forms import Form as BaseForm


class MonthField(forms.CharField):
    """A month typed mm/yyyy (also m-yyyy, yyyy-mm), cleaned to its first day."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": "mm/yyyy", "inputmode": "numeric", "maxlength": "10"})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return months.fmt(value) if isinstance(value, dt.date) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > 10:
            raise ValidationError(_("Write the month as mm/yyyy."), code="invalid")
        month = months.parse(value)
        if month is None:
            raise ValidationError(_("Write the month as mm/yyyy."), code="invalid")
        return month


class AmountField(forms.CharField):
    """Whole đồng, typed with or without thousands separators ("120.000", "120,000", "120000")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "20"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > 20:
            raise ValidationError(_("Enter a whole number of đồng."), code="invalid")
        return parse_amount(value)


def parse_amount(value) -> int:
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").removesuffix("đ").removesuffix("đồng")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    for sep in (".", ","):
        parts = text.split(sep)
        if len(parts) > 1 and all(p.isdigit() for p in parts) and all(len(p) == 3 for p in parts[1:]):
            text = "".join(parts)
    if not text.isdigit():
        raise ValidationError(_("Enter a whole number of đồng."), code="invalid")
    return int(text)


class MonthForm(BaseForm):
    month = MonthField(label=_("Month"))


class BasisForm(BaseForm):
    category = forms.ChoiceField(label=_("Category"))
    base_amount = AmountField(
        label=_("Monthly base amount (đồng)"),
        required=False,
        help_text=_("The insured salary, the benefit or the pension; empty for a fixed amount."),
    )
    from_month = MonthField(label=_("From month"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, categories: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(code, row["label"]) for code, row in categories.items()]


class ReliefForm(BaseForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReliefKind.choices)
    percent = forms.TypedChoiceField(label=_("Reduction"), coerce=int, required=False, empty_value=None)
    reason = forms.ChoiceField(label=_("Reason"), choices=ReliefReason.choices)
    first_month = MonthField(label=_("From month"))
    last_month = MonthField(label=_("Until month"))
    decision = forms.CharField(label=_("Decided by"), max_length=255, required=False)

    def __init__(self, *args, percents: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["percent"].choices = [("", "—")] + [(p, f"{p}%") for p in percents]


class EndReliefForm(BaseForm):
    last_month = MonthField(label=_("Last month"))


class PaymentForm(BaseForm):
    month = MonthField(label=_("Month"))
    amount = AmountField(label=_("Amount (đồng)"))
    paid_on = DateField(label=_("Paid on"))
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    reference = forms.CharField(label=_("Reference"), max_length=64, required=False)


class AnnulForm(BaseForm):
    reason = forms.CharField(label=_("Reason for the annulment"), max_length=255)


class StatementForm(BaseForm):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))
    file = forms.FileField(label=_("Statement (CSV or XLSX)"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
