"""Remediation deadlines in the one alerts list (dangvu.alerts.sources), for those who see the inspection or
supervision (`inspection.view`): open remediation items due within the horizon or overdue."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangvu.alerts.sources import KIND_LABELS, Alert, source
from dangvu.inspection.access import activities_for
from dangvu.inspection.models import Remediation

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
