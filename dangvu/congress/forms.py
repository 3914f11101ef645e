"""Forms of the congress pages. Each only parses; the rules are checked by dangvu.congress.services and
tallies, whose refusals are shown beside the fields (dangvu.web.forms.Form)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.congress.models import CongressKind, DelegateRole, ElectionKind, Invalid, Source
from dangvu.congress.rules import EXCUSED, RECORDED
from dangvu.web.forms import DateField, Form


class CongressForm(Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    term = forms.TypedChoiceField(label=_("Term"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind of congress"), choices=CongressKind.choices)
    starts_on = DateField(label=_("Opens on"))
    ends_on = DateField(label=_("Closes on"))
    place = forms.CharField(label=_("Place"), max_length=255, required=False)

    def __init__(self, *args, organisations, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations
        self.fields["term"].choices = [(t.pk, t.code) for t in terms]


class DelegateForm(Form):
    member = forms.TypedChoiceField(label=_("Member"), coerce=int)
    role = forms.ChoiceField(label=_("Role"), choices=DelegateRole.choices)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = members


class ExcusedForm(Form):
    excused = forms.ChoiceField(
        label=_("Not in the base because"),
        required=False,
        choices=[("", _("In the base (attending)")), *((k, EXCUSED[k]) for k in ("exempt_absent", *RECORDED))],
        widget=forms.Select(attrs={"aria-label": _("Not in the base because")}),
    )
    note = forms.CharField(
        label=_("Note"), max_length=255, required=False, widget=forms.TextInput(attrs={"aria-label": _("Note")})
    )


class ElectionForm(Form):
    kind = forms.ChoiceField(label=_("Election"), choices=ElectionKind.choices)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=999)


class CandidateForm(Form):
    member = forms.TypedChoiceField(label=_("Member"), coerce=int)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    consent = forms.IntegerField(label=_("Agreeing"), min_value=0, required=False)
    present = forms.IntegerField(label=_("Present"), min_value=0, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = members
        self.fields["consent"].help_text = _("For a nomination from the floor or a self-nomination: the vote on it.")


class TallyForm(Form):
    issued = forms.IntegerField(label=_("Ballots issued"), min_value=0)
    valid = forms.IntegerField(label=_("Valid ballots"), min_value=0)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Invalid.choices:
            self.fields[f"invalid_{value}"] = forms.IntegerField(
                label=_("Invalid: %(reason)s") % {"reason": label}, min_value=0, required=False, initial=0
            )
        for candidate in candidates:
            self.fields[f"votes_{candidate.pk}"] = forms.IntegerField(
                label=candidate.member.full_name, min_value=0, required=False, initial=0
            )
        self.candidates = list(candidates)

    def figures(self) -> dict:
        data = self.cleaned_data
        return {
            "issued": data["issued"],
            "valid": data["valid"],
            "invalid": {value: data.get(f"invalid_{value}") or 0 for value in Invalid.values},
            "votes": {c.pk: data.get(f"votes_{c.pk}") or 0 for c in self.candidates},
        }


class BallotForm(Form):
    kept = forms.TypedMultipleChoiceField(
        label=_("Names kept on the ballot"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    invalid = forms.ChoiceField(label=_("Invalid because"), required=False, choices=[("", "—"), *Invalid.choices])

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kept"].choices = [(c.pk, c.member.full_name) for c in candidates]


class FurtherRoundForm(Form):
    candidates = forms.TypedMultipleChoiceField(
        label=_("Candidates of the further round"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].choices = [(c.pk, c.member.full_name) for c in candidates]


class AddendumForm(Form):
    text = forms.CharField(label=_("Correction"), widget=forms.Textarea(attrs={"rows": 3}))
