"""Forms for transfers. They only parse input; the rules live in dangvu.transfers.services, whose
DomainError messages the views attach to the form (nothing is written when they refuse)."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.scope import organisations_for
from dangvu.lib.text import fold
from dangvu.members.forms import EDUCATION_SECTION, IDENTITY_SECTION, IdentityFieldsMixin, VnDateField
from dangvu.members.services import EDITABLE_FIELDS
from dangvu.orgs.labels import OrganisationChoiceField
from dangvu.orgs.models import Organisation, OrgKind
from dangvu.transfers.models import TransferKind
from dangvu.web.choosers import chooser_attrs
from dangvu.web.forms import Form

# A select longer than this is unusable; the search box above it (HTMX) narrows the list.
CELL_OPTIONS_LIMIT = 200
_TEXTAREA = forms.Textarea(attrs={"rows": 3})


def destination_cells() -> QuerySet[Organisation]:
    """Every cell of the system that is in force: any of them may receive a member, whoever sends."""
    return Organisation.objects.filter(kind__in=OrgKind.member_holding(), valid_to__isnull=True)


def cell_options(q: str = "", selected: int | None = None) -> list[tuple[int, str]]:
    """(pk, "cell — parent") for destination cells, ordered by path, at most CELL_OPTIONS_LIMIT (plus the
    selected one). `q` matches, without accents, the cell's name or the name of an organisation above it."""
    cells = destination_cells()
    folded = fold(q)[:100]
    if folded:
        match = Q(name_search__contains=folded)
        above = (
            Organisation.objects.filter(name_search__contains=folded, valid_to__isnull=True)
            .exclude(kind__in=OrgKind.member_holding())
            .values_list("path", flat=True)[:20]
        )
        for path in above:
            match |= Q(path__startswith=path)
        cells = cells.filter(match)
    orgs = list(cells.only("id", "name", "path", "depth").order_by("path")[:CELL_OPTIONS_LIMIT])
    if selected and all(o.pk != selected for o in orgs):
        orgs += list(destination_cells().filter(pk=selected).only("id", "name", "path", "depth"))
    step = Organisation.steplen
    parent_paths = {o.path[:-step] for o in orgs if o.depth > 1}
    parents = dict(Organisation.objects.filter(path__in=parent_paths).values_list("path", "name")) if orgs else {}
    return [(o.pk, f"{o.name} — {parents[o.path[:-step]]}" if o.path[:-step] in parents else o.name) for o in orgs]


class IssueForm(Form):
    """The sending side's introduction letter: to a cell of this system or to an organisation outside it."""

    sections = [
        (_("Letter"), ["kind", "letter_number", "letter_date", "issuer"]),
        (_("Receiving side"), ["to_organisation", "to_external"]),
        (_("Reason"), ["reason", "note"]),
    ]

    kind = forms.ChoiceField(label=_("Kind"), choices=TransferKind.choices, widget=forms.RadioSelect)
    to_organisation = forms.IntegerField(
        label=_("Receiving cell of this system"),
        required=False,
        widget=forms.Select,
        help_text=_("Type part of the name in the search box to narrow the list."),
    )
    to_external = forms.CharField(
        label=_("Or an organisation outside the system"),
        max_length=255,
        required=False,
        help_text=_("For example a party committee of another province."),
    )
    letter_number = forms.CharField(label=_("Introduction letter number"), max_length=64)
    letter_date = VnDateField(label=_("Introduction letter date"))
    issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=_TEXTAREA)
    note = forms.CharField(label=_("Note"), required=False, widget=_TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        selected = self.data.get("to_organisation") if self.is_bound else None
        selected_pk = int(selected) if selected and str(selected).isdigit() else None
        # Validation accepts any cell in force (clean_to_organisation); the select shows the first ones.
        self.fields["to_organisation"].widget.choices = [("", "---------"), *cell_options(selected=selected_pk)]

    def clean_to_organisation(self) -> Organisation | None:
        pk = self.cleaned_data.get("to_organisation")
        if pk is None:
            return None
        cell = destination_cells().filter(pk=pk).first()
        if cell is None:
            raise forms.ValidationError(_("Choose a party cell that is in force."))
        return cell

    def clean(self):
        data = super().clean()
        if data.get("to_organisation") and (data.get("to_external") or "").strip():
            self.add_error("to_external", _("Give either a cell of this system or an organisation outside it."))
        return data

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class _ActionForm(Form):
    """The action forms share the transfer page: distinct element ids, the same field names."""

    id_prefix = "action"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class AcknowledgeForm(_ActionForm):
    id_prefix = "ack"
    date = VnDateField(label=_("Received on"))
    acknowledgment = forms.CharField(
        label=_("Acknowledgment"),
        max_length=255,
        required=False,
        help_text=_("Receipt slip number or who received it."),
    )


class CancelForm(_ActionForm):
    id_prefix = "cancel"
    reason = forms.CharField(label=_("Reason for the cancellation"), max_length=1000, widget=_TEXTAREA)


class EndTemporaryForm(_ActionForm):
    id_prefix = "end"
    date = VnDateField(label=_("Returned on"))
    note = forms.CharField(label=_("Note"), required=False, widget=_TEXTAREA)


def receiving_cells(user) -> QuerySet[Organisation]:
    """Cells in force where the user's office may register an arriving member."""
    return (
        organisations_for(user, "transfers.manage")
        .filter(kind__in=OrgKind.member_holding(), valid_to__isnull=True)
        .order_by("path")
    )


class ReceiveForm(IdentityFieldsMixin, Form):
    """A member arriving with an introduction letter from an organisation outside the system."""

    sections = [
        IDENTITY_SECTION,
        EDUCATION_SECTION,
        (_("Letter"), ["from_external", "letter_number", "letter_date", "issuer", "date"]),
        (_("Party data"), ["cell", "card_number", "admission_date", "official_date"]),
    ]

    cell = OrganisationChoiceField(label=_("Receiving cell"), queryset=None)
    from_external = forms.CharField(label=_("Sending organisation (outside the system)"), max_length=255)
    letter_number = forms.CharField(label=_("Introduction letter number"), max_length=64)
    letter_date = VnDateField(label=_("Introduction letter date"))
    issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    admission_date = VnDateField(label=_("Admission date"))
    official_date = VnDateField(
        label=_("Recognised as official on"), required=False, help_text=_("Leave empty for a probationary member.")
    )
    date = VnDateField(label=_("Arrived on"), help_text=_("The day the receiving side accepted the letter."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        extra = dict(self.fields)
        self.fields.clear()
        self.fields.update(self.identity_fields())
        self.fields.update(extra)
        self.fields["cell"].queryset = receiving_cells(user)
        self.fields["cell"].widget.attrs.update(chooser_attrs("organisations", "transfers.manage", cells=1))

    def member_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "date": d["date"],
            "from_external": d["from_external"],
            "letter_number": d["letter_number"],
            "letter_date": d["letter_date"],
            "admission_date": d["admission_date"],
            "official_date": d.get("official_date"),
            "issuer": d.get("issuer", ""),
        }
