"""Early warnings on resolution targets in the one alerts list (dangvu.alerts.sources), for those who see the
targets of the resolution's organisation (`targets.view`: the office, the leader): while a term runs, each
quantitative target whose result projected to the end of the term stays under `target.warning_percent` of it
(dangvu.targets.dashboard.warning). A warning is not a deadline: it is due at the end of the term and never
overdue, and it is listed whatever the horizon of the deadlines, as long as the term runs.

One query when no resolution of a running term has targets in the user's scope; otherwise the projection's
queries per target (the dashboard's), at most `TARGETS_MAX` targets."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.scope import Scope
from dangvu.alerts.sources import KIND_LABELS, Alert, source
from dangvu.rules.registry import rules_on
from dangvu.targets.access import VIEW
from dangvu.targets.dashboard import warning
from dangvu.targets.models import Kind, Target
from dangvu.targets.projection import progress

TARGET_WARNING = "target_warning"
KIND_LABELS[TARGET_WARNING] = _("Target at risk at the present pace")
TARGETS_MAX = 40


@source
def target_warnings(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    scope = Scope.of(user, VIEW)
    if scope.empty:
        return []
    targets = list(
        Target.objects.filter(
            scope.q("resolution__organisation__path"),
            resolution__term__start__lte=today,
            resolution__term__end__gte=today,
        )
        .exclude(kind=Kind.QUALITATIVE)
        .select_related("resolution__term", "resolution__organisation")
        .order_by("resolution__organisation__path", "resolution_id", "position")[:TARGETS_MAX]
    )
    if not targets:
        return []
    values = rules_on(today)
    alerts = []
    for target in targets:
        text = warning(target, progress(target, today), today, values)
        if not text:
            continue
        org = target.resolution.organisation
        alerts.append(
            Alert(
                kind=TARGET_WARNING,
                subject=f"{target.resolution.number} ({target.position})",
                detail=text,
                organisation_id=org.pk,
                organisation_name=org.name,
                due=target.resolution.term.end,
                overdue=False,
                url=f"{reverse('targets:dashboard')}?organisation={org.pk}&term={target.resolution.term_id}"
                f"#target-{target.pk}",
                object_id=target.pk,
            )
        )
    return alerts
