"""Forms for member records. They only parse and shape input; rules live in dangvu.members.services,
whose DomainError messages the views attach to the form (nothing is written when they refuse)."""

from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.scope import organisations_for
from dangvu.members import citizen_id
from dangvu.members.models import EventKind, Member
from dangvu.members.services import EDITABLE_FIELDS
from dangvu.members.validators import CITIZEN_ID_FIELDS
from dangvu.orgs.labels import OrganisationChoiceField
from dangvu.orgs.models import OrgKind
from dangvu.web.choosers import chooser_attrs
from dangvu.web.forms import DateField, Form

# Kinds recorded through the event form: annulment has its own form, reorganisation moves are made by
# dangvu.orgs.services together with the reorganisation decision.
FORM_EVENT_KINDS = [(k, label) for k, label in EventKind.choices if k not in {"annulment", "reorganisation"}]


# dd/mm/yyyy, and "no such date" for 31/02/1990 (dangvu.web.forms).
VnDateField = DateField


def holding_organisations(user):
    """Cells (member-holding, in force) in the user's scope for editing member records."""
    return (
        organisations_for(user, "members.edit")
        .filter(kind__in=OrgKind.member_holding(), valid_to__isnull=True)
        .order_by("name_sort", "id")
    )


def check_citizen_id(form, data: dict, *, changed=None) -> None:
    """Put what is wrong with the citizen ID's layout (dangvu.members.citizen_id) beside the field, compared
    with the sex and date of birth entered, so that it shows with the form's other errors (the services
    check it again). `changed`: the form's changed fields; the ID is checked when it, the sex or the date of
    birth changed (None: always, a new record)."""
    value = data.get("citizen_id")
    if not value or form.has_error("citizen_id"):
        return
    if changed is not None and not CITIZEN_ID_FIELDS & set(changed):
        return
    for message in citizen_id.problems(value, sex=data.get("sex"), birth_date=data.get("birth_date")):
        form.add_error("citizen_id", message)


# The form's sections, as on the member page (issue 9 item 9): fields not listed follow without a legend.
IDENTITY_SECTION = (
    _("Identity"),
    [
        "full_name",
        "other_names",
        "sex",
        "birth_date",
        "birth_place",
        "home_town",
        "residence",
        "ethnicity",
        "religion",
        "citizen_id",
        "occupation",
        "position",
    ],
)
EDUCATION_SECTION = (
    _("Education"),
    ["general_education", "professional_degree", "political_theory", "foreign_language"],
)


class IdentityFieldsMixin:
    """The 1-HSĐV identity fields, as the model declares them, with Vietnamese date input. `clean()` checks
    the citizen ID against the sex and date of birth entered (a correction: only when one of them changed)."""

    identity_is_new = True  # a new record: the citizen ID is always checked

    def clean(self):
        data = super().clean()
        check_citizen_id(self, data, changed=None if self.identity_is_new else self.changed_data)
        return data

    @staticmethod
    def identity_fields() -> dict[str, forms.Field]:
        fields = fields_for_model(Member, fields=EDITABLE_FIELDS)
        fields["birth_date"] = VnDateField(label=capfirst(Member._meta.get_field("birth_date").verbose_name))
        for name, field in fields.items():
            if name != "birth_date":
                field.label = capfirst(str(field.label))
        return fields


class OfficialDateConfirmMixin:
    """The confirmation of a derived official-membership date (issue 8 item 7). The service refuses a
    recognition dated otherwise than the end of probation (services.OfficialDateDiffers); `ask()` then puts
    the message beside the date and offers a box that confirms exactly the derived date shown, carried in a
    hidden field. The service compares it with the date it derives when saving, so a date the user did not
    see (the dates were edited meanwhile, or the rule changed) is refused again, never stored."""

    date_field = "official_date"  # where the entered date is (and the message goes)

    def add_confirm_fields(self) -> None:
        offered = self.data.get(self.add_prefix("official_date_derived")) or ""
        fields = {}
        for name, field in self.fields.items():
            fields[name] = field
            if name == self.date_field:
                fields["official_date_derived"] = VnDateField(required=False, widget=forms.HiddenInput)
                fields["official_date_confirmed"] = forms.BooleanField(
                    label=_("Store the official-membership date derived from the probation"),
                    required=False,
                    widget=forms.CheckboxInput if offered else forms.HiddenInput,
                )
        self.fields = fields
        if offered:
            self._label_confirmation(str(offered)[:10])

    def _label_confirmation(self, day: str) -> None:
        label = _("Store %(date)s as the official-membership date (the end of the probation)") % {"date": day}
        self.fields["official_date_confirmed"].label = label
        self._bound_fields_cache.pop("official_date_confirmed", None)  # built with the old label by is_valid()

    def confirmed_official_date(self):
        data = self.cleaned_data
        return data.get("official_date_derived") if data.get("official_date_confirmed") else None

    def ask(self, error) -> None:
        """Show `error` (an OfficialDateDiffers) beside the date with the box, unticked, for its date."""
        self.add_error(self.date_field, error)
        data = self.data.copy()
        derived = error.derived.strftime("%d/%m/%Y")
        data[self.add_prefix("official_date_derived")] = derived
        data.pop(self.add_prefix("official_date_confirmed"), None)
        self.data = data
        self.fields["official_date_confirmed"].widget = forms.CheckboxInput()
        self._label_confirmation(derived)


class MemberEditForm(IdentityFieldsMixin, Form):
    identity_is_new = False
    sections = [IDENTITY_SECTION, EDUCATION_SECTION, (_("Party data"), ["card_number"])]
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=255,
        help_text=_("For example the committee decision that approved it."),
    )

    # The version of the record the form was opened on (dangvu.lib.versions): a stale save is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reason = self.fields.pop("reason")
        version = self.fields.pop("version")
        self.fields.update(self.identity_fields())
        self.fields["reason"] = reason
        self.fields["version"] = version

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data if name in EDITABLE_FIELDS}


class EventForm(OfficialDateConfirmMixin, Form):
    date_field = "date"

    kind = forms.ChoiceField(label=_("Event"), choices=[("", "---------"), *FORM_EVENT_KINDS])
    date = VnDateField(label=_("Date"))
    organisation = OrganisationChoiceField(
        label=_("Cell"),
        queryset=None,
        required=False,
        help_text=_("The receiving cell for an admission or a transfer."),
    )
    external_organisation = forms.CharField(
        label=_("Organisation outside the system"),
        max_length=255,
        required=False,
        help_text=_("For transfers from or to an organisation that dangvu does not hold."),
    )
    document_number = forms.CharField(label=_("Document number"), max_length=64, required=False)
    document_date = VnDateField(label=_("Document date"), required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = holding_organisations(user)
        self.fields["organisation"].widget.attrs.update(chooser_attrs("organisations", "members.edit", cells=1))
        self.add_confirm_fields()

    def event_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("official_date_derived", None)
        data.pop("official_date_confirmed", None)
        return data


class AnnulForm(Form):
    reason = forms.CharField(
        label=_("Reason for the annulment"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    document_number = forms.CharField(label=_("Document number"), max_length=64, required=False)


class MemberCreateForm(OfficialDateConfirmMixin, IdentityFieldsMixin, Form):
    """A new record: identity, then either an admission into one of the user's cells, or an admission
    elsewhere followed by a transfer in."""

    sections = [
        IDENTITY_SECTION,
        EDUCATION_SECTION,
        (
            _("Party data"),
            [
                "cell",
                "card_number",
                "admitted_elsewhere",
                "admission_date",
                "admission_external",
                "admission_document_number",
                "admission_document_date",
                "admission_issuer",
                "official_date",
                "official_date_confirmed",
            ],
        ),
        (_("Transfer in"), ["transfer_in_date", "transfer_document_number"]),
    ]

    admitted_elsewhere = forms.BooleanField(
        label=_("Admitted in an organisation outside the system (transferred in)"), required=False
    )
    admission_date = VnDateField(label=_("Admission date"))
    admission_external = forms.CharField(
        label=_("Admitting organisation outside the system"), max_length=255, required=False
    )
    admission_document_number = forms.CharField(label=_("Admission decision number"), max_length=64, required=False)
    admission_document_date = VnDateField(label=_("Admission decision date"), required=False)
    admission_issuer = forms.CharField(label=_("Admission decided by"), max_length=255, required=False)
    official_date = VnDateField(
        label=_("Recognised as official on"), required=False, help_text=_("Leave empty for a probationary member.")
    )
    transfer_in_date = VnDateField(label=_("Transfer-in date"), required=False)
    transfer_document_number = forms.CharField(label=_("Transfer document number"), max_length=64, required=False)
    cell = OrganisationChoiceField(label=_("Cell"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        extra = dict(self.fields)
        self.fields.clear()
        self.fields.update(self.identity_fields())
        self.fields.update(extra)
        self.fields["cell"].queryset = holding_organisations(user)
        self.fields["cell"].widget.attrs.update(chooser_attrs("organisations", "members.edit", cells=1))
        self.add_confirm_fields()

    def clean(self):
        data = super().clean()
        if data.get("admitted_elsewhere"):
            if not data.get("admission_external"):
                self.add_error("admission_external", _("Name the organisation where the member was admitted."))
            if not data.get("transfer_in_date"):
                self.add_error("transfer_in_date", _("Give the date of the transfer in."))
        return data

    def member_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}

    def events(self) -> list[dict]:
        d = self.cleaned_data
        cell = d["cell"]
        elsewhere = d.get("admitted_elsewhere")
        events = [
            {
                "kind": EventKind.ADMISSION,
                "date": d["admission_date"],
                "organisation": None if elsewhere else cell,
                "external_organisation": d.get("admission_external", "") if elsewhere else "",
                "document_number": d.get("admission_document_number", ""),
                "document_date": d.get("admission_document_date"),
                "issuer": d.get("admission_issuer", ""),
            }
        ]
        if d.get("official_date"):
            events.append(
                {"kind": EventKind.OFFICIAL, "date": d["official_date"], "organisation": None if elsewhere else cell}
            )
        if elsewhere:
            events.append(
                {
                    "kind": EventKind.TRANSFER_IN,
                    "date": d["transfer_in_date"],
                    "organisation": cell,
                    "external_organisation": d.get("admission_external", ""),
                    "document_number": d.get("transfer_document_number", ""),
                }
            )
        return events
