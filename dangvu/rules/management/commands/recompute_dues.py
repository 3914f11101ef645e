from django.core.management.base import BaseCommand

from dangvu.rules.services import recompute_dues


class Command(BaseCommand):
    help = (
        "Recompute the stored due dates of open admission files and transfers from the rule sets and the "
        "calendar as they are now (saving a rule set does this itself; `migrate` does it after applying "
        "migrations; run it after upgrading the holidays package)."
    )

    def handle(self, *args, **options):
        moved = recompute_dues()
        for item in moved:
            self.stdout.write(f"{item.what} {item.object_id}: {item.old} -> {item.new}")
        self.stdout.write(f"due dates moved: {len(moved)}")
