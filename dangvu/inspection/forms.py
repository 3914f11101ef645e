"""Forms of the inspection and supervision pages. They parse what was typed; the rules are checked by
dangvu.inspection.services and dangvu.inspection.suggestions, whose refusals are shown beside the fields
they name (dangvu.web.forms.Form.add_error)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dangvu.inspection.models import FileKind, Kind, Mode, Organ
from dangvu.web.choosers import chooser_attrs
from dangvu.web.forms import DateField
from dangvu.web.forms import Form as BaseForm

MANAGE = "inspection.manage"
MAX_TEXT = 10_000
TEXTAREA = forms.Textarea(attrs={"rows": 4})
SHORT_TEXTAREA = forms.Textarea(attrs={"rows": 2})


def _choosers(form, organisations=None, members=None, org_field="organisation") -> None:
    if organisations is not None:
        form.fields[org_field].queryset = organisations
        form.fields[org_field].widget.attrs.update(chooser_attrs("organisations", MANAGE))
    if members is not None:
        form.fields["members"].queryset = members
        form.fields["members"].widget.attrs.update(chooser_attrs("members", MANAGE))


class ProgrammeForm(BaseForm):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))
    organ = forms.ChoiceField(label=_("Body"), choices=Organ.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=255)
    document_number = forms.CharField(label=_("Document number"), max_length=64, required=False)
    approved_on = DateField(label=_("Approved on"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        _choosers(self, organisations)


class SubjectsForm(BaseForm):
    organisations = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Organisations inspected or supervised"),
        required=False,
        help_text=_("Organisations under the conducting organisation."),
    )
    members = forms.ModelMultipleChoiceField(queryset=None, label=_("Members inspected or supervised"), required=False)

    def __init__(self, *args, organisations, members, **kwargs):
        super().__init__(*args, **kwargs)
        _choosers(self, organisations, members, org_field="organisations")

    def add_error(self, field, error):
        # The services name the subjects as one field: show their refusals beside the organisations.
        if field is None and isinstance(error, ValidationError) and "subjects" in getattr(error, "error_dict", {}):
            moved = dict(error.error_dict)
            moved.setdefault("organisations", []).extend(moved.pop("subjects"))
            error = ValidationError(moved)
        super().add_error(field, error)


class ActivityForm(SubjectsForm):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Conducted by"))
    organ = forms.ChoiceField(label=_("Body"), choices=Organ.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, widget=forms.RadioSelect)
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=Mode.choices,
        widget=forms.RadioSelect,
        help_text=_("A supervision is regular or thematic; only an inspection is on signs of violation."),
    )
    programme = forms.ModelChoiceField(
        queryset=None,
        label=_("Programme"),
        required=False,
        help_text=_("Leave empty only for an inspection on signs of violation."),
    )
    title = forms.CharField(label=_("Content"), max_length=255)
    decision_number = forms.CharField(label=_("Decision number"), max_length=64, required=False)
    decided_on = DateField(label=_("Decision date"), required=False)
    start = DateField(label=_("From"))
    end = DateField(label=_("To"))
    team = forms.CharField(
        label=_("Team"),
        max_length=MAX_TEXT,
        required=False,
        widget=TEXTAREA,
        help_text=_("One person a line: role and name."),
    )
    sections = [
        (_("Inspection or supervision"), ["organisation", "organ", "kind", "mode", "programme", "title"]),
        (_("Decision and dates"), ["decision_number", "decided_on", "start", "end", "team"]),
        (_("Subjects"), ["organisations", "members"]),
    ]
    field_order = [name for _legend, names in sections for name in names]

    def __init__(self, *args, conducting, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        _choosers(self, conducting)
        self.fields["programme"].queryset = programmes
        self.order_fields(self.field_order)


class TeamForm(BaseForm):
    team = forms.CharField(label=_("Team"), max_length=MAX_TEXT, required=False, widget=TEXTAREA)


class ConclusionForm(BaseForm):
    concluded_on = DateField(label=_("Concluded on"))
    conclusion_number = forms.CharField(label=_("Conclusion number"), max_length=64, required=False)
    conclusion = forms.CharField(label=_("Conclusion"), max_length=MAX_TEXT, widget=TEXTAREA)


class RemediationForm(BaseForm):
    description = forms.CharField(label=_("What is to be remedied"), max_length=MAX_TEXT, widget=SHORT_TEXTAREA)
    owner = forms.CharField(label=_("Owner"), max_length=255)
    deadline = DateField(label=_("Deadline"))


class CloseForm(BaseForm):
    closed_on = DateField(label=_("Remedied on"))
    evidence = forms.CharField(label=_("Evidence"), max_length=MAX_TEXT, widget=SHORT_TEXTAREA)


class FileForm(BaseForm):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=FileKind.choices)
    title = forms.CharField(label=_("Title"), max_length=255)
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOCX, XLSX, JPEG or PNG, at most 20 MB."))


class WithdrawForm(BaseForm):
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=500, widget=SHORT_TEXTAREA)


class ReportForm(BaseForm):
    """The addressee's report of what was done on an issue."""

    reported_on = DateField(label=_("Reported on"))
    report = forms.CharField(label=_("What was done"), max_length=MAX_TEXT, widget=SHORT_TEXTAREA)


ISSUE_ROWS = 5


class SuggestionForm(BaseForm):
    """A review suggestion with up to ISSUE_ROWS issues (text and deadline), to a collective or a member."""

    sender = forms.ModelChoiceField(queryset=None, label=_("Sending committee"))
    addressee_kind = forms.ChoiceField(
        label=_("Addressee"),
        choices=[("organisation", _("A collective")), ("member", _("A party member"))],
        widget=forms.RadioSelect,
    )
    organisation = forms.ModelChoiceField(queryset=None, label=_("Collective"), required=False)
    member = forms.ModelChoiceField(queryset=None, label=_("Party member"), required=False)
    year = forms.IntegerField(label=_("Year reviewed"), min_value=2000, max_value=2100)
    sent_on = DateField(label=_("Sent on"))
    document_number = forms.CharField(label=_("Document number"), max_length=64, required=False)

    def __init__(self, *args, organisations, members, **kwargs):
        super().__init__(*args, **kwargs)
        _choosers(self, organisations, members=None, org_field="sender")
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].widget.attrs.update(chooser_attrs("organisations", MANAGE))
        self.fields["member"].queryset = members
        self.fields["member"].widget.attrs.update(chooser_attrs("members", MANAGE))
        for i in range(1, ISSUE_ROWS + 1):
            self.fields[f"issue_{i}"] = forms.CharField(
                label=_("Issue %(n)s") % {"n": i}, max_length=MAX_TEXT, required=False, widget=SHORT_TEXTAREA
            )
            self.fields[f"deadline_{i}"] = DateField(label=_("Deadline of issue %(n)s") % {"n": i}, required=False)

    def clean(self):
        data = super().clean()
        field = "member" if data.get("addressee_kind") == "member" else "organisation"
        if data.get("addressee_kind") and not data.get(field):
            self.add_error(field, _("Choose the addressee."))
        for i in range(1, ISSUE_ROWS + 1):
            text, deadline = (data.get(f"issue_{i}") or "").strip(), data.get(f"deadline_{i}")
            if text and not deadline and f"deadline_{i}" not in self.errors:
                self.add_error(f"deadline_{i}", _("Give the deadline of this issue."))
            elif deadline and not text:
                self.add_error(f"issue_{i}", _("Write the issue or clear its deadline."))
        return data

    def issues(self) -> list[tuple[str, object]]:
        d = self.cleaned_data
        rows = [(d.get(f"issue_{i}") or "", d.get(f"deadline_{i}")) for i in range(1, ISSUE_ROWS + 1)]
        return [(text, deadline) for text, deadline in rows if text.strip()]

    def add_error(self, field, error):
        # The services name the issues as one field: show their refusals beside the first issue.
        if field is None and isinstance(error, ValidationError) and "issues" in getattr(error, "error_dict", {}):
            moved = dict(error.error_dict)
            moved.setdefault("issue_1", []).extend(moved.pop("issues"))
            error = ValidationError(moved)
        super().add_error(field, error)
