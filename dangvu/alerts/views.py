"""The deadlines page: everything due soon or overdue that the user may see (dangvu.alerts.sources), in one
list, overdue first, then by due date (issue 9 item 7). Any signed-in user may open it: a plain member sees
their own items only (the sources limit each list to the user's scope).

Filters (GET, combined): `when` (overdue / soon), `kind` (one kind of deadline) and, for staff, `organisation`
(an organisation of their scope: the items of its subtree; outside the scope a 404). The counters are links
that set a filter: overdue / due soon / all count the items of the other filters, each kind's counter the
items of the other filters. Organisations are named with the shared label (dangvu.orgs.labels). A fixed
number of queries whatever the number of items (the sources', then one for the organisations' paths and
names, two for the labels); the list is paginated.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from dangvu.accounts.scope import get_organisation_or_404, has_capability, scope_options
from dangvu.alerts.sources import KIND_LABELS, Alert, due_items
from dangvu.orgs.labels import org_labels
from dangvu.orgs.models import Organisation

CAPABILITY = "alerts.view"
WHEN = {"overdue": True, "soon": False}


def summary(items: list[Alert]) -> dict[str, int]:
    overdue = sum(1 for a in items if a.overdue)
    return {"overdue": overdue, "soon": len(items) - overdue, "total": len(items)}


@dataclass
class AlertFilter:
    when: str = ""
    kind: str = ""
    organisation: Organisation | None = None

    @classmethod
    def from_request(cls, request) -> AlertFilter:
        params = request.GET
        found = cls(
            when=params.get("when", "") if params.get("when") in WHEN else "",
            kind=params.get("kind", "") if params.get("kind") in KIND_LABELS else "",
        )
        org_id = str(params.get("organisation") or "")
        if org_id.isdigit() and int(org_id) < 2**31 and has_capability(request.user, CAPABILITY):
            found.organisation = get_organisation_or_404(request.user, int(org_id), CAPABILITY)
        return found

    def keep(self, alert: Alert, paths: dict[int, str], *, when: bool = True, kind: bool = True) -> bool:
        if when and self.when and alert.overdue != WHEN[self.when]:
            return False
        if kind and self.kind and alert.kind != self.kind:
            return False
        if self.organisation is not None:
            return paths.get(alert.organisation_id, "").startswith(self.organisation.path)
        return True

    @property
    def active(self) -> bool:
        return bool(self.when or self.kind or self.organisation)


@login_required
def alert_list(request):
    today = timezone.localdate()
    items = due_items(request.user, today)  # overdue first, then by due date
    orgs = Organisation.objects.filter(pk__in={a.organisation_id for a in items if a.organisation_id}).only(
        "id", "path", "name", "name_search"
    )
    orgs = list(orgs) if items else []
    paths = {o.pk: o.path for o in orgs}
    labels = org_labels(orgs)
    chosen = AlertFilter.from_request(request)
    shown = [a for a in items if chosen.keep(a, paths)]
    by_kind: dict[str, int] = {}
    for a in items:
        if chosen.keep(a, paths, kind=False):
            by_kind[a.kind] = by_kind.get(a.kind, 0) + 1
    page = Paginator(shown, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(a, labels.get(a.organisation_id) or a.organisation_name) for a in page.object_list]
    staff = has_capability(request.user, CAPABILITY)
    options = scope_options(request.user, CAPABILITY, chosen.organisation) if staff else []
    context = {
        "today": today,
        "filter": chosen,
        "summary": summary([a for a in items if chosen.keep(a, paths, when=False)]),
        "kinds": sorted(((kind, str(KIND_LABELS[kind]), n) for kind, n in by_kind.items()), key=lambda k: k[1]),
        "kind_options": sorted(((kind, str(label)) for kind, label in KIND_LABELS.items()), key=lambda k: k[1]),
        "org_options": options,
        "page": page,
        "rows": rows,
        "anything_due": bool(items),
    }
    return render(request, "alerts/list.html", context)
