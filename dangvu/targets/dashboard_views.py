"""The targets dashboard page (dangvu.targets.dashboard): `?organisation=` (in the user's `targets.view` scope,
else a 404; by default the highest organisation of the scope that issued resolutions) and `?term=` (a term the
organisation issued resolutions for, by default the one running today, else the newest). Without
`targets.view` a 403. Read-only; the leader's dashboard links here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangvu.accounts.scope import Scope, get_organisation_or_404, has_capability, organisations_for, scope_options
from dangvu.docregister.models import DocType, Document
from dangvu.targets import dashboard as board
from dangvu.targets.access import VIEW


def _number(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() and int(text) < 2**31 else None


def _default_organisation(user):
    first = (
        Document.objects.filter(Scope.of(user, VIEW).q("organisation__path"), doc_type=DocType.RESOLUTION)
        .order_by("organisation__depth", "organisation__path")
        .values_list("organisation_id", flat=True)
        .first()
    )
    found = organisations_for(user, VIEW)
    return (found.filter(pk=first) if first else found.order_by("depth", "path")).first()


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, VIEW):
        raise PermissionDenied
    today = timezone.localdate()
    org_id = _number(request.GET.get("organisation"))
    org = get_organisation_or_404(request.user, org_id, VIEW) if org_id else _default_organisation(request.user)
    terms = board.terms_of(org) if org else []
    term_id = _number(request.GET.get("term"))
    term = next((t for t in terms if t.pk == term_id), None) if term_id else board.default_term(terms, today)
    rows = board.build(org, term, today) if term else []
    return render(
        request,
        "targets/dashboard.html",
        {
            "organisation": org,
            "terms": terms,
            "term": term,
            "rows": rows,
            "warnings": [r for r in rows if r.warning],
            "running": bool(term) and board.running(term, today),
            "org_options": scope_options(request.user, VIEW, org),
            "today": today,
        },
    )
