"""Remediation deadlines in the one alerts list (dangvu.alerts.sources), for those who see the inspection or
supervision (`inspection.view`): open remediation items due within the horizon or overdue, and the open
issues of the review suggestions sent in the subtree."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangvu.alerts.sources import KIND_LABELS, Alert, source
from dangvu.inspection.access import activities_for, suggestions_for
from dangvu.inspection.models import Remediation, SuggestionIssue

REMEDIATION_DUE = "inspection_remediation"
KIND_LABELS[REMEDIATION_DUE] = _("Remediation after an inspection or supervision due")


@source
def remediation(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    items = Remediation.objects.filter(
        activity__in=activities_for(user), closed_on__isnull=True, deadline__lte=horizon
    ).select_related("activity__organisation")
    return [
        Alert(
            kind=REMEDIATION_DUE,
            subject=item.owner,
            detail=item.description[:200],
            organisation_id=item.activity.organisation_id,
            organisation_name=item.activity.organisation.name,
            due=item.deadline,
            overdue=item.deadline < today,
            url=reverse("inspection:activity", args=[item.activity_id]),
            object_id=item.pk,
        )
        for item in items
    ]


SUGGESTION_DUE = "inspection_suggestion"
KIND_LABELS[SUGGESTION_DUE] = _("Issue of a review suggestion to remedy")


@source
def suggestion_issues(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    """Open issues of review suggestions sent in the subtree, due within the horizon or overdue (one query)."""
    issues = SuggestionIssue.objects.filter(
        suggestion__in=suggestions_for(user), closed_on__isnull=True, deadline__lte=horizon
    ).select_related("suggestion__organisation", "suggestion__member")
    return [
        Alert(
            kind=SUGGESTION_DUE,
            subject=issue.suggestion.member.full_name
            if issue.suggestion.member_id
            else issue.suggestion.organisation.name,
            detail=issue.text[:200],
            organisation_id=issue.suggestion.organisation_id,
            organisation_name=issue.suggestion.organisation.name,
            due=issue.deadline,
            overdue=issue.deadline < today,
            url=reverse("inspection:suggestion", args=[issue.suggestion_id]),
            object_id=issue.pk,
        )
        for issue in issues
    ]
