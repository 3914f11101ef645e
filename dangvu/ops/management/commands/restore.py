from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangvu.ops.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Restore the database and the uploaded files from a `dangvu backup` file. Stop the web processes and "
        "workers first; the current uploaded files are kept aside."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The backup file.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, source, yes, **options):
        try:
            manifest = read_manifest(Path(source))
        except (OSError, BackupError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup of {manifest['vendor']} made {manifest['created']}")
        if not yes and input("This replaces the current database. Type 'yes' to go on: ").strip() != "yes":
            raise CommandError("restore cancelled")
        try:
            restore(Path(source))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("restored")
