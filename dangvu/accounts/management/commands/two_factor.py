"""`dangvu two_factor issue <username>` / `dangvu two_factor reset <username>`: enrolment codes and device
resets from the server's command line, for the first administrator (nobody can issue their code on the
page yet) and for an administrator who lost their own app (dangvu.accounts.enrolment)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dangvu.accounts import enrolment


class Command(BaseCommand):
    help = "Issue a one-time two-factor enrolment code for a user, or reset the user's authenticator app."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["issue", "reset"])
        parser.add_argument("username")

    def handle(self, *args, action: str, username: str, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        if action == "reset":
            removed = enrolment.reset_device(user)
            self.stdout.write(f"{username}: {removed} authenticator device(s) removed; issue a new enrolment code.")
            return
        code, row = enrolment.issue_code(user)
        until = timezone.localtime(row.expires_at).strftime("%d/%m/%Y %H:%M")
        self.stdout.write(f"Enrolment code for {username}: {code}")
        self.stdout.write(f"Valid once, until {until}. It is shown only now.")
