from django.core.management.base import BaseCommand

from dangvu.meetings.notify import send_notices


class Command(BaseCommand):
    help = (
        "Queue the meeting invitations not yet sent and the reminders due (the workers' schedule does this every "
        "few minutes; the workers send them, retrying while the mail server refuses)."
    )

    def handle(self, *args, **options):
        sent = send_notices()
        self.stdout.write(f"queued invitations: {sent.invitations}, reminders: {sent.reminders}")
