"""The deadlines page: everything due soon or overdue that the user may see (dangvu.alerts.sources), grouped
by organisation. Any signed-in user may open it: a plain member sees their own items only (the sources
limit each list to the user's scope)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from dangvu.alerts.sources import Alert, due_items
from dangvu.orgs.labels import labels_by_id


def summary(items: list[Alert]) -> dict[str, int]:
    overdue = sum(1 for a in items if a.overdue)
    return {"overdue": overdue, "soon": len(items) - overdue, "total": len(items)}


def by_organisation(items: list[Alert]) -> list[tuple[str, list[Alert]]]:
    """Groups named with the shared organisation label (dangvu.orgs.labels: a repeated name gets its
    parent), in label order; inside a group the items keep due_items' order (overdue first, then date)."""
    labels = labels_by_id(alert.organisation_id for alert in items)
    groups: dict[tuple[str, int], list[Alert]] = {}
    for alert in items:
        name = labels.get(alert.organisation_id) or alert.organisation_name
        groups.setdefault((name, alert.organisation_id), []).append(alert)
    return [(name, rows) for (name, _pk), rows in sorted(groups.items(), key=lambda kv: kv[0])]


@login_required
def alert_list(request):
    today = timezone.localdate()
    items = due_items(request.user, today)
    context = {"today": today, "summary": summary(items), "groups": by_organisation(items)}
    return render(request, "alerts/list.html", context)
