"""Forms for admission files. They only parse and shape input; the rules live in
dangvu.admission.services, whose DomainError messages the views attach to the form (nothing is written
when they refuse)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.forms.models import fields_for_model
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.scope import members_for, organisations_for
from dangvu.admission.models import Candidate, MassOrg, Stage
from dangvu.admission.services import ALLOWED_UPLOADS, IDENTITY_FIELDS, live_steps, over_age, step_cell
from dangvu.members.forms import EDUCATION_SECTION, IDENTITY_SECTION, VnDateField, check_citizen_id
from dangvu.members.models import Member, Status
from dangvu.orgs.labels import OrganisationChoiceField, PersonChoiceField, org_labels
from dangvu.orgs.models import Organisation, OrgKind
from dangvu.rules.registry import rules_on
from dangvu.web.choosers import chooser_attrs
from dangvu.web.forms import Form

NOTE_WIDGET = forms.Textarea(attrs={"rows": 2})


def proposing_cells(user) -> QuerySet[Organisation]:
    """Cells in force in which the user may open admission files."""
    return (
        organisations_for(user, "admission.propose")
        .filter(kind__in=OrgKind.member_holding(), valid_to__isnull=True)
        .order_by("name_sort", "id")
    )


class CandidateCreateForm(Form):
    """A new file: the person's identity (as on a member record) and their entry on the cell's list of
    outstanding masses (or, when the rule set allows it, the reason that step is waived)."""

    sections = [
        IDENTITY_SECTION,
        EDUCATION_SECTION,
        (_("Outstanding masses list"), ["cell", "date", "document_number", "note", "waive_reason"]),
    ]

    cell = OrganisationChoiceField(label=_("Cell"), queryset=None)
    date = VnDateField(label=_("Date put on the list of outstanding masses"))
    document_number = forms.CharField(label=_("Document number"), max_length=64, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=NOTE_WIDGET)
    waive_reason = forms.CharField(
        label=_("Waive the list step: reason"),
        max_length=1000,
        required=False,
        widget=NOTE_WIDGET,
        help_text=_("Only when the candidate was not on the list and the rule set allows waiving that step."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        extra = dict(self.fields)
        self.fields.clear()
        identity = fields_for_model(Candidate, fields=IDENTITY_FIELDS)
        identity["birth_date"] = VnDateField(label=capfirst(Candidate._meta.get_field("birth_date").verbose_name))
        for field in identity.values():
            field.label = capfirst(str(field.label))
        self.fields.update(identity)
        self.fields.update(extra)
        self.fields["cell"].queryset = proposing_cells(user)
        self.fields["cell"].widget.attrs.update(chooser_attrs("organisations", "admission.propose", cells=1))

    def clean(self):
        data = super().clean()
        check_citizen_id(self, data)  # beside the field, with the form's other errors
        return data

    def identity(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in IDENTITY_FIELDS}
        data["citizen_id"] = data["citizen_id"] or None
        return data


class AnnulStepForm(Form):
    prefix = "annul"  # the candidate page holds several forms: their field ids must differ
    reason = forms.CharField(label=_("Reason for the annulment"), max_length=1000, widget=NOTE_WIDGET)


class WithdrawForm(Form):
    prefix = "withdraw"
    reason = forms.CharField(label=_("Reason for closing the file"), max_length=1000, widget=NOTE_WIDGET)


def grassroots_of(cell: Organisation) -> Organisation:
    """The grassroots organisation (đảng bộ cơ sở or chi bộ cơ sở) the cell belongs to: itself or its
    nearest grassroots ancestor."""
    step = Organisation.steplen
    paths = [cell.path[:end] for end in range(step, len(cell.path) + 1, step)]
    found = Organisation.objects.filter(path__in=paths, kind__in=OrgKind.grassroots()).order_by("-depth").first()
    return found or cell


def introducer_choices(user, candidate: Candidate) -> QuerySet[Member]:
    """Official members of the candidate's grassroots organisation that the user may see; the
    candidate's own cell first."""
    base = grassroots_of(candidate.organisation)
    return (
        members_for(user)
        .filter(organisation__path__startswith=base.path, status=Status.OFFICIAL)
        .select_related("organisation")
        .annotate(
            same_cell=Case(
                When(organisation_id=candidate.organisation_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("same_cell", "name_sort", "id")
    )


def exempt_members(user, candidate: Candidate) -> QuerySet[Member]:
    """Official members of the voting cell exempt from activities now (members.vote_base)."""
    cell = step_cell(candidate, timezone.localdate())
    return (
        members_for(user)
        .filter(organisation=cell, status=Status.OFFICIAL, is_exempt=True, is_away=False, is_suspended=False)
        .order_by("name_sort")
    )


class IntroducerChoice(PersonChoiceField):
    """Introducers come from any cell in scope: each is named with their cell (labelled as everywhere)."""

    def compute_labels(self, objects: list[Member]) -> dict[int, str]:
        cells = org_labels(m.organisation for m in objects)
        return {m.pk: f"{m.full_name} ({cells[m.organisation_id]})" for m in objects}


def _accept() -> str:
    return ",".join(sorted(ALLOWED_UPLOADS))


class StepForm(Form):
    """One step of the file. The fields depend on the step: votes for resolutions, the committee's size
    for the committee resolution, introducers and the recommending organisation for the introduction,
    the decision on official membership, and the reason when earlier steps are waived."""

    stage = forms.CharField(widget=forms.HiddenInput)
    date = VnDateField(label=_("Date"))
    document_number = forms.CharField(label=_("Document number"), max_length=64, required=False)
    document_date = VnDateField(label=_("Document date"), required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    file = forms.FileField(
        label=_("Scanned document"),
        required=False,
        help_text=_("PDF, DOCX, XLSX or image."),
        widget=forms.ClearableFileInput(attrs={"accept": _accept()}),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=NOTE_WIDGET)

    def __init__(self, *args, stage: str, candidate: Candidate, user, missing: list[str] | None = None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("date", timezone.localdate())
        kwargs["initial"]["stage"] = stage
        super().__init__(*args, **kwargs)
        self.stage = stage
        self.missing = missing or []
        note = self.fields.pop("note")
        if stage in Stage.voted():
            self.fields["votes_for"] = forms.IntegerField(label=_("Votes in favour"), min_value=0)
            self.fields["votes_against"] = forms.IntegerField(label=_("Votes against"), min_value=0, required=False)
        if stage in {Stage.CELL_RESOLUTION, Stage.OFFICIAL_RESOLUTION}:
            self.fields["exempt_attending"] = forms.ModelMultipleChoiceField(
                label=_("Exempt members who attended and voted"),
                queryset=exempt_members(user, candidate),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("A member exempt from activities who attends and votes counts in the base."),
            )
        if stage == Stage.COMMITTEE_RESOLUTION:
            self.fields["votes_eligible"] = forms.IntegerField(
                label=_("Members of the committee"), min_value=1, help_text=_("Everyone entitled to vote.")
            )
        self.introducer_slots = range(0)
        if stage == Stage.INTRODUCTION:
            # As many introducers as the rule set in force today asks for (the Youth Union may stand for one).
            self.introducer_slots = range(1, max(1, rules_on(timezone.localdate())["admission.introducers"]) + 1)
            choices = introducer_choices(user, candidate)
            chooser = chooser_attrs("members", "members.view", organisation=grassroots_of(candidate.organisation).pk)
            for i in self.introducer_slots:
                self.fields[f"introducer_{i}"] = IntroducerChoice(
                    label=_("Introducer %(n)s") % {"n": i}, queryset=choices, required=i == 1
                )
                self.fields[f"introducer_{i}"].widget.attrs.update(chooser)
                self.fields[f"since_{i}"] = VnDateField(label=_("Working with the candidate since"), required=i == 1)
            self.fields["mass_org"] = forms.ChoiceField(
                label=_("Recommending organisation"), choices=MassOrg.choices, required=False
            )
        if stage == Stage.DECISION and over_age(candidate, live_steps(candidate)):
            self.fields["age_approval"] = forms.CharField(
                label=_("Approval over the age limit"),
                max_length=255,
                help_text=_(
                    "The candidate was over the maximum age at the cell resolution: the number and date of the "
                    "approval of the committee directly under the Central Committee (Regulation 294-QĐ/TW)."
                ),
            )
        if stage == Stage.OFFICIAL_DECISION:
            self.fields["recognised"] = forms.TypedChoiceField(
                label=_("Decision"),
                choices=[
                    ("", _("As the cell proposed")),
                    ("yes", _("Recognised as official member")),
                    ("no", _("Not recognised: removed")),
                ],
                coerce=lambda v: v == "yes",
                empty_value=None,
                required=False,
            )
        self.fields["note"] = note
        if self.missing:
            self.fields["waive_reason"] = forms.CharField(
                label=_("Waive the missing earlier steps: reason"), max_length=1000, widget=NOTE_WIDGET
            )

    def clean_stage(self) -> str:
        if self.cleaned_data["stage"] != self.stage:
            raise forms.ValidationError(_("The file changed meanwhile: check the timeline and try again."))
        return self.stage

    def clean(self):
        data = super().clean()
        if self.stage == Stage.INTRODUCTION:
            for i in self.introducer_slots[1:]:
                if data.get(f"introducer_{i}") and not data.get(f"since_{i}"):
                    self.add_error(f"since_{i}", _("Give the date for introducer %(n)s.") % {"n": i})
        return data

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        kwargs: dict[str, Any] = {
            "date": d["date"],
            "document_number": d.get("document_number", ""),
            "document_date": d.get("document_date"),
            "issuer": d.get("issuer", ""),
            "note": d.get("note", ""),
            "file": d.get("file") or None,
        }
        if self.stage in Stage.voted():
            kwargs["votes_for"] = d.get("votes_for")
            kwargs["votes_against"] = d.get("votes_against")
        if "exempt_attending" in self.fields:
            kwargs["exempt_attending"] = list(d.get("exempt_attending") or [])
        if self.stage == Stage.COMMITTEE_RESOLUTION:
            kwargs["votes_eligible"] = d.get("votes_eligible")
        if self.stage == Stage.INTRODUCTION:
            introducers: list[tuple[Member, dt.date]] = []
            for i in self.introducer_slots:
                if d.get(f"introducer_{i}"):
                    introducers.append((d[f"introducer_{i}"], d[f"since_{i}"]))
            kwargs["introducers"] = introducers
            kwargs["mass_org"] = d.get("mass_org", "")
        if "age_approval" in self.fields:
            kwargs["age_approval"] = d.get("age_approval", "")
        if self.stage == Stage.OFFICIAL_DECISION:
            kwargs["recognised"] = d.get("recognised")
        if self.missing:
            kwargs["waive_reason"] = d.get("waive_reason", "")
        return kwargs
