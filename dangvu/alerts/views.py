"""The deadlines page: everything due soon or overdue that the user may see (dangvu.alerts.sources), grouped
by organisation. Any signed-in user may open it: a plain member sees their own items only (the sources
limit each list to the user's scope)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from dangvu.alerts.sources import Alert, due_items


def summary(items: list[Alert]) -> dict[str, int]:
    overdue = sum(1 for a in items if a.overdue)
    return {"overdue": overdue, "soon": len(items) - overdue, "total": len(items)}


def by_organisation(items: list[Alert]) -> list[tuple[str, list[Alert]]]:
    """Groups in name order; inside a group the items keep due_items' order (overdue first, then date)."""
    groups: dict[tuple[str, int], list[Alert]] = {}
    for alert in items:
        groups.setdefault((alert.organisation_name, alert.organisation_id), []).append(alert)
    return [(name, rows) for (name, _pk), rows in sorted(groups.items(), key=lambda kv: kv[0])]


@login_required
def alert_list(request):
    today = timezone.localdate()
    items = due_items(request.user, today)
    context = {"today": today, "summary": summary(items), "groups": by_organisation(items)}
    return render(request, "alerts/list.html", context)
