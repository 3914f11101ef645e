"""`dangvu seed_demo`: the synthetic demo world (through the domain services) or, with --members N, a
scale world for benchmarks (bulk path). Prints the demo log-ins at the end."""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import formats, translation
from django.utils.translation import gettext as _

from dangvu.accounts.models import Role
from dangvu.demo import world
from dangvu.orgs.models import Organisation


class Command(BaseCommand):
    help = "Build the synthetic demo world (seed 003 shape) or, with --members N, a city/national-size world."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=world.DEMO_SEED, help="Random seed (same seed, same world)")
        parser.add_argument(
            "--members", type=int, default=None, help="Bulk scale world with about N members (e.g. 150000)"
        )
        parser.add_argument("--password", default=world.DEMO_PASSWORD, help="Password of the demo users")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if organisations already exist")
        parser.add_argument("--json", action="store_true", help="Print only the log-ins as JSON")

    def handle(self, *args, **options) -> None:
        # The operator reads the site's language (Vietnamese by default), as in the UI.
        with translation.override(settings.LANGUAGE_CODE):
            self._handle(options)

    def _handle(self, options) -> None:
        quiet = options["json"]
        log = (lambda message: None) if quiet else (lambda message: self.stdout.write(message))
        if Organisation.objects.exists():
            if not options["if_empty"]:
                raise CommandError(_("The database already has organisations. Use --if-empty, or an empty database."))
            log(_("Organisations already exist: nothing to do."))
        else:
            started = time.monotonic()
            if options["members"]:
                from dangvu.demo import bulk

                bulk.build_bulk(options["members"], seed=options["seed"], password=options["password"], log=log)
            else:
                world.build_demo(seed=options["seed"], password=options["password"], log=log)
            log(
                _("Built in %(s)s s") % {"s": formats.number_format(time.monotonic() - started, 1, force_grouping=True)}
            )
        self._print_logins(options["password"], as_json=quiet)

    def _print_logins(self, password: str, *, as_json: bool) -> None:
        rows = world.demo_logins()
        if as_json:
            payload = [
                {
                    "username": r["username"],
                    "password": password,
                    "role": r["role"],
                    "organisation_code": r["organisation_code"],
                }
                for r in rows
            ]
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        header = (_("Username"), _("Password"), _("Role"), _("Organisation"))
        everywhere = _("(the whole system)")
        table = [header] + [
            (r["username"], password, str(Role(r["role"]).label), r["organisation"] or everywhere) for r in rows
        ]
        widths = [max(len(str(row[i])) for row in table) for i in range(4)]
        self.stdout.write("")
        self.stdout.write(_("Demo log-ins:"))
        for i, row in enumerate(table):
            self.stdout.write("  ".join(str(cell).ljust(widths[j]) for j, cell in enumerate(row)))
            if i == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        if settings.TWO_FACTOR_REQUIRED:
            hint = _(
                "Two-factor authentication is on: at their first log-in staff roles enrol an authenticator app "
                "with a one-time enrolment code (dangvu two_factor issue <username>, then the administrator's "
                "page /accounts/two-factor/codes/; DANGVU_TWO_FACTOR=0 turns it off for a demo)."
            )
        else:
            hint = _("Two-factor authentication is off for this demo (DANGVU_TWO_FACTOR=0): the password is enough.")
        self.stdout.write(hint)
