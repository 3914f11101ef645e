"""`{% once_field %}` inside a creating form: its one-time token (dangvu.web.once)."""

from django import template

from dangvu.web import once

register = template.Library()


@register.simple_tag(takes_context=True)
def once_field(context) -> str:
    request = context.get("request")
    return once.field(request) if request is not None else ""
