"""Pages of the document library: the search (full text, diacritics ignored, best match first) with its
filters and the user's lists, a document to read (bookmark, read later, save for offline reading), its
files, and the office's text and publication of a document.

Access (dangvu.library.access): documents published to the user's organisations and the ones above them,
and for staff their register's documents; anything else is a 404. Writes go through dangvu.library.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.scope import Scope, scope_options
from dangvu.docregister.access import VIEW
from dangvu.docregister.models import DocumentFile
from dangvu.lib.errors import DomainError
from dangvu.library import index, services
from dangvu.library.access import above_paths, can_publish, documents_for, get_document_or_404
from dangvu.library.forms import EditForm, SearchForm
from dangvu.library.models import Entry, Shelf, ShelfKind
from dangvu.orgs.labels import org_labels
from dangvu.orgs.models import Organisation

LIMIT = 50


def issuer_options(user) -> list[tuple[int, str]]:
    """The issuers a user may filter by: their own organisations and those above, then their register scope."""
    above = list(
        Organisation.objects.filter(path__in=above_paths(user))
        .only("id", "name", "name_search", "depth", "path")
        .order_by("path")
    )
    labels = org_labels(above)
    options = [(o.pk, labels[o.pk]) for o in above]
    if not Scope.of(user, VIEW).empty:
        seen = {pk for pk, _label in options}
        options += [(pk, label) for pk, label in scope_options(user, VIEW) if pk not in seen]
    return options


def search(
    user, *, q: str = "", doc_type: str = "", issuer: int | None = None, year: int | None = None, shelf: str = ""
):
    """The documents the user may read matching the query (ranked) and the filters (newest first without a
    query)."""
    qs = documents_for(user)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if issuer:
        qs = qs.filter(organisation_id=issuer)
    if year:
        qs = qs.filter(date__year=year)
    if shelf:
        qs = qs.filter(pk__in=Shelf.objects.filter(user=user, kind=shelf).values("document_id"))
    if q and q.strip():
        return index.matching(qs, q)
    return qs.order_by("-date", "-id")


def shelves_of(user, ids) -> dict[int, set[str]]:
    kinds: dict[int, set[str]] = {}
    for document_id, kind in Shelf.objects.filter(user=user, document_id__in=ids).values_list("document_id", "kind"):
        kinds.setdefault(document_id, set()).add(kind)
    return kinds


@login_required
@require_GET
def library(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, issuers=issuer_options(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    documents = list(search(request.user, **filters).select_related("organisation")[: LIMIT + 1])
    kinds = shelves_of(request.user, [d.pk for d in documents])
    for d in documents:
        d.shelves = kinds.get(d.pk, set())
    context = {"form": form, "documents": documents[:LIMIT], "more": len(documents) > LIMIT, "query": filters.get("q")}
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        return render(request, "library/_results.html", context)
    return render(request, "library/index.html", context)


def _flags(user, document) -> dict:
    entry = Entry.objects.filter(pk=document.pk).first()
    kinds = shelves_of(user, [document.pk]).get(document.pk, set())
    return {"entry": entry, "bookmarked": ShelfKind.BOOKMARK in kinds, "later": ShelfKind.LATER in kinds}


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_or_404(request.user, pk)
    context = {
        "document": document,
        "files": list(document.files.all()),
        "may_publish": can_publish(request.user, document),
        **_flags(request.user, document),
    }
    return render(request, "library/detail.html", context)


@login_required
@require_POST
def shelve(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the document on a list or take it off (POST kind=bookmark|later, on=1|0)."""
    document = get_document_or_404(request.user, pk)
    kind, on = request.POST.get("kind", ""), request.POST.get("on") == "1"
    try:
        services.shelve(request.user, document, kind, on)
    except DomainError:
        raise Http404 from None  # not a list: the form never sends it
    if kind == ShelfKind.BOOKMARK:
        messages.success(request, _("Bookmarked.") if on else _("Bookmark removed."))
    else:
        messages.success(request, _("Added to read later.") if on else _("Removed from read later."))
    return redirect("library:detail", pk=document.pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_or_404(request.user, pk)
    if not can_publish(request.user, document):
        raise PermissionDenied
    entry = Entry.objects.filter(pk=document.pk).first()
    initial = {"body_text": entry.body_text if entry else "", "published": bool(entry and entry.published)}
    form = EditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit(document, request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The library entry was saved."))
            return redirect("library:detail", pk=document.pk)
    return render(request, "library/edit.html", {"document": document, "form": form})


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    """An attached file of a document the user may read (kept by the browser for offline reading when saved)."""
    stored = DocumentFile.objects.filter(pk=pk, document__in=documents_for(request.user)).first()
    if stored is None:
        raise Http404
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=stored.filename)
    response["Cache-Control"] = "private, no-cache"
    return response
