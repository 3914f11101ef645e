"""Meeting documents: upload and new versions (those who run the meeting), the file itself (PDF opens in
the browser, DOCX and XLSX download), a reading view in the page (DOCX paragraphs and tables, XLSX sheets
as tables, PDF in a frame) and the reader's personal note.

Access (issue 4 item 2): documents are for the invited and for those who run the meeting
(`access.can_read_documents`). Staff who may only *see* the meeting (e.g. an inspector of the committee
above, not invited) read its page but get a 404 for its documents, as does anyone outside the scope.
Notes are private: a reader only ever reads or writes their own.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangvu.lib.errors import DomainError
from dangvu.lib.uploads import check_package, excerpt, is_pdf
from dangvu.meetings import services
from dangvu.meetings.access import can_read_documents, can_run, get_meeting_or_404, meetings_for
from dangvu.meetings.forms import DocumentForm, NoteForm, VersionForm
from dangvu.meetings.models import DocumentNote, DocumentVersion, MeetingDocument
from dangvu.meetings.views import render_detail
from dangvu.web import once

logger = logging.getLogger(__name__)
PDF = "application/pdf"
DOCX = services.DOCUMENT_TYPES[".docx"]
XLSX = services.DOCUMENT_TYPES[".xlsx"]
MAX_SHEET_ROWS = 500  # rows shown per sheet in the reading view
MAX_SHEET_COLUMNS = 60
MAX_DOCX_BLOCKS = 3000  # paragraphs and tables shown from a DOCX
MAX_TEXT_CHARS = 5000  # one paragraph or one cell, shown as an excerpt beyond this
MAX_PREVIEW_CHARS = 1_000_000  # the whole reading view: the rest is marked as not shown


def _document_or_404(user, pk: int) -> MeetingDocument:
    document = (
        MeetingDocument.objects.select_related("meeting__organisation", "agenda_item")
        .filter(pk=pk, withdrawn=False, meeting__in=meetings_for(user))
        .first()
    )
    if document is None or not can_read_documents(user, document.meeting):
        raise Http404
    return document


def _version_or_404(document: MeetingDocument, number: int | None) -> DocumentVersion:
    versions = document.versions.select_related("uploaded_by")
    version = versions.filter(number=number).first() if number else versions.order_by("-number").first()
    if version is None:
        raise Http404
    return version


# --- Upload -------------------------------------------------------------------------------------------


@login_required
@require_POST
@once.creating
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_or_404(request.user, pk)
    if not can_run(request.user, meeting):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES, meeting=meeting)
    if not form.is_valid():
        return render_detail(request, meeting, status=400, document_form=form)
    d = form.cleaned_data
    try:
        services.add_document(meeting, request.user, title=d["title"], upload=d["file"], agenda_item=d["agenda_item"])
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The document was added."))
    return redirect(f"{meeting_url(meeting.pk)}#documents")


def meeting_url(pk: int) -> str:
    return reverse("meetings:detail", args=[pk])


@login_required
@require_POST
@once.creating
def version_add(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request.user, pk)
    if not can_run(request.user, document.meeting):
        raise PermissionDenied
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the file of the new version."))
    else:
        try:
            version = services.add_version(document, request.user, form.cleaned_data["file"])
        except DomainError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Version %(n)s was added.") % {"n": version.number})
    return redirect(f"{meeting_url(document.meeting_id)}#document-{document.pk}")


# --- Reading ------------------------------------------------------------------------------------------


@login_required
@require_GET
def document_file(request: HttpRequest, pk: int, number: int | None = None) -> FileResponse:
    """The file of a version (the latest by default): a PDF opens in the browser (and may be framed by
    our own reading view), DOCX and XLSX download."""
    document = _document_or_404(request.user, pk)
    version = _version_or_404(document, number)
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Inline only for a PDF that is one by content (checked at upload; checked again here for files stored
    # before that check existed): anything else downloads.
    inline = version.content_type == PDF and is_pdf(handle)
    response = FileResponse(
        handle, as_attachment=not inline, filename=version.filename, content_type=version.content_type
    )
    if inline:
        # Only this response may be shown in a frame, and only by our own pages (the reading view);
        # everything else keeps X-Frame-Options DENY and frame-ancestors 'none'.
        response["X-Frame-Options"] = "SAMEORIGIN"
        response._csp_replace = {"frame-ancestors": ["'self'"]}
    response["Cache-Control"] = "private, no-store"
    return response


@dataclass
class Block:
    kind: str  # "heading", "paragraph" or "table"
    text: str = ""
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Sheet:
    title: str
    rows: list[list[str]]
    truncated: bool


def _read_bytes(version: DocumentVersion) -> bytes:
    with version.file.open("rb") as handle:
        return handle.read()


def docx_blocks(content: bytes) -> tuple[list[Block], bool]:
    """Paragraphs (headings by their style) and tables, in document order."""
    from docx import Document
    from docx.table import Table

    check_package(content, "word/document.xml")  # refuses a package that expands without limit
    doc = Document(io.BytesIO(content))
    blocks: list[Block] = []
    budget = MAX_PREVIEW_CHARS
    for item in doc.iter_inner_content():
        if len(blocks) >= MAX_DOCX_BLOCKS or budget <= 0:
            return blocks, True
        if isinstance(item, Table):
            rows = [[excerpt(cell.text, MAX_TEXT_CHARS) for cell in row.cells] for row in item.rows[:MAX_SHEET_ROWS]]
            budget -= sum(len(text) for row in rows for text in row)
            blocks.append(Block("table", rows=rows))
            continue
        text = excerpt(item.text, MAX_TEXT_CHARS)
        budget -= len(text)
        style = (item.style.name if item.style is not None else "") or ""
        if style.startswith("Heading") and text.strip():
            level = int(style[-1]) if style[-1].isdigit() else 1
            blocks.append(Block("heading", text=text, level=min(level + 1, 6)))
        elif style == "Title" and text.strip():
            blocks.append(Block("heading", text=text, level=2))
        else:
            blocks.append(Block("paragraph", text=text))
    return blocks, False


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if (value.hour, value.minute) != (0, 0) else value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return excerpt(value, MAX_TEXT_CHARS)


def xlsx_sheets(content: bytes) -> list[Sheet]:
    """Each sheet as rows of text, at most MAX_SHEET_ROWS rows (read-only: the file is streamed)."""
    from openpyxl import load_workbook

    check_package(content, "xl/workbook.xml")  # refuses a package that expands without limit
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheets = []
    budget = MAX_PREVIEW_CHARS
    try:
        for ws in workbook.worksheets:
            rows: list[list[str]] = []
            truncated = False
            for row in ws.iter_rows(values_only=True):
                if len(rows) >= MAX_SHEET_ROWS or budget <= 0:
                    truncated = True
                    break
                rows.append([_cell(v) for v in row[:MAX_SHEET_COLUMNS]])
                budget -= sum(len(text) for text in rows[-1])
            width = max((max((i + 1 for i, v in enumerate(r) if v), default=0) for r in rows), default=0)
            while rows and not any(rows[-1]):
                rows.pop()
            sheets.append(Sheet(ws.title, [r[:width] + [""] * (width - len(r[:width])) for r in rows], truncated))
    finally:
        workbook.close()
    return sheets


@login_required
@require_GET
def document_preview(request: HttpRequest, pk: int, number: int | None = None) -> HttpResponse:
    document = _document_or_404(request.user, pk)
    version = _version_or_404(document, number)
    context: dict = {
        "document": document,
        "meeting": document.meeting,
        "version": version,
        "versions": list(document.versions.order_by("-number")),
        "is_pdf": version.content_type == PDF,
        "blocks": [],
        "sheets": [],
        "truncated": False,
        "unreadable": False,
    }
    try:
        if version.content_type == DOCX:
            context["blocks"], context["truncated"] = docx_blocks(_read_bytes(version))
        elif version.content_type == XLSX:
            context["sheets"] = xlsx_sheets(_read_bytes(version))
    except Exception:
        # A damaged or unusual file must not break the page: it stays available for download.
        logger.warning("meeting document %s v%s cannot be previewed", document.pk, version.number, exc_info=True)
        context["unreadable"] = True
    note = DocumentNote.objects.filter(document=document, user=request.user).first()
    context["note"] = note
    context["note_form"] = NoteForm(initial={"text": note.text if note else ""})
    return render(request, "meetings/document.html", context)


@login_required
@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the reader's own note on the document (HTMX: a small confirmation)."""
    document = _document_or_404(request.user, pk)
    form = NoteForm(request.POST)
    saved = None
    if form.is_valid():
        saved = services.save_note(document, request.user, form.cleaned_data["text"])
    if request.htmx:
        return render(request, "meetings/_note_status.html", {"saved": saved, "form": form})
    if saved is None:
        messages.error(request, _("The note was not saved."))
    else:
        messages.success(request, _("Your note was saved."))
    return redirect(reverse("meetings:document_preview", args=[document.pk]) + "#note")
