from django.core.management.base import BaseCommand

from dangvu.meetings.notify import send_notices


class Command(BaseCommand):
    help = "Send meeting invitations not yet sent and reminders before meetings (run it every few minutes)."

    def handle(self, *args, **options):
        sent = send_notices()
        self.stdout.write(f"invitations: {sent.invitations}, reminders: {sent.reminders}")
