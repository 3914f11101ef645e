"""Forms of the library: the search with its filters, and the office's text and publication of a document."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.docregister.models import DocType
from dangvu.library.models import ShelfKind
from dangvu.library.services import MAX_BODY
from dangvu.web.forms import Form as BaseForm


class SearchForm(BaseForm):
    q = forms.CharField(
        label=_("Words of the title, number or text"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "placeholder": _("e.g. nghi quyet so hoa")}
        ),
    )
    doc_type = forms.ChoiceField(label=_("Type"), required=False)
    issuer = forms.TypedChoiceField(label=_("Issued by"), coerce=int, required=False, empty_value=None)
    year = forms.IntegerField(label=_("Year"), min_value=1930, max_value=2100, required=False)
    shelf = forms.ChoiceField(label=_("List"), required=False)

    def __init__(self, *args, issuers: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = [("", _("All types")), *DocType.choices]
        self.fields["issuer"].choices = [("", _("All issuers")), *issuers]
        self.fields["shelf"].choices = [("", _("All documents")), *ShelfKind.choices]


class EditForm(BaseForm):
    body_text = forms.CharField(
        label=_("Text of the document"),
        max_length=MAX_BODY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "What members read in the library and find by searching. The text of an attached DOCX file is searched too."
        ),
    )
    published = forms.BooleanField(
        label=_("Published to the members of the issuing organisation and of the organisations below it"),
        required=False,
    )
