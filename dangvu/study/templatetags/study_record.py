"""Training on the member's record (issue 14 item 5): the courses completed with their certificates and the
courses in progress, on the member page (whoever may open that page sees them; one query)."""

from __future__ import annotations

from django import template

from dangvu.study.models import Enrolment

register = template.Library()


@register.inclusion_tag("study/_member_training.html")
def member_training(member) -> dict:
    rows = list(
        Enrolment.objects.filter(member=member, withdrawn_on__isnull=True)
        .select_related("course__organisation")
        .order_by("-course__starts_on", "-pk")
    )
    return {"enrolments": rows}
