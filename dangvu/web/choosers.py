"""Search-as-you-type for long selects of organisations and members (issue 9 item 4).

A select marked by `chooser_attrs(...)` (data attributes) keeps all its options and works without
JavaScript. `static/dangvu/chooser.js` puts a search box before it; what is typed is sent to one of the
endpoints below, which search within the user's scope for the capability the form is about, with the
member search's word-start matching (dangvu.members.search) and the shared labels (dangvu.orgs.labels),
and answer JSON `{"results": [{"id", "label"}], "more": bool}`. The select then shows the results that
are among its own options, so a choice the form would refuse is never offered.

Scope: the capability comes from a fixed list (another is a 400); a user without it anywhere gets 403; the
rows are those of `organisations_for` / `members_for` for that capability, so nothing outside the user's
subtrees is ever named (`organisation=` only narrows those rows: outside the scope it finds nobody).
Identifiers (card numbers, citizen IDs) are not searched here.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from dangvu.accounts.scope import Scope, members_for, organisations_for
from dangvu.members.search import SearchQuery, name_filter
from dangvu.orgs.labels import org_labels, person_labels
from dangvu.orgs.models import Organisation, OrgKind

LIMIT = 30
ORGANISATION_CAPABILITIES = {
    "orgs.view",
    "members.view",
    "members.edit",
    "admission.propose",
    "meetings.manage",
    "transfers.manage",
    "discipline.manage",
    "inspection.manage",
    "study.manage",
}
MEMBER_CAPABILITIES = {
    "members.view",
    "members.edit",
    "admission.propose",
    "meetings.manage",
    "discipline.manage",
    "inspection.manage",
    "study.manage",
}


def chooser_attrs(kind: str, capability: str, **params) -> dict[str, str]:
    """The data attributes that turn a select into a chooser (kind: "organisations" or "members")."""
    query = urlencode({"for": capability, **{k: v for k, v in params.items() if v not in (None, "")}})
    return {
        "data-chooser": f"{reverse(f'web:choose_{kind}')}?{query}",
        "data-chooser-search": gettext_lazy("Search"),
        "data-chooser-placeholder": gettext_lazy("Type part of the name"),
        "data-chooser-none": gettext_lazy("Nothing found: try other words."),
    }


def _capability(request: HttpRequest, allowed: set[str]) -> str | None:
    capability = str(request.GET.get("for", ""))
    return capability if capability in allowed else None


def _bad(message: str) -> JsonResponse:
    return JsonResponse({"detail": message, "code": "invalid", "errors": []}, status=400)


def _query(request: HttpRequest) -> SearchQuery:
    return SearchQuery.parse(str(request.GET.get("q", ""))[:100])


def _answer(rows: list, labels: dict[int, str]) -> JsonResponse:
    shown = rows[:LIMIT]
    return JsonResponse({"results": [{"id": r.pk, "label": labels[r.pk]} for r in shown], "more": len(rows) > LIMIT})


@require_GET
@login_required
def organisations(request: HttpRequest) -> JsonResponse:
    capability = _capability(request, ORGANISATION_CAPABILITIES)
    if capability is None:
        return _bad(_("Unknown purpose."))
    if Scope.of(request.user, capability).empty:
        raise PermissionDenied
    query = _query(request)
    rows = organisations_for(request.user, capability).filter(valid_to__isnull=True)
    if request.GET.get("cells") == "1":
        rows = rows.filter(kind__in=OrgKind.member_holding())
    if query.words:
        rows = rows.filter(name_filter(query))
    rows = list(rows.order_by("name_sort", "id")[: LIMIT + 1])
    return _answer(rows, org_labels(rows[:LIMIT]))


@require_GET
@login_required
def members(request: HttpRequest) -> JsonResponse:
    capability = _capability(request, MEMBER_CAPABILITIES)
    if capability is None:
        return _bad(_("Unknown purpose."))
    if Scope.of(request.user, capability).empty:
        raise PermissionDenied
    query = _query(request)
    rows = members_for(request.user, capability)
    within = str(request.GET.get("organisation", ""))
    if within:
        if not within.isdigit() or len(within) > 12:
            return _bad(_("Unknown organisation."))
        # Only narrows the user's own rows: an organisation outside the scope (or none) simply finds nobody,
        # so the answer tells nothing the user could not see.
        path = Organisation.objects.filter(pk=int(within)).values_list("path", flat=True).first()
        rows = rows.filter(org_path__startswith=path) if path else rows.none()
    if query.words:
        rows = rows.filter(name_filter(query))
    rows = list(rows.select_related("organisation").order_by("name_sort", "id")[: LIMIT + 1])
    return _answer(rows, person_labels(rows[:LIMIT]))
