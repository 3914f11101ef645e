"""Forms of the organisation pages and the reorganisation wizard.

Each wizard form validates what the user typed and turns it into one call of an action of
`dangvu.orgs.services` (`form.action()`): the preview runs that call inside `services.preview`, the
confirmation runs it for real. Organisations are resolved through the user's "orgs.reorganise" scope:
a posted id outside it is a 404, exactly like an out-of-scope URL, so a crafted POST learns nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.scope import Scope, organisations_for
from dangvu.orgs import services
from dangvu.orgs.models import Organisation, OrgKind
from dangvu.web.forms import DateField

REORGANISE = "orgs.reorganise"
MAX_SUCCESSORS = 10


class VNDateField(DateField):
    """A date typed as dd/mm/yyyy (ISO accepted too), shown back as dd/mm/yyyy (dangvu.web.forms.DateField)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                format="%d/%m/%Y",
                attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "size": 10},
            ),
        )
        super().__init__(**kwargs)


def _label(org: Organisation, base_depth: int) -> str:
    return f"{'— ' * max(org.depth - base_depth, 0)}{org.code} · {org.name}"


def _base_depth(user) -> int:
    scope = Scope.of(user, REORGANISE)
    if scope.everything or not scope.prefixes:
        return 1
    return min(len(p) // Organisation.steplen for p in scope.prefixes)


def _in_force(org: Organisation) -> Organisation:
    if org.valid_to is not None:
        raise ValidationError(
            _("%(org)s is no longer in force (since %(date)s)."),
            code="ended",
            params={"org": org.name, "date": org.valid_to.strftime("%d/%m/%Y")},
        )
    return org


class ScopedOrganisationField(forms.ModelChoiceField):
    """One organisation in force inside the user's reorganisation scope; out of scope is a 404."""

    def __init__(self, user, **kwargs: Any) -> None:
        queryset = organisations_for(user, REORGANISE).filter(valid_to__isnull=True).order_by("path")
        kwargs.setdefault("empty_label", _("— choose —"))
        super().__init__(queryset, **kwargs)
        self.user = user
        self.base_depth = _base_depth(user)

    def label_from_instance(self, obj: Organisation) -> str:
        return _label(obj, self.base_depth)

    def to_python(self, value: Any) -> Organisation | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Organisation):
            value = value.pk
        try:
            pk = int(value)
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None
        org = organisations_for(self.user, REORGANISE).filter(pk=pk).first()
        if org is None:
            raise Http404
        return _in_force(org)


class ScopedOrganisationsField(forms.ModelMultipleChoiceField):
    """Several organisations in force inside the user's reorganisation scope; any out of scope is a 404."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, user, **kwargs: Any) -> None:
        queryset = organisations_for(user, REORGANISE).filter(valid_to__isnull=True).order_by("path")
        super().__init__(queryset, **kwargs)
        self.user = user
        self.base_depth = _base_depth(user)

    def label_from_instance(self, obj: Organisation) -> str:
        return _label(obj, self.base_depth)

    def clean(self, value: Any) -> list[Organisation]:
        value = self.prepare_value(value)
        if not value:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if not isinstance(value, list | tuple):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        try:
            pks = list(dict.fromkeys(int(v) for v in value))
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list") from None
        found = {o.pk: o for o in organisations_for(self.user, REORGANISE).filter(pk__in=pks)}
        if len(found) != len(pks):
            raise Http404
        orgs = [_in_force(found[pk]) for pk in pks]
        self.run_validators(orgs)
        return orgs


def _kind_field(required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Kind"), choices=[("", _("— choose —")), *OrgKind.choices], required=required)


def _code_field(required: bool = True) -> forms.CharField:
    return forms.CharField(label=_("Code"), max_length=32, required=required)


def _name_field(required: bool = True, label=None) -> forms.CharField:
    return forms.CharField(label=label or _("Name"), max_length=255, required=required)


class ReorganisationForm(forms.Form):
    """The deciding document and the effective date, common to every kind of reorganisation."""

    kind: str = ""
    title: Any = ""
    help: Any = ""
    document_fields = ["effective_date", "document_number", "document_date", "issuer", "note"]

    effective_date = VNDateField(label=_("Effective date"))
    document_number = forms.CharField(label=_("Decision number"), max_length=64, help_text=_("For example 123-QĐ/TU"))
    document_date = VNDateField(label=_("Decision date"), required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, user, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.build()
        self.order_fields([f for f in self.fields if f not in self.document_fields] + self.document_fields)

    def build(self) -> None:
        """Add the fields that depend on the user (scoped organisation choices)."""

    def groups(self) -> list[tuple[Any, list]]:
        """The fields before the document, grouped for fieldsets: (legend or None, bound fields)."""
        return [(None, [self[name] for name in self.fields if name not in self.document_fields])]

    def document_group(self) -> list:
        return [self[name] for name in self.document_fields]

    def summary(self) -> list[tuple[Any, str]]:
        """What was chosen (for the preview page): (label, readable value) of each filled-in field."""
        rows = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if name in self.document_fields or value in (None, "", []):
                continue
            if isinstance(value, Organisation):
                text = value.name
            elif isinstance(value, list):
                text = ", ".join(o.name for o in value)
            elif isinstance(field, forms.ChoiceField):
                text = str(dict(field.choices).get(value, value))
            else:
                text = str(value)
            rows.append((field.label, text))
        return rows

    def clean_effective_date(self) -> dt.date:
        day = self.cleaned_data["effective_date"]
        if day > timezone.localdate():
            raise ValidationError(_("The effective date cannot be in the future."), code="future")
        return day

    def clean_document_date(self) -> dt.date | None:
        day = self.cleaned_data.get("document_date")
        if day and day > timezone.localdate():
            raise ValidationError(_("The decision date cannot be in the future."), code="future")
        return day

    def document(self) -> services.Document:
        data = self.cleaned_data
        return services.Document(
            number=data["document_number"].strip(),
            date=data.get("document_date"),
            issuer=data.get("issuer", "").strip(),
            note=data.get("note", "").strip(),
        )

    def action(self) -> tuple[Callable[..., services.Effects], tuple, dict[str, Any]]:
        """The service call this form stands for: (function, args, kwargs)."""
        raise NotImplementedError

    def result(self, effects: services.Effects) -> Organisation:
        """The organisation to show once the reorganisation is recorded."""
        raise NotImplementedError

    def check_in_scope(self, org: Organisation | None, field: str | None) -> None:
        """New organisations are created under `org`: it must be inside the user's scope too."""
        if org is not None and not Scope.of(self.user, REORGANISE).covers_path(org.path):
            self.add_error(
                field,
                ValidationError(
                    _("The new organisations would be placed under %(org)s, which is outside your responsibility."),
                    code="out_of_scope",
                    params={"org": org.name},
                ),
            )


class MergeForm(ReorganisationForm):
    kind = "merge"
    title = _("Merge organisations")
    help = _(
        "The predecessors are dissolved and kept as former organisations; their subordinate organisations "
        "and members move to the successor."
    )
    EXISTING, NEW = "existing", "new"

    def build(self) -> None:
        self.fields["predecessors"] = ScopedOrganisationsField(self.user, label=_("Organisations to merge"))
        self.fields["successor"] = forms.ChoiceField(
            label=_("Successor"),
            choices=[
                (self.EXISTING, _("Into an existing organisation (sáp nhập)")),
                (self.NEW, _("Into a new organisation (hợp nhất)")),
            ],
            initial=self.EXISTING,
            widget=forms.RadioSelect,
        )
        self.fields["into"] = ScopedOrganisationField(self.user, label=_("Existing organisation"), required=False)
        self.fields["new_code"] = _code_field(required=False)
        self.fields["new_name"] = _name_field(required=False, label=_("Name of the new organisation"))
        self.fields["new_kind"] = _kind_field(required=False)
        self.fields["parent"] = ScopedOrganisationField(
            self.user,
            label=_("Superior organisation"),
            required=False,
            help_text=_("Leave empty to use the superior of the first organisation merged."),
        )

    def groups(self) -> list[tuple[Any, list]]:
        return [
            (None, [self["predecessors"], self["successor"]]),
            (_("Existing successor"), [self["into"]]),
            (_("New successor"), [self["new_code"], self["new_name"], self["new_kind"], self["parent"]]),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("successor") == self.EXISTING:
            for name in ("new_code", "new_name", "new_kind", "parent"):
                data.pop(name, None)
            if not data.get("into"):
                self.add_error("into", ValidationError(_("Choose the organisation to merge into."), code="required"))
        elif data.get("successor") == self.NEW:
            data.pop("into", None)
            for name in ("new_code", "new_name", "new_kind"):
                if not data.get(name):
                    self.add_error(name, ValidationError(_("This field is required."), code="required"))
            predecessors = data.get("predecessors") or []
            if not data.get("parent") and predecessors:
                parent = Organisation.objects.get_parent(predecessors[0])
                self.check_in_scope(parent, "parent")
                data["parent"] = parent
        return data

    def action(self):
        data = self.cleaned_data
        args = (data["predecessors"], data["effective_date"], self.document(), self.user)
        if data["successor"] == self.EXISTING:
            return services.merge, args, {"into": data["into"]}
        spec = services.OrgSpec(data["new_code"].strip(), data["new_name"].strip(), data["new_kind"])
        return services.merge, args, {"new": spec, "parent": data.get("parent")}

    def result(self, effects):
        return effects.created[0] if effects.created else self.cleaned_data["into"]


class SplitStartForm(forms.Form):
    """First step of a split: which organisation, into how many."""

    n = forms.IntegerField(label=_("Number of successors"), min_value=2, max_value=MAX_SUCCESSORS, initial=2)

    def __init__(self, user, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"] = ScopedOrganisationField(user, label=_("Organisation to split"))
        self.order_fields(["org", "n"])


class SplitForm(ReorganisationForm):
    kind = "split"
    title = _("Split an organisation")
    help = _(
        "The organisation is dissolved and replaced by new ones under the same superior; assign each of its "
        "subordinate organisations (and, for a cell, each member) to one of the successors."
    )

    def __init__(self, user, predecessor: Organisation, count: int, *args: Any, **kwargs: Any) -> None:
        self.predecessor = predecessor
        self.count = count
        super().__init__(user, *args, **kwargs)

    def build(self) -> None:
        from dangvu.members.models import Member, Status

        pred = self.predecessor
        choices = [(str(i), _("Successor %(n)s") % {"n": i}) for i in range(1, self.count + 1)]
        for i in range(1, self.count + 1):
            self.fields[f"s{i}_code"] = _code_field()
            self.fields[f"s{i}_name"] = _name_field()
            self.fields[f"s{i}_kind"] = _kind_field()
            self.fields[f"s{i}_kind"].initial = pred.kind
        self.children = list(
            Organisation.objects.filter(
                path__startswith=pred.path, depth=pred.depth + 1, valid_to__isnull=True
            ).order_by("name_sort")
        )
        for child in self.children:
            self.fields[f"child_{child.pk}"] = forms.ChoiceField(label=child.name, choices=choices, initial="1")
        self.members = []
        if pred.holds_members:
            self.members = list(
                Member.objects.filter(organisation=pred, status__in=Status.in_party()).order_by("name_sort")
            )
            for member in self.members:
                self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                    label=member.full_name, choices=choices, initial="1"
                )

    def successor_rows(self) -> list[tuple[int, Any, Any, Any]]:
        return [(i, self[f"s{i}_code"], self[f"s{i}_name"], self[f"s{i}_kind"]) for i in range(1, self.count + 1)]

    def child_rows(self) -> list[tuple[Organisation, Any]]:
        return [(child, self[f"child_{child.pk}"]) for child in self.children]

    def member_rows(self) -> list[tuple[Any, Any]]:
        return [(member, self[f"member_{member.pk}"]) for member in self.members]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        codes = [data.get(f"s{i}_code", "").strip() for i in range(1, self.count + 1)]
        if len(set(filter(None, codes))) != len(list(filter(None, codes))):
            raise ValidationError(_("Each successor needs its own code."), code="duplicate_code")
        self.check_in_scope(Organisation.objects.get_parent(self.predecessor), None)
        return data

    def action(self):
        data = self.cleaned_data
        specs = [
            services.OrgSpec(data[f"s{i}_code"].strip(), data[f"s{i}_name"].strip(), data[f"s{i}_kind"])
            for i in range(1, self.count + 1)
        ]
        children = {child.pk: int(data[f"child_{child.pk}"]) - 1 for child in self.children}
        members = {member.pk: int(data[f"member_{member.pk}"]) - 1 for member in self.members}
        args = (self.predecessor, specs, data["effective_date"], self.document(), self.user)
        return services.split, args, {"children": children, "members": members}

    def result(self, effects):
        return effects.created[0]


class MoveForm(ReorganisationForm):
    kind = "move"
    title = _("Move an organisation to another superior")
    help = _("The organisation keeps its subordinate organisations and members; its history stays with it.")

    def build(self) -> None:
        self.fields["organisation"] = ScopedOrganisationField(self.user, label=_("Organisation to move"))
        self.fields["new_parent"] = ScopedOrganisationField(self.user, label=_("New superior organisation"))

    def action(self):
        data = self.cleaned_data
        args = (data["organisation"], data["new_parent"], data["effective_date"], self.document(), self.user)
        return services.move, args, {}

    def result(self, effects):
        return self.cleaned_data["organisation"]


class RenameForm(ReorganisationForm):
    kind = "rename"
    title = _("Rename an organisation")
    help = _("The organisation keeps its identity, members and history; the former name stays in its history.")

    def build(self) -> None:
        self.fields["organisation"] = ScopedOrganisationField(self.user, label=_("Organisation to rename"))
        self.fields["new_name"] = _name_field(label=_("New name"))
        self.fields["new_code"] = _code_field(required=False)
        self.fields["new_code"].label = _("New code")
        self.fields["new_code"].help_text = _("Leave empty to keep the code.")

    def action(self):
        data = self.cleaned_data
        args = (data["organisation"], data["new_name"], data["effective_date"], self.document(), self.user)
        return services.rename, args, {"new_code": data.get("new_code", "").strip() or None}

    def result(self, effects):
        return self.cleaned_data["organisation"]


class DissolveForm(ReorganisationForm):
    kind = "dissolve"
    title = _("Dissolve an organisation")
    help = _(
        "Only an organisation without subordinate organisations or members can be dissolved; it is kept, "
        "greyed, with its history."
    )

    def build(self) -> None:
        self.fields["organisation"] = ScopedOrganisationField(self.user, label=_("Organisation to dissolve"))

    def action(self):
        data = self.cleaned_data
        return services.dissolve, (data["organisation"], data["effective_date"], self.document(), self.user), {}

    def result(self, effects):
        return self.cleaned_data["organisation"]


class EstablishForm(ReorganisationForm):
    kind = "establish"
    title = _("Establish a new organisation")
    help = _("The new organisation is placed under a superior organisation in your responsibility.")

    def build(self) -> None:
        self.fields["parent"] = ScopedOrganisationField(self.user, label=_("Superior organisation"))
        self.fields["code"] = _code_field()
        self.fields["name"] = _name_field()
        self.fields["org_kind"] = _kind_field()

    def action(self):
        data = self.cleaned_data
        spec = services.OrgSpec(data["code"].strip(), data["name"].strip(), data["org_kind"])
        return services.establish, (data["parent"], spec, data["effective_date"], self.document(), self.user), {}

    def result(self, effects):
        return effects.created[0]


WIZARD_FORMS: dict[str, type[ReorganisationForm]] = {
    form.kind: form for form in (MergeForm, SplitForm, MoveForm, RenameForm, DissolveForm, EstablishForm)
}


class MembersOnForm(forms.Form):
    """Detail page: how many members the organisation had on a past date."""

    on = VNDateField(label=_("Members on"))

    def clean_on(self) -> dt.date:
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise ValidationError(_("Choose a date that is not in the future."), code="future")
        return day
