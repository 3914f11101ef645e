"""Forms of the documents register. They parse what was typed; dangvu.docregister.services checks the rules
and its refusals are shown beside the fields they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.docregister.models import Body, DocType, LinkKind
from dangvu.orgs.models import Term
from dangvu.web.choosers import chooser_attrs
from dangvu.web.forms import DateField
from dangvu.web.forms import Form as BaseForm

MANAGE = "register.manage"


class RegisterForm(BaseForm):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Issuing organisation"))
    body = forms.ChoiceField(label=_("Issuing body"), choices=Body.choices, initial=Body.COMMITTEE)
    doc_type = forms.ChoiceField(label=_("Type of document"), choices=DocType.choices)
    date = DateField(label=_("Date of the document"))
    title = forms.CharField(label=_("Title"), max_length=500)
    summary = forms.CharField(
        label=_("Summary"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    signed_by = forms.CharField(label=_("Signed by"), max_length=255, required=False)
    term = forms.ModelChoiceField(
        queryset=Term.objects.order_by("-start"),
        label=_("Term"),
        required=False,
        help_text=_("Leave empty: the term in office on the document's date."),
    )
    symbol = forms.CharField(
        label=_("Issuer's symbol"),
        max_length=16,
        required=False,
        help_text=_("Leave empty for the usual symbol (ĐU, CB, UBKTĐU, ĐH)."),
    )
    serial = forms.IntegerField(
        label=_("Number already issued"),
        min_value=1,
        max_value=99_999,
        required=False,
        help_text=_(
            "Only for a document issued before it was registered; otherwise the register gives the next number."
        ),
    )
    file = forms.FileField(label=_("File"), required=False, help_text=_("PDF, DOCX, XLSX, JPEG or PNG, at most 20 MB."))
    sections = [
        (_("Document"), ["organisation", "body", "doc_type", "date", "title", "summary", "signed_by", "file"]),
        (_("Number"), ["term", "symbol", "serial"]),
    ]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].widget.attrs.update(chooser_attrs("organisations", MANAGE))

    def clean_symbol(self) -> str:
        return self.cleaned_data["symbol"].strip().upper()


class FileForm(BaseForm):
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOCX, XLSX, JPEG or PNG, at most 20 MB."))


class LinkForm(BaseForm):
    kind = forms.ChoiceField(label=_("This document"), choices=LinkKind.choices)
    target = forms.ModelChoiceField(queryset=None, label=_("Registered document"), required=False)
    external_number = forms.CharField(
        label=_("Or the number of another document"),
        max_length=40,
        required=False,
        help_text=_("A document not in this register, e.g. 57-NQ/TW."),
    )
    external_title = forms.CharField(label=_("Its title"), max_length=500, required=False)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets
        self.fields["target"].label_from_instance = lambda d: f"{d.number} — {d.title}"


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Number or title"), max_length=200, required=False)
    doc_type = forms.ChoiceField(label=_("Type"), choices=[("", _("All"))] + list(DocType.choices), required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1930, max_value=2100, required=False)
