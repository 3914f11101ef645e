"""`dangvu screenshots --out DIR`: PNGs of every demo role's menu pages at the phone, tablet and desktop
sizes, in Debian chromium, with an index.html to look at the whole product at once.

Without --base it builds the demo world when the database has no organisation (`seed_demo`), serves the
site itself on 127.0.0.1 (a server thread of this process, password sign-in: two-factor and HTTPS are off for
this server only) and signs in as each demo log-in. With --base it photographs a running server instead.
Needs the development dependencies (Playwright) and /usr/bin/chromium.
"""

from __future__ import annotations

import html
import logging
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.test.testcases import LiveServerThread
from django.test.utils import override_settings
from django.utils import translation
from django.utils.translation import gettext as _

from dangvu.web import screens


class Command(BaseCommand):
    help = "Screenshots of each demo role's menu pages at the phone, tablet and desktop sizes (PNG files)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="Folder for the PNG files and index.html")
        parser.add_argument("--base", default="", help="URL of a running server (default: serve the site here)")
        parser.add_argument("--user", action="append", dest="users", help="Sign in as (default: the demo log-ins)")
        parser.add_argument("--password", default="", help="Their password (default: the demo password)")
        parser.add_argument(
            "--size", action="append", dest="sizes", choices=list(screens.VIEWPORTS), help="Default: all three"
        )
        parser.add_argument("--page", action="append", dest="pages", help="A path such as /members/ (default: menu)")
        parser.add_argument("--full-page", action="store_true", help="The whole page, not only the first screen")

    def handle(self, *args, **options) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            self._handle(options)

    def _handle(self, options) -> None:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as error:
            raise CommandError(_("Playwright is missing: install the development dependencies.")) from error
        if not Path(screens.CHROMIUM).exists():
            raise CommandError(_("Chromium is missing at %(path)s.") % {"path": screens.CHROMIUM})
        from dangvu.demo import world
        from dangvu.demo.shape import DEMO_PASSWORD
        from dangvu.orgs.models import Organisation

        if not options["base"] and not Organisation.objects.exists():
            self.stdout.write(_("The database is empty: building the demo world first (a few minutes)."))
            call_command("seed_demo", stdout=self.stdout)
        users = options["users"] or [row["username"] for row in world.demo_logins()]
        if not users:
            raise CommandError(_("No demo log-in in this database: give --user and --password."))
        password = options["password"] or DEMO_PASSWORD
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        sizes = options["sizes"] or list(screens.VIEWPORTS)
        started = time.monotonic()
        shots: dict[str, list[Path]] = {}
        with self._server(options["base"]) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=screens.CHROMIUM, args=screens.CHROMIUM_ARGS)
            try:
                for username in users:
                    state = screens.sign_in(browser, base, username, password)
                    shots[username] = screens.shoot(
                        browser,
                        base,
                        state,
                        name=username,
                        out=out,
                        sizes=sizes,
                        pages=options["pages"],
                        full_page=options["full_page"],
                    )
                    self.stdout.write(f"{username}: {len(shots[username])} PNG")
            finally:
                browser.close()
        index = self._index(out, shots)
        count = sum(len(files) for files in shots.values())
        self.stdout.write(
            _("%(n)s screenshots in %(s)s s: open %(index)s")
            % {"n": count, "s": round(time.monotonic() - started), "index": index}
        )

    @contextmanager
    def _server(self, base: str):
        """The URL to photograph: `base`, or a server thread of this process on 127.0.0.1."""
        if base:
            yield base.rstrip("/")
            return
        conn = connections["default"]
        shared = conn.vendor == "sqlite" and conn.is_in_memory_db()  # a test database: the same connection
        plain = {
            "TWO_FACTOR_REQUIRED": False,
            "SECURE_SSL_REDIRECT": False,
            "SECURE_HSTS_SECONDS": 0,
            "SESSION_COOKIE_SECURE": False,
            "CSRF_COOKIE_SECURE": False,
            "ALLOWED_HOSTS": [*settings.ALLOWED_HOSTS, "127.0.0.1"],
        }
        requests_log = logging.getLogger("dangvu.requests")
        level = requests_log.level
        requests_log.setLevel(logging.WARNING)  # one line per request: noise here
        with override_settings(**plain):
            thread = LiveServerThread(
                "127.0.0.1", StaticFilesHandler, connections_override={"default": conn} if shared else None
            )
            thread.daemon = True
            if shared:
                conn.inc_thread_sharing()
            try:
                thread.start()
                thread.is_ready.wait()
                if thread.error:
                    raise thread.error
                yield f"http://127.0.0.1:{thread.port}"
            finally:
                thread.terminate()
                requests_log.setLevel(level)
                if shared:
                    conn.dec_thread_sharing()

    @staticmethod
    def _index(out: Path, shots: dict[str, list[Path]]) -> Path:
        """index.html: each log-in's screenshots side by side, one row per page."""
        parts = ["<!doctype html><meta charset=utf-8><title>dangvu</title><body style='font-family:sans-serif'>"]
        for username, files in shots.items():
            parts.append(f"<h2>{html.escape(username)}</h2><div style='display:flex;flex-wrap:wrap;gap:8px'>")
            for file in files:
                name = html.escape(file.name)
                parts.append(
                    f"<a href='{name}'><img src='{name}' alt='{name}' title='{name}' style='height:240px'></a>"
                )
            parts.append("</div>")
        index = out / "index.html"
        index.write_text("".join(parts), encoding="utf-8")
        return index
