"""Document library (issue 14 items 2 and 9): the documents a user may read (dangvu.library.access: published
to their organisations and the ones above them; for staff also their register's documents), searched in full
text without diacritics and ranked by relevance, with the caller's bookmarks and "read later" list.

The read operations answer conditional requests (dangvu.api.conditional): an `ETag` on every 200 and `304 Not
Modified` for an `If-None-Match` still current, so a phone downloads only what changed. A document the caller
may not read is a 404, as one that does not exist."""

from django.urls import reverse
from ninja import Query, Router
from ninja.decorators import decorate_view
from ninja.pagination import paginate

from dangvu.api.conditional import NOT_MODIFIED, etag
from dangvu.api.pagination import Page
from dangvu.api.schemas import ErrorOut
from dangvu.api.schemas_library import LibraryDocumentDetailOut, LibraryDocumentOut, LibraryFilterIn, ShelfCode
from dangvu.api.types import Id
from dangvu.library import services
from dangvu.library.access import get_document_or_404
from dangvu.library.models import Entry
from dangvu.library.views import search, shelves_of

router = Router(tags=["library"])


def _with_shelves(user, documents):
    documents = list(documents)
    kinds = shelves_of(user, [d.pk for d in documents])
    for d in documents:
        d.shelves = sorted(kinds.get(d.pk, ()))
        d.rank = getattr(d, "rank", None)
    return documents


class ShelvedPage(Page):
    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = _with_shelves(request.auth, page["items"])
        return page


@router.get(
    "/library/documents",
    summary="Search the document library",
    response={200: list[LibraryDocumentOut]},
    openapi_extra=NOT_MODIFIED,
)
@decorate_view(etag)
@paginate(ShelvedPage)
def list_documents(request, filters: Query[LibraryFilterIn]):
    """The documents the caller may read; with `q`, those containing every word (the last one as a prefix)
    in their number, title, summary or text, diacritics ignored, the best match first; else the newest first."""
    return search(
        request.auth,
        q=filters.q or "",
        doc_type=filters.doc_type or "",
        issuer=filters.organisation_id,
        year=filters.year,
        shelf=filters.shelf or "",
    ).select_related("organisation")


def _detail(request, document_id: int) -> dict:
    document = get_document_or_404(request.auth, document_id)
    entry = Entry.objects.filter(pk=document.pk).first()
    (document,) = _with_shelves(request.auth, [document])
    return {
        **{f: getattr(document, f) for f in ("id", "number", "doc_type", "date", "title", "summary", "signed_by")},
        "organisation": document.organisation,
        "shelves": document.shelves,
        "rank": None,
        "body_text": entry.body_text if entry else "",
        "published": bool(entry and entry.published),
        "files": [
            {"id": f.pk, "filename": f.filename, "size": f.size, "url": reverse("library:file", args=[f.pk])}
            for f in document.files.all()
        ],
    }


@router.get(
    "/library/documents/{document_id}",
    summary="A document of the library",
    response={200: LibraryDocumentDetailOut, 404: ErrorOut},
    openapi_extra=NOT_MODIFIED,
)
@decorate_view(etag)
def document_detail(request, document_id: Id):
    return _detail(request, document_id)


@router.put(
    "/library/documents/{document_id}/shelves/{shelf}",
    summary="Put a document on one of the caller's lists",
    response={200: LibraryDocumentDetailOut, 404: ErrorOut},
)
def shelve(request, document_id: Id, shelf: ShelfCode):
    """Bookmark the document (`bookmark`) or keep it to read later (`later`). Repeating it changes nothing."""
    services.shelve(request.auth, get_document_or_404(request.auth, document_id), shelf, True)
    return _detail(request, document_id)


@router.delete(
    "/library/documents/{document_id}/shelves/{shelf}",
    summary="Take a document off one of the caller's lists",
    response={200: LibraryDocumentDetailOut, 404: ErrorOut},
)
def unshelve(request, document_id: Id, shelf: ShelfCode):
    services.shelve(request.auth, get_document_or_404(request.auth, document_id), shelf, False)
    return _detail(request, document_id)
