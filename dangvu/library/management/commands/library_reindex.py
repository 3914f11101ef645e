"""Rewrite the library's full-text index from the register (after restoring a database from a dump that
left the index table out, or to check it): `dangvu library_reindex`."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.library import index


class Command(BaseCommand):
    help = "Rewrite the document library's full-text index."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = index.rebuild()
        self.stdout.write(_("Library index: %(n)s documents.") % {"n": count})
