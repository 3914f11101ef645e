"""The page listing the records behind a computed figure (issue 13 item 6): a target's result for a period,
all parts or one predecessor's, the numerator's records or the denominator's, a page at a time; the count
shown is the list's and it equals the figure. `targets.view` over the resolution's organisation (else 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangvu.targets import provenance
from dangvu.targets.access import get_resolution_or_404
from dangvu.targets.models import Target

PER_PAGE = 50


def target_or_404(user, pk: int) -> Target:
    target = Target.objects.select_related("scope").filter(pk=pk).first()
    if target is None:
        raise Http404
    target.resolution = get_resolution_or_404(user, target.resolution_id)
    return target


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_GET
def records(request: HttpRequest, pk: int, label: str) -> HttpResponse:
    target = target_or_404(request.user, pk)
    which = request.GET.get("list") or provenance.RECORDS
    found = provenance.listing(target, label, part=_int(request.GET.get("part")), which=which)
    if found is None:
        raise Http404
    page = Paginator(found.records, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(org, provenance.describe(record)) for org, record in page.object_list]
    return render(
        request,
        "targets/provenance.html",
        {
            "target": target,
            "resolution": target.resolution,
            "listing": found,
            "page": page,
            "rows": rows,
            "has_base": any(v.base is not None for v in found.result.parts),
        },
    )
