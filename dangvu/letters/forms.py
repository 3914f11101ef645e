"""Forms of the letters pages. They parse what was typed; the rules are checked by dangvu.letters.services and
its refusals are shown beside the fields they name. The senders' fields are never put back into an error
message (only beside themselves, for the inspector who typed them)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.discipline.models import Form as DisciplineForm
from dangvu.letters.models import Channel, Kind, Outcome, Route, Signed
from dangvu.web.choosers import chooser_attrs
from dangvu.web.forms import DateField
from dangvu.web.forms import Form as BaseForm

MANAGE = "letters.manage"
TEXTAREA = forms.Textarea(attrs={"rows": 4})
SENDER_SLOTS = 3
PRIVATE = {"autocomplete": "off"}


class ReceiveForm(BaseForm):
    committee = forms.ModelChoiceField(queryset=None, label=_("Handling committee"))
    number = forms.CharField(label=_("Receipt number"), max_length=64)
    received_on = DateField(label=_("Received on"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    signed = forms.ChoiceField(label=_("Signature"), choices=Signed.choices)
    about_kind = forms.ChoiceField(
        label=_("About"),
        choices=[
            ("member", _("A party member")),
            ("organisation", _("A party organisation")),
            ("none", _("Nobody on record")),
        ],
        widget=forms.RadioSelect,
    )
    about_member = forms.ModelChoiceField(queryset=None, label=_("Party member"), required=False)
    about_organisation = forms.ModelChoiceField(queryset=None, label=_("Party organisation"), required=False)
    content = forms.CharField(label=_("Content"), max_length=10_000, widget=TEXTAREA)
    repeat_of = forms.ModelChoiceField(
        queryset=None,
        label=_("Repeat of an earlier letter"),
        required=False,
        help_text=_("Leave empty for a new letter."),
    )
    new_evidence = forms.BooleanField(label=_("Brings new evidence"), required=False)

    def __init__(self, *args, committees, members, organisations, letters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.fields["about_member"].queryset = members
        self.fields["about_member"].widget.attrs.update(chooser_attrs("members", "members.view"))
        self.fields["about_organisation"].queryset = organisations
        self.fields["about_organisation"].widget.attrs.update(chooser_attrs("organisations", "orgs.view"))
        self.fields["repeat_of"].queryset = letters
        sender_fields = []
        for i in range(1, SENDER_SLOTS + 1):
            for name, label, size in (
                ("name", _("Full name of signatory %(n)s"), 255),
                ("address", _("Address of signatory %(n)s"), 500),
                ("contact", _("Telephone or e-mail of signatory %(n)s"), 255),
            ):
                key = f"sender_{i}_{name}"
                self.fields[key] = forms.CharField(
                    label=label % {"n": i}, max_length=size, required=False, widget=forms.TextInput(attrs=PRIVATE)
                )
                sender_fields.append(key)
        self.sections = [
            (_("Receipt"), ["committee", "number", "received_on", "channel", "kind"]),
            (_("Signatories (kept secret)"), ["signed", *sender_fields]),
            (
                _("Content"),
                ["about_kind", "about_member", "about_organisation", "content", "repeat_of", "new_evidence"],
            ),
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("about_kind")
        if kind in ("member", "organisation") and not data.get(f"about_{kind}"):
            self.add_error(f"about_{kind}", _("Choose whom the letter is about."))
        return data

    def senders(self):
        from dangvu.letters.services import Sender

        d = self.cleaned_data
        return [
            Sender(d[f"sender_{i}_name"], d[f"sender_{i}_address"], d[f"sender_{i}_contact"])
            for i in range(1, SENDER_SLOTS + 1)
        ]


class ScreenForm(BaseForm):
    screened_on = DateField(label=_("Screened on"), help_text=_("The rules in force on this day apply."))
    note = forms.CharField(label=_("Note"), max_length=10_000, required=False, widget=TEXTAREA)


class RouteForm(BaseForm):
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices, widget=forms.RadioSelect)
    routed_on = DateField(label=_("Routed on"))
    handlers = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Handled by"), required=False, help_text=_("To handle: never the person denounced.")
    )
    forwarded_to = forms.ModelChoiceField(queryset=None, label=_("Subordinate committee"), required=False)
    transferred_to = forms.CharField(label=_("Competent body"), max_length=255, required=False)
    note = forms.CharField(label=_("Note"), max_length=10_000, required=False, widget=TEXTAREA)

    def __init__(self, *args, members, subordinates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handlers"].queryset = members
        self.fields["forwarded_to"].queryset = subordinates


class ExtendForm(BaseForm):
    days = forms.IntegerField(label=_("Extension (working days)"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("Reason for the extension"), max_length=10_000, widget=TEXTAREA)
    notice_on = DateField(label=_("Sender notified on"))


class ConcludeForm(BaseForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    concluded_on = DateField(label=_("Concluded on"))
    conclusion = forms.CharField(label=_("Conclusion"), max_length=10_000, widget=TEXTAREA)
    result_notice_on = DateField(label=_("Result notified to the sender on"), required=False)
    category = forms.ChoiceField(label=_("Category of violation"), required=False)
    facts = forms.CharField(label=_("Facts of the violation"), max_length=10_000, required=False, widget=TEXTAREA)
    violation_date = DateField(label=_("Date of the violation"), required=False)
    proposed_form = forms.ChoiceField(
        label=_("Proposed form"), choices=[("", "—"), *DisciplineForm.choices], required=False
    )
    sections = [
        (_("Outcome"), ["outcome", "concluded_on", "conclusion", "result_notice_on"]),
        (_("Discipline case (when one is opened)"), ["category", "facts", "violation_date", "proposed_form"]),
    ]

    def __init__(self, *args, values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [
            (code, row["label"]) for code, row in values["discipline.categories"].items()
        ]

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.DISCIPLINE:
            for name, message in (
                ("category", _("Choose a category of violation.")),
                ("facts", _("Describe the facts of the violation.")),
                ("violation_date", _("Give the date of the violation.")),
                ("proposed_form", _("Choose a form.")),
            ):
                if not data.get(name):
                    self.add_error(name, message)
        return data


class HeadForm(BaseForm):
    committee = forms.ModelChoiceField(queryset=None, label=_("Committee"))
    user = forms.ModelChoiceField(queryset=None, label=_("User"))
    valid_from = DateField(label=_("From"))

    def __init__(self, *args, committees, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.fields["committee"].widget.attrs.update(chooser_attrs("organisations", "orgs.view"))
        self.fields["user"].queryset = users
