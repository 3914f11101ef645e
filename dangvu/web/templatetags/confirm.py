"""`{% confirm_attrs "close_vote" %}` inside a <form> tag: the form asks before an irreversible action
(dangvu.web.confirm)."""

from django import template

from dangvu.web import confirm

register = template.Library()


@register.simple_tag
def confirm_attrs(action: str, when_field: str = "", when_value: str = ""):
    return confirm.attrs(action, **({when_field: when_value} if when_field else {}))
