from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.accounts.scope import Scope
from dangvu.orgs.models import Organisation


def max_upload_bytes() -> int:
    return int(getattr(settings, "DANGVU_IMPORT_MAX_BYTES", 60 * 1024 * 1024))


def import_roots(user) -> list[Organisation]:
    """Organisations the user may import into: the tops of their "members.import" scope (administrators:
    the top of the tree)."""
    scope = Scope.of(user, "members.import")
    if scope.everything:
        return list(Organisation.objects.filter(depth=1).order_by("path"))
    return list(Organisation.objects.filter(path__in=scope.prefixes).order_by("path"))


class UploadForm(forms.Form):
    organisation = forms.TypedChoiceField(label=gettext_lazy("Import into"), coerce=int)
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )

    def __init__(self, *args, roots: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.roots = {o.pk: o for o in roots}
        self.fields["organisation"].choices = [(o.pk, f"{o.name} ({o.code})") for o in roots]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(max)s MB; split it.") % {"max": max_upload_bytes() // (1024 * 1024)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload

    def clean_organisation(self) -> Organisation:
        return self.roots[self.cleaned_data["organisation"]]
