"""Keep the library's search index in step with the documents register: a document registered or changed
is (re)indexed, a file attached has its text read into the library entry. The handlers run inside the
register service's transaction, so the index never shows a document that was not written."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from dangvu.docregister.models import Document, DocumentFile
from dangvu.library import index


@receiver(post_save, sender=Document, dispatch_uid="library_index_document")
def document_saved(sender, instance: Document, raw: bool = False, **kwargs) -> None:
    if not raw:
        index.refresh([instance.pk])


@receiver(post_save, sender=DocumentFile, dispatch_uid="library_index_file")
def file_saved(sender, instance: DocumentFile, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or not created:
        return
    from dangvu.library import services

    services.add_file_text(instance)
