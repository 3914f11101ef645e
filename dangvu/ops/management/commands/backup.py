from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangvu.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump, or SQLite's online backup) and the uploaded files into one tar file."

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", default=".", help="A file name, or a folder (default: here).")

    def handle(self, *args, target, **options):
        try:
            written = backup(Path(target))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(written))
