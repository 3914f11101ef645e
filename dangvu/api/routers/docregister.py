"""Documents register (issue 13 item 1): documents with their numbers in the Party format, and their links.

Access (dangvu.docregister.access): reading needs `register.view` over the issuing organisation (another
document is a 404, the list without the capability a 403); registering needs `register.manage` over it. A
rule refusing a change is a 422 with the messages, and nothing is written."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangvu.accounts.scope import get_organisation_or_404
from dangvu.api.access import require
from dangvu.api.idempotency import idempotent
from dangvu.api.pagination import Page
from dangvu.api.schemas import ErrorOut
from dangvu.api.schemas_docregister import DocumentFilterIn, DocumentIn, DocumentOut, LinkIn
from dangvu.api.types import Id
from dangvu.docregister import services
from dangvu.docregister.access import MANAGE, VIEW, can_manage, documents_for, get_document_or_404
from dangvu.docregister.views import search
from dangvu.orgs.models import Term

router = Router(tags=["register"])
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _fresh(request, pk: int):
    return (
        documents_for(request.auth).select_related("organisation", "term").prefetch_related("links__target").get(pk=pk)
    )


@router.get(
    "/register/documents", summary="List registered documents", response={200: list[DocumentOut], 403: ErrorOut}
)
@paginate(Page)
def list_documents(request, filters: Query[DocumentFilterIn]):
    """Documents issued in the caller's subtrees (`register.view`), newest first."""
    require(request, VIEW)
    qs = search(documents_for(request.auth), q=filters.q or "", doc_type=filters.doc_type or "", year=filters.year)
    if filters.organisation_id:
        qs = qs.filter(organisation_id=filters.organisation_id)
    return qs.select_related("organisation", "term").prefetch_related("links__target").order_by("-date", "-id")


@router.get(
    "/register/documents/{document_id}", summary="A registered document", response={200: DocumentOut, 404: ErrorOut}
)
def document_detail(request, document_id: Id):
    return _fresh(request, get_document_or_404(request.auth, document_id).pk)


@router.post("/register/documents", summary="Register a document", response={201: DocumentOut, **WRITE_ERRORS})
@idempotent
def register(request, payload: DocumentIn):
    """Register a document of an organisation of the caller's `register.manage` scope: it gets the next
    number of its series (from 01 per type per term; a congress: one series), or `serial` when it was issued
    before it was registered and that number is free."""
    require(request, MANAGE)
    organisation = get_organisation_or_404(request.auth, payload.organisation_id, MANAGE)
    term = get_object_or_404(Term, pk=payload.term_id) if payload.term_id else None
    document = services.register(
        services.Entry(
            organisation=organisation,
            doc_type=payload.doc_type,
            date=payload.date,
            title=payload.title,
            body=payload.body,
            term=term,
            symbol=payload.symbol.strip().upper(),
            serial=payload.serial,
            summary=payload.summary,
            signed_by=payload.signed_by,
        ),
        request.auth,
    )
    return Status(201, _fresh(request, document.pk))


@router.post(
    "/register/documents/{document_id}/links",
    summary="Link a document to another",
    response={200: DocumentOut, **WRITE_ERRORS},
)
def add_link(request, document_id: Id, payload: LinkIn):
    """This document implements, replaces or reports on a registered document (that the caller may see) or
    an external one named by its number."""
    require(request, MANAGE)
    document = get_document_or_404(request.auth, document_id)
    if not can_manage(request.auth, document.organisation):
        raise HttpError(403, _("You do not have access to this."))
    target = get_document_or_404(request.auth, payload.target_id) if payload.target_id else None
    services.link(
        document,
        payload.kind,
        request.auth,
        target=target,
        external_number=payload.external_number,
        external_title=payload.external_title,
    )
    return _fresh(request, document.pk)
