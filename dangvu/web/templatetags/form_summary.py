"""`{% form_summary form %}`: the summary on top of a form with errors (issue 9 item 9) — the form's own
errors (and those of its hidden fields) in full, then a link to each field in error with its first message."""

from __future__ import annotations

from django import template

register = template.Library()


def summary_context(form) -> dict:
    own = list(form.non_field_errors())
    for field in form.hidden_fields():
        own.extend(field.errors)
    fields = [field for field in form.visible_fields() if field.errors]
    return {"form": form, "own": own, "fields": fields, "show": bool(own or fields)}


@register.inclusion_tag("web/forms/summary.html")
def form_summary(form) -> dict:
    return summary_context(form)
