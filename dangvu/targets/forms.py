"""Forms of the targets pages. They parse what was typed; dangvu.targets.services checks the rules and its
refusals are shown beside the fields they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.targets import indicators
from dangvu.targets.models import Kind, Period, Source, Subject
from dangvu.web.forms import Form as BaseForm


class TargetForm(BaseForm):
    position = forms.IntegerField(
        label=_("Number in the resolution"), min_value=1, max_value=999, required=False, help_text=_("Empty: the next.")
    )
    text = forms.CharField(label=_("Text as written"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    threshold = forms.DecimalField(
        label=_("Figure"),
        max_digits=12,
        decimal_places=3,
        required=False,
        help_text=_("A percentage (95), a number (300) or a number per unit and year (2); empty when qualitative."),
    )
    strict = forms.BooleanField(label=_("Strictly beyond the figure ('more than', 'less than')"), required=False)
    period = forms.ChoiceField(label=_("Period"), choices=Period.choices)
    subject = forms.ChoiceField(label=_("Counts"), choices=Subject.choices)
    scope = forms.ModelChoiceField(queryset=None, label=_("Organisation covered"), required=False)
    source = forms.ChoiceField(label=_("Result"), choices=Source.choices)
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    sections = [
        (_("Target"), ["position", "text", "kind", "threshold", "strict", "period", "subject", "scope"]),
        (_("Result"), ["source", "indicator"]),
    ]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = organisations
        self.fields["scope"].help_text = _("Empty: the resolution's organisation.")
        self.fields["indicator"].choices = [("", "—")] + indicators.choices()


class ValueForm(BaseForm):
    year = forms.IntegerField(
        label=_("Year"), min_value=1930, max_value=2100, required=False, help_text=_("Empty for a target of the term.")
    )
    value = forms.DecimalField(label=_("Result"), max_digits=12, decimal_places=3)
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where the figure comes from."),
    )
