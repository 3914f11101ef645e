"""Actions on the documents register. Each runs in one transaction, is refused (DomainError with the message
beside the field, nothing written) on bad input or PermissionDenied when the actor may not register for the
organisation, and writes the audit trail (django-simple-history, with the acting user and a reason)."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.docregister import numbering
from dangvu.docregister.access import can_manage
from dangvu.docregister.models import Body, DocType, Document, DocumentFile, DocumentLink, LinkKind
from dangvu.lib import cacheversion
from dangvu.lib.errors import DomainError
from dangvu.lib.text import nfc
from dangvu.lib.uploads import check_upload
from dangvu.orgs.models import Organisation, Term

ALLOWED_UPLOADS = {".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SYMBOL = re.compile(r"^[A-ZĐ]{1,16}$")
MAX_SERIAL = 99_999
TARGETS_CACHE = "targets"  # dangvu.targets.alerts.VERSION (named here: the register does not import targets)


def _save(obj, actor, reason: str) -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()


def _authorise(actor, organisation: Organisation) -> None:
    if not can_manage(actor, organisation):
        raise PermissionDenied


@dataclass
class Entry:
    """What the office writes to register a document. `serial` only for a document issued before it was
    registered (its number is kept); otherwise the register gives the next number."""

    organisation: Organisation
    doc_type: str
    date: dt.date | None
    title: str
    body: str = Body.COMMITTEE
    term: Term | None = None  # the term in office on the date when not given
    symbol: str = ""  # the default symbol of the organisation and body when empty
    serial: int | None = None
    summary: str = ""
    signed_by: str = ""


def _check(entry: Entry, today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if entry.doc_type not in DocType.values:
        errors["doc_type"] = [_("Choose the type of document.")]
    if entry.body not in Body.values:
        errors["body"] = [_("Choose the issuing body.")]
    if not nfc(entry.title).strip():
        errors["title"] = [_("Give the document's title.")]
    if entry.date is None:
        errors["date"] = [_("Give the document's date.")]
    elif entry.date > today:
        errors["date"] = [_("A document is registered once it is signed: the date cannot be in the future.")]
    else:
        org = entry.organisation
        if entry.date < org.valid_from or (org.valid_to and entry.date >= org.valid_to):
            errors["date"] = [_("The organisation was not in force on that date.")]
        elif entry.term and not (entry.term.start - dt.timedelta(days=366) <= entry.date <= entry.term.end):
            errors["term"] = [_("The date lies outside the term.")]
    if entry.symbol and not SYMBOL.match(entry.symbol):
        errors["symbol"] = [_("Write the symbol in capital letters without spaces, e.g. ĐU or UBKTĐU.")]
    if entry.serial is not None and not 1 <= entry.serial <= MAX_SERIAL:
        errors["serial"] = [_("The serial is a whole number from 1.")]
    return errors


@transaction.atomic
def register(entry: Entry, actor) -> Document:
    """Register a document and give it the next number of its series (or the number it was issued with)."""
    _authorise(actor, entry.organisation)
    errors = _check(entry, timezone.localdate())
    term = entry.term
    if not errors and term is None:
        term = numbering.term_on(entry.organisation, entry.date)
        if term is None:
            errors["term"] = [_("No term covers that date: choose the term.")]
    if errors:
        raise DomainError(errors)
    symbol = entry.symbol or numbering.default_symbol(entry.organisation, entry.body)
    serial = numbering.take(entry.organisation, entry.body, term, entry.doc_type, entry.serial)
    if serial is None:
        raise DomainError({"serial": [_("This number is already registered in the series.")]})
    document = Document(
        organisation=entry.organisation,
        body=entry.body,
        term=term,
        doc_type=entry.doc_type,
        series_type=numbering.series_type(entry.body, entry.doc_type),
        serial=serial,
        symbol=symbol,
        number=numbering.format_number(serial, entry.doc_type, symbol),
        date=entry.date,
        title=nfc(entry.title).strip(),
        summary=unicodedata.normalize("NFC", entry.summary or "").strip(),
        signed_by=nfc(entry.signed_by).strip(),
        recorded_by=actor,
    )
    _save(document, actor, "register")
    if document.doc_type == DocType.RESOLUTION:
        cacheversion.bump(TARGETS_CACHE)  # the cached early warnings on targets (dangvu.targets.alerts)
    return document


@transaction.atomic
def add_file(document: Document, upload: UploadedFile, actor) -> DocumentFile:
    _authorise(actor, document.organisation)
    if upload.size > MAX_UPLOAD_BYTES:
        raise DomainError({"file": [_("The file is larger than 20 MB.")]})
    try:
        check_upload(upload, ALLOWED_UPLOADS)
    except DomainError as error:
        raise DomainError({"file": error.messages}) from None
    stored = DocumentFile(
        document=document,
        file=upload,
        filename=os.path.basename(upload.name)[:255],
        size=upload.size,
        uploaded_by=actor,
    )
    _save(stored, actor, "file")
    return stored


@transaction.atomic
def link(
    document: Document,
    kind: str,
    actor,
    *,
    target: Document | None = None,
    external_number: str = "",
    external_title: str = "",
) -> DocumentLink:
    """Record that `document` implements, replaces or reports on `target` (registered) or an external
    document (its number and title)."""
    _authorise(actor, document.organisation)
    errors: dict[str, list[str]] = {}
    if kind not in LinkKind.values:
        errors["kind"] = [_("Choose how the documents are linked.")]
    external_number = nfc(external_number).strip()
    if target is None and not external_number:
        errors["target"] = [_("Choose a registered document or give the number of another one.")]
    if target is not None and target.pk == document.pk:
        errors["target"] = [_("A document cannot be linked to itself.")]
    if errors:
        raise DomainError(errors)
    same = DocumentLink.objects.filter(source=document, kind=kind)
    if (target and same.filter(target=target).exists()) or (
        not target and same.filter(target__isnull=True, external_number=external_number).exists()
    ):
        raise DomainError({"target": [_("This link is already recorded.")]})
    row = DocumentLink(
        source=document,
        kind=kind,
        target=target,
        external_number="" if target else external_number,
        external_title="" if target else nfc(external_title).strip(),
        recorded_by=actor,
    )
    _save(row, actor, "link")
    return row


@transaction.atomic
def register_with_file(entry: Entry, upload: UploadedFile | None, actor) -> Document:
    """Register a document and attach its file, both or neither (the page's form)."""
    document = register(entry, actor)
    if upload is not None:
        add_file(document, upload, actor)
    return document
