"""Actions on the library. Each runs in one transaction, is refused with PermissionDenied when the actor may
not act on the document (or a 404 when they may not see it: callers fetch it through dangvu.library.access),
writes the audit trail (django-simple-history with the acting user and a reason) and keeps the search index
in step (dangvu.library.index)."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.docregister.models import Document, DocumentFile
from dangvu.lib.errors import DomainError
from dangvu.library import extract, index
from dangvu.library.access import can_publish, documents_for
from dangvu.library.models import Entry, Shelf, ShelfKind

MAX_BODY = 500_000  # characters: a long resolution with its appendices


def _save(obj, actor, reason: str) -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()


def _entry(document: Document) -> Entry:
    return Entry.objects.select_for_update().filter(pk=document.pk).first() or Entry(document=document)


@transaction.atomic
def edit(document: Document, actor, *, body_text: str, published: bool) -> Entry:
    """Give the document's text and publish it to the members at and below its issuer (or withdraw it)."""
    if not can_publish(actor, document):
        raise PermissionDenied
    text = unicodedata.normalize("NFC", body_text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_BODY:
        raise DomainError({"body_text": [_("The text is too long.")]})
    entry = _entry(document)
    entry.body_text = text
    if published and entry.published_at is None:
        entry.published_at, entry.published_by = timezone.now(), actor
    elif not published:
        entry.published_at, entry.published_by = None, None
    _save(entry, actor, "publish" if published else "withdraw")
    index.refresh([document.pk])
    return entry


@transaction.atomic
def add_file_text(stored: DocumentFile) -> None:
    """Read an attached file's text into the document's entry (signal of dangvu.docregister.services.add_file,
    inside its transaction)."""
    text = extract.text_of(stored)
    if not text:
        return
    entry = _entry(stored.document)
    entry.file_text = f"{entry.file_text}\n{text}".strip()[: extract.MAX_CHARS]
    _save(entry, stored.uploaded_by, "file text")
    index.refresh([stored.document_id])


@transaction.atomic
def shelve(user, document: Document, kind: str, on: bool) -> bool:
    """Put the document on the user's list `kind` (bookmarks, read later) or take it off; True if it is on."""
    if kind not in ShelfKind.values:
        raise DomainError({"kind": [_("Choose a list.")]})
    if not documents_for(user).filter(pk=document.pk).exists():
        raise PermissionDenied
    row = Shelf.objects.filter(user=user, document=document, kind=kind).first()
    if on and row is None:
        try:
            with transaction.atomic():  # a double tap: the other request put it there
                _save(Shelf(user=user, document=document, kind=kind), user, "shelve")
        except IntegrityError:
            pass
    elif not on and row is not None:
        row._history_user = user
        row._change_reason = "unshelve"
        row.delete()
    return on
