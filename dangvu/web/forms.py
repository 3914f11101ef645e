"""Form pieces shared by every page."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
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


class Form(forms.Form):
    """The base of the site's forms. A service's refusal (DomainError) given by field is shown beside those
    fields; a field the form does not have (e.g. the citizen ID when an admission step creates the member
    record) goes to the form's own errors instead of failing."""

    def add_error(self, field, error):
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            mine: dict[str, list] = {}
            for name, errors in error.error_dict.items():
                key = name if name in self.fields else NON_FIELD_ERRORS
                mine.setdefault(key, []).extend(errors)
            error = ValidationError(mine)
        super().add_error(field, error)
