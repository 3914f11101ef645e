"""What a user may see and do with the documents register (capabilities in dangvu.accounts.permissions):
- `register.view`: the documents issued by the organisations of the user's subtrees;
- `register.manage`: register documents of those organisations, attach files, link documents.
Out of scope is a 404 (the document's existence does not leak)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from dangvu.accounts.scope import Scope
from dangvu.docregister.models import Document

VIEW, MANAGE = "register.view", "register.manage"


def documents_for(user, capability: str = VIEW) -> QuerySet[Document]:
    return Document.objects.filter(Scope.of(user, capability).q("organisation__path"))


def get_document_or_404(user, pk: int, capability: str = VIEW) -> Document:
    document = documents_for(user, capability).select_related("organisation", "term").filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def can_manage(user, organisation) -> bool:
    return Scope.of(user, MANAGE).covers_path(organisation.path)
