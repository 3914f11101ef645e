"""The member's discipline on the member page (issue 12 item 2): the decisions in force and annulled, for the
member themself and `discipline.view` over the member's cell."""

from __future__ import annotations

from django import template

from dangvu.accounts.scope import Scope
from dangvu.discipline.access import decided_for_member

register = template.Library()


@register.inclusion_tag("discipline/_member.html", takes_context=True)
def member_discipline(context, member) -> dict:
    user = context["request"].user
    cases = decided_for_member(user, member)
    may_open_case = Scope.of(user, "discipline.cases").covers_path(member.organisation.path)
    return {"cases": cases, "may_open_case": may_open_case, "request": context["request"]}
