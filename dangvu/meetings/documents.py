"""Documents of a meeting (issue 4 item 2): PDF, DOCX and XLSX files attached to the meeting or an agenda
item, versioned (a new upload is a new version; nothing is replaced or deleted), with a private note per
reader. Readable by the invited and those who run the meeting (dangvu.meetings.access)."""

from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.lib.errors import DomainError
from dangvu.lib.uploads import check_upload
from dangvu.meetings.models import AgendaItem, DocumentNote, DocumentVersion, Meeting, MeetingDocument

DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def _check_upload(upload: UploadedFile) -> str:
    """The content type, checked by content (dangvu.lib.uploads): a PDF is a PDF, a DOCX or XLSX a package
    with its parts that does not expand without limit."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise DomainError(_("The file is larger than 20 MB."))
    return check_upload(upload, set(DOCUMENT_TYPES))


def _store_version(document: MeetingDocument, upload: UploadedFile, actor) -> DocumentVersion:
    content_type = _check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        filename=upload.name[-255:],
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    version.file.save(upload.name, upload, save=False)
    version.save()
    return version


@transaction.atomic
def add_document(
    meeting: Meeting, actor, *, title: str, upload: UploadedFile, agenda_item: AgendaItem | None = None
) -> MeetingDocument:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _editable(meeting)
    if not title.strip():
        raise DomainError(_("Give the document a title."))
    document = MeetingDocument(meeting=meeting, agenda_item=agenda_item, title=title.strip())
    document._history_user = actor
    document.save()
    _store_version(document, upload, actor)
    return document


@transaction.atomic
def add_version(document: MeetingDocument, actor, upload: UploadedFile) -> DocumentVersion:
    document = MeetingDocument.objects.select_for_update().select_related("meeting").get(pk=document.pk)
    _editable(document.meeting)
    return _store_version(document, upload, actor)


@transaction.atomic
def save_note(document: MeetingDocument, user, text: str) -> DocumentNote:
    """A reader's own note on a document (kept private, even after approval)."""
    note, _created = DocumentNote.objects.update_or_create(document=document, user=user, defaults={"text": text})
    return note


def _editable(meeting: Meeting) -> None:
    from dangvu.meetings.services import _editable as editable

    editable(meeting)
