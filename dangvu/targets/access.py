"""What a user may see and do with resolution targets (capabilities in dangvu.accounts.permissions):
- `targets.view`: the targets of the resolutions issued in the user's subtrees, with their computed results;
- `targets.manage`: add targets to those resolutions and enter results by hand with their evidence.
Out of scope is a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from dangvu.accounts.scope import Scope
from dangvu.docregister.models import DocType, Document

VIEW, MANAGE = "targets.view", "targets.manage"


def resolutions_for(user, capability: str = VIEW) -> QuerySet[Document]:
    return Document.objects.filter(Scope.of(user, capability).q("organisation__path"), doc_type=DocType.RESOLUTION)


def get_resolution_or_404(user, pk: int, capability: str = VIEW) -> Document:
    resolution = resolutions_for(user, capability).select_related("organisation", "term").filter(pk=pk).first()
    if resolution is None:
        raise Http404
    return resolution


def can_manage(user, resolution: Document) -> bool:
    return Scope.of(user, MANAGE).covers_path(resolution.organisation.path)
