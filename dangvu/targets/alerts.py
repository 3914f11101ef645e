"""Early warnings on resolution targets in the one alerts list (dangvu.alerts.sources), for those who see the
targets of the resolution's organisation (`targets.view`: the office, the leader): while a term runs, each
quantitative target whose result projected to the end of the term stays under `target.warning_percent` of it
(dangvu.targets.dashboard.warning). A warning is not a deadline: it is due at the end of the term and never
overdue, and it is listed whatever the horizon of the deadlines, as long as the term runs.

One query when no resolution of a running term has targets in the user's scope; otherwise the projection's
queries per target (the dashboard's), at most `TARGETS_MAX` targets. The warnings are therefore kept in
Django's cache (Redis with REDIS_URL, else the process's memory) per scope (the organisations whose subtrees
the user sees), day and language, under the version `VERSION`: the services that change a target, a result
entered by hand or a resolution bump it (dangvu.lib.cacheversion), so such a change shows at once. A change
in the records counted (an admission, a meeting) or a new rule set shows at the latest after
`cache_seconds()` (an hour with Redis; five minutes in a process's own memory, which the other processes'
bumps do not reach) or the next day."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.scope import Scope
from dangvu.alerts.sources import KIND_LABELS, Alert, source
from dangvu.lib import cacheversion
from dangvu.rules.registry import rules_on
from dangvu.targets.access import VIEW
from dangvu.targets.dashboard import warning
from dangvu.targets.models import Kind, Target
from dangvu.targets.projection import progress

TARGET_WARNING = "target_warning"
KIND_LABELS[TARGET_WARNING] = _("Target at risk at the present pace")
TARGETS_MAX = 40
VERSION = "targets"  # bumped by dangvu.targets.services and by dangvu.docregister.services for a resolution


def cache_seconds() -> int:
    return 3600 if settings.REDIS_URL else 300


def _cache_key(scope: Scope, today: dt.date) -> str:
    where = "*" if scope.everything else "|".join(scope.prefixes)
    digest = hashlib.sha256(where.encode()).hexdigest()[:32]
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"targets:warnings:{cacheversion.current(VERSION)}:{today.isoformat()}:{language}:{digest}"


@source
def target_warnings(user, today: dt.date, horizon: dt.date) -> list[Alert]:
    scope = Scope.of(user, VIEW)
    if scope.empty:
        return []
    key = _cache_key(scope, today)
    found = cache.get(key)
    if found is None:
        found = _warnings(scope, today)
        cache.set(key, found, cache_seconds())
    return found


def _warnings(scope: Scope, today: dt.date) -> list[Alert]:
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
