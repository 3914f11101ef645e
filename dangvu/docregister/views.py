"""Pages of the documents register: the list with its search, a document with its files and links,
registering a document (it gets its number here), attaching a file, linking documents.

Access (dangvu.docregister.access): seeing needs `register.view` over the issuing organisation (else 404 for
a document, 403 for the list); acting needs `register.manage` (else 403). Writes go through
dangvu.docregister.services only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.scope import has_capability, organisations_for
from dangvu.docregister import services
from dangvu.docregister.access import MANAGE, VIEW, can_manage, documents_for, get_document_or_404
from dangvu.docregister.forms import FileForm, LinkForm, RegisterForm, SearchForm
from dangvu.docregister.models import DocumentFile, DocumentLink
from dangvu.lib.errors import DomainError
from dangvu.lib.text import fold
from dangvu.web import once

LIMIT = 300


def _require(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


def search(qs, *, q: str = "", doc_type: str = "", year: int | None = None):
    """Documents matching the number or the title (without diacritics), the type and the year."""
    if q:
        folded = fold(q)
        qs = qs.filter(Q(number__icontains=q.strip()) | Q(title_search__contains=folded))
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if year:
        qs = qs.filter(date__year=year)
    return qs


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require(request.user, VIEW)
    form = SearchForm(request.GET or None)
    qs = documents_for(request.user)
    if form.is_valid():
        qs = search(qs, **form.cleaned_data)
    documents = list(qs.select_related("organisation", "term").order_by("-date", "-id")[: LIMIT + 1])
    return render(
        request,
        "docregister/index.html",
        {
            "form": form,
            "documents": documents[:LIMIT],
            "more": len(documents) > LIMIT,
            "may_manage": has_capability(request.user, MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@once.creating
def create(request: HttpRequest) -> HttpResponse:
    _require(request.user, MANAGE)
    organisations = organisations_for(request.user, MANAGE).filter(valid_to__isnull=True).order_by("path")
    form = RegisterForm(
        request.POST or None,
        request.FILES or None,
        initial={"date": timezone.localdate()},
        organisations=organisations_for(request.user, MANAGE).order_by("path"),
    )
    if request.method == "GET" and organisations.count() == 1:
        form.initial["organisation"] = organisations.first()
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        entry = services.Entry(
            organisation=d["organisation"],
            doc_type=d["doc_type"],
            date=d["date"],
            title=d["title"],
            body=d["body"],
            term=d["term"],
            symbol=d["symbol"],
            serial=d["serial"],
            summary=d["summary"],
            signed_by=d["signed_by"],
        )
        try:
            document = services.register_with_file(entry, d["file"], request.user)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Registered as number %(number)s.") % {"number": document.number})
            return redirect("docregister:detail", pk=document.pk)
    return render(request, "docregister/create.html", {"form": form})


def _targets(user, document):
    """Documents this one may be linked to: those of its organisation and the organisations above it
    that the user may see (the latest first)."""
    org = document.organisation
    paths = [org.path[:i] for i in range(org.steplen, len(org.path) + 1, org.steplen)]
    return documents_for(user).filter(organisation__path__in=paths).exclude(pk=document.pk).order_by("-date", "-id")


def _detail(request: HttpRequest, document, **forms) -> HttpResponse:
    may_manage = can_manage(request.user, document.organisation)
    visible = documents_for(request.user)
    context = {
        "document": document,
        "files": list(document.files.all()),
        "links": list(document.links.select_related("target")),
        "linked_from": list(DocumentLink.objects.filter(target=document, source__in=visible).select_related("source")),
        "may_manage": may_manage,
    }
    if may_manage:
        context["file_form"] = forms.get("file_form") or FileForm()
        context["link_form"] = forms.get("link_form") or LinkForm(targets=_targets(request.user, document))
    return render(request, "docregister/detail.html", context)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_document_or_404(request.user, pk))


def _managed(request: HttpRequest, pk: int):
    document = get_document_or_404(request.user, pk)
    if not can_manage(request.user, document.organisation):
        raise PermissionDenied
    return document


@login_required
@require_POST
def add_file(request: HttpRequest, pk: int) -> HttpResponse:
    document = _managed(request, pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_file(document, form.cleaned_data["file"], request.user)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The file was attached."))
            return redirect("docregister:detail", pk=document.pk)
    return _detail(request, document, file_form=form)


@login_required
@require_POST
def add_link(request: HttpRequest, pk: int) -> HttpResponse:
    document = _managed(request, pk)
    form = LinkForm(request.POST, targets=_targets(request.user, document))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.link(
                document,
                d["kind"],
                request.user,
                target=d["target"],
                external_number=d["external_number"],
                external_title=d["external_title"],
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The link was recorded."))
            return redirect("docregister:detail", pk=document.pk)
    return _detail(request, document, link_form=form)


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    stored = DocumentFile.objects.filter(pk=pk, document__in=documents_for(request.user)).first()
    if stored is None:
        raise Http404
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=stored.filename)
    response["Cache-Control"] = "private, no-store"
    return response
