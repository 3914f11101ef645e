"""Form pieces shared by every page.

`Renderer` (settings.FORM_RENDERER) renders every form of the project the same way (issue 9 item 9): a
summary at the top that states the form's own errors and links to each field in error, then each field
with its label, widget, help and its errors right after the widget (`<ul id="<field id>_error">`, which the
widget names in `aria-describedby`, with `aria-invalid`). A form of this module's `Form` may declare
`sections`, a list of (legend, field names): the fields are then grouped in fieldsets with those legends.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

from dangvu.lib.dates import no_such_date

# dd/mm/yyyy as written in Vietnam (also with - or .), and ISO (what <input type=date> and API clients send).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class DateField(forms.DateField):
    """A date typed as dd/mm/yyyy, shown back as dd/mm/yyyy. Text that is not a date is asked for as
    dd/mm/yyyy; a date written right that does not exist (31/02/1990) is told so."""

    default_error_messages = {"invalid": _("Write the date as dd/mm/yyyy.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            impossible = no_such_date(value) if isinstance(value, str) else None
            if impossible is not None:
                raise ValidationError(impossible.message, code="no_such_date") from None
            raise


class Renderer(DjangoTemplates):
    """The project's form templates (dangvu/web/templates/web/forms/)."""

    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"


class Section:
    """A group of a form's fields shown in one fieldset."""

    def __init__(self, legend, fields: list):
        self.legend = legend
        self.fields = fields  # bound fields, visible ones only

    @property
    def has_errors(self) -> bool:
        return any(field.errors for field in self.fields)


class Form(forms.Form):
    """The base of the site's forms. A service's refusal (DomainError) given by field is shown beside those
    fields; a field the form does not have (e.g. the citizen ID when an admission step creates the member
    record) goes to the form's own errors instead of failing.

    `sections`: [(legend, [field names])]; fields not named go to a last group without a legend."""

    sections: list[tuple[str, list[str]]] = []

    def fieldsets(self) -> list[Section]:
        """The visible fields grouped by `sections` (empty when the form declares none)."""
        if not self.sections:
            return []
        visible = {field.name: field for field in self.visible_fields()}
        groups = []
        for legend, names in self.sections:
            fields = [visible.pop(name) for name in names if name in visible]
            if fields:
                groups.append(Section(legend, fields))
        if visible:
            groups.append(Section("", list(visible.values())))
        return groups

    def add_error(self, field, error):
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            mine: dict[str, list] = {}
            for name, errors in error.error_dict.items():
                key = name if name in self.fields else NON_FIELD_ERRORS
                mine.setdefault(key, []).extend(errors)
            error = ValidationError(mine)
        super().add_error(field, error)
