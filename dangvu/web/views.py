from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone

from dangvu.accounts.scope import has_capability, home_organisations, members_for
from dangvu.members.models import MemberEvent, Status
from dangvu.orgs.models import Organisation
from dangvu.web import dashboards
from dangvu.web.member_home import member_home


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the site's icon (no 404)."""
    return redirect(static("dangvu/favicon.svg"), permanent=True)


@login_required
def home(request):
    """A plain member's home (dangvu.web.member_home); the cell secretary's, leader's and inspector's work
    (dangvu.web.dashboards); for the office and the administrator the dashboard: members by status, by
    organisation, and changes this year — all within scope."""
    if not has_capability(request.user, "dashboard.view"):
        if request.user.member_id:
            return member_home(request)
        return render(request, "web/no_role.html", status=403)
    if not has_capability(request.user, dashboards.OFFICE_CAPABILITY):
        context = dashboards.role_context(request.user, dashboards.roles_of(request.user))
        return render(request, "web/dashboard_roles.html", context)
    members = members_for(request.user)
    by_status = dict(members.values_list("status").annotate(n=Count("id")).order_by())
    year = timezone.localdate().year
    changes = (
        MemberEvent.objects.filter(member__in=members.values("pk"), date__year=year, annulled_by__isnull=True)
        .exclude(kind="annulment")
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    from dangvu.members.models import EventKind
    from dangvu.orgs.queries import member_counts_by_child

    tops = home_organisations(request.user)
    rows = []
    for top in tops[:5]:
        counts = member_counts_by_child(top)
        children = Organisation.objects.get_children(top).filter(valid_to__isnull=True).order_by("name_sort")
        rows.append((top, [(child, counts.get(child.pk, 0)) for child in children]))
    # Deadlines and transfers waiting for the receiving side (a handful of queries, not per row).
    from dangvu.alerts.sources import due_items
    from dangvu.transfers.access import transfers_for
    from dangvu.transfers.models import TransferState

    alerts = due_items(request.user)
    overdue = sum(1 for a in alerts if a.overdue)
    context = {
        "deadlines": {"overdue": overdue, "soon": len(alerts) - overdue},
        "awaiting_transfers": transfers_for(request.user).filter(state=TransferState.IN_TRANSIT).count(),
        "by_status": [(label, by_status.get(value, 0)) for value, label in Status.choices],
        "in_party": sum(by_status.get(s, 0) for s in Status.in_party()),
        "changes": [(EventKind(kind).label, n) for kind, n in changes],
        "year": year,
        "org_rows": rows,
    }
    return render(request, "web/home.html", context)
