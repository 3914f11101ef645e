"""Forms of the discipline pages. They parse what was typed; the rules are checked by
dangvu.discipline.services and its refusals are shown beside the fields they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.discipline.models import AppealOutcome, Form, Organ
from dangvu.web.choosers import chooser_attrs
from dangvu.web.forms import DateField
from dangvu.web.forms import Form as BaseForm

MANAGE = "discipline.manage"
TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _categories(values: dict) -> list[tuple[str, str]]:
    return [(code, row["label"]) for code, row in values["discipline.categories"].items()]


class OpenForm(BaseForm):
    subject_kind = forms.ChoiceField(
        label=_("Subject"),
        choices=[("member", _("A party member")), ("organisation", _("A party organisation"))],
        widget=forms.RadioSelect,
    )
    member = forms.ModelChoiceField(queryset=None, label=_("Party member"), required=False)
    organisation = forms.ModelChoiceField(queryset=None, label=_("Party organisation"), required=False)
    category = forms.ChoiceField(label=_("Category of violation"))
    facts = forms.CharField(label=_("Facts of the violation"), max_length=10_000, widget=TEXTAREA)
    violation_date = DateField(label=_("Date of the violation"))
    proposed_form = forms.ChoiceField(label=_("Proposed form"), choices=Form.choices)
    opened_on = DateField(label=_("Opened on"), help_text=_("The rules in force on this day apply."))
    sections = [
        (_("Subject"), ["subject_kind", "member", "organisation"]),
        (_("Violation"), ["category", "facts", "violation_date", "proposed_form", "opened_on"]),
    ]

    def __init__(self, *args, members, organisations, values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].widget.attrs.update(chooser_attrs("members", MANAGE))
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].widget.attrs.update(chooser_attrs("organisations", MANAGE))
        self.fields["category"].choices = _categories(values)

    def clean(self):
        data = super().clean()
        field = "member" if data.get("subject_kind") == "member" else "organisation"
        if data.get("subject_kind") and not data.get(field):
            self.add_error(field, _("Choose the subject of the case."))
        return data


class DecideForm(BaseForm):
    form = forms.ChoiceField(label=_("Form decided"), choices=Form.choices)
    decided_by = forms.ModelChoiceField(queryset=None, label=_("Deciding organisation"))
    organ = forms.ChoiceField(label=_("Deciding body"), choices=Organ.choices)
    seat = forms.ChoiceField(label=_("Post removed"), required=False, help_text=_("For removal from post only."))
    document_number = forms.CharField(label=_("Decision number"), max_length=64)
    document_date = DateField(label=_("Decision date"))
    issuer = forms.CharField(label=_("Signed by"), max_length=255, required=False)
    effective_date = DateField(label=_("Effective from"))

    def __init__(self, *args, bodies, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].queryset = bodies
        self.fields["seat"].choices = [("", "—")] + [
            (str(s.pk), f"{s.get_position_display()} — {s.committee.organisation.name}") for s in seats
        ]


class DropForm(BaseForm):
    reason = forms.CharField(label=_("Reason"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 2}))
    document_date = DateField(label=_("Date"))


class AppealForm(BaseForm):
    appeal_lodged_on = DateField(label=_("Appeal lodged on"))
    appeal_to = forms.CharField(label=_("Appeal lodged with"), max_length=255)


class SettleForm(BaseForm):
    appeal_outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in AppealOutcome.choices if c[0]], widget=forms.RadioSelect
    )
    new_form = forms.ChoiceField(label=_("New form"), choices=[("", "—"), *Form.choices], required=False)
    appeal_decided_on = DateField(label=_("Settled on"))
    appeal_document_number = forms.CharField(label=_("Document number"), max_length=64)
    note = forms.CharField(label=_("Note"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 2}))


class NoticeForm(BaseForm):
    member = forms.ModelChoiceField(queryset=None, label=_("Party member"))
    body = forms.CharField(label=_("State body"), max_length=255)
    form = forms.CharField(label=_("Form of discipline"), max_length=255)
    document_number = forms.CharField(label=_("Decision number"), max_length=64)
    document_date = DateField(label=_("Decision date"))
    notified_on = DateField(label=_("Notified to the party organisation on"))
    note = forms.CharField(label=_("Note"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].widget.attrs.update(chooser_attrs("members", MANAGE))


class StatsForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2999, required=False)
    term = forms.ModelChoiceField(queryset=None, label=_("Term"), required=False)

    def __init__(self, *args, organisations, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].widget.attrs.update(chooser_attrs("organisations", "orgs.view"))
        self.fields["term"].queryset = terms
