"""Two-factor gate: staff users must pass a TOTP check before any page when it is required; sessions written
again at most every SESSION_REFRESH_SECONDS (SessionRefreshMiddleware)."""

from __future__ import annotations

import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from dangvu.accounts.twofactor import needs_two_factor

# The web app's manifest, service worker and offline page hold no one's data (dangvu/web/pwa.py): a redirect
# there would only break the worker's registration.
_APP_SHELL = ("/manifest.webmanifest", "/sw.js", "/offline/")
_OPEN_PREFIXES = ("/accounts/", "/static/", "/api/", "/i18n/", *_APP_SHELL)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.TWO_FACTOR_REQUIRED
            and request.user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and needs_two_factor(request.user)
            and not request.user.is_verified()
        ):
            return redirect("accounts:two_factor")
        return self.get_response(request)


class PasswordChangeMiddleware:
    """After a temporary password from the office (dangvu.accounts.passwords), every page leads to the
    change of password until it is done (log-out, two-factor and the language switch stay open; the API
    refuses tokens to such a user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password:
            open_paths = {reverse(f"accounts:{name}") for name in ("password_change", "logout", "two_factor")}
            if request.path not in open_paths and not request.path.startswith(
                ("/static/", "/i18n/", "/api/", *_APP_SHELL)
            ):
                return redirect("accounts:password_change")
        return self.get_response(request)


# --- Session refresh (issue 10 item 5) -------------------------------------------------------------------
# Sessions end after SESSION_COOKIE_AGE seconds without a request. SESSION_SAVE_EVERY_REQUEST kept that exact
# by writing the session (a database UPDATE, or a Redis SET) on every request, a write per page view and poll.
# Instead the session is written again only when its last write is SESSION_REFRESH_SECONDS old: the store's
# expiry (last write + SESSION_COOKIE_AGE) then falls between SESSION_COOKIE_AGE minus the window and
# SESSION_COOKIE_AGE after the last request, never later. The window is at most a quarter of the age, so a
# short age (a test, a kiosk setting) is never outrun by the window.

SESSION_STAMP = "_dangvu_written"  # when the session was last written (seconds since the epoch)


def refresh_window() -> int:
    return max(0, min(settings.SESSION_REFRESH_SECONDS, settings.SESSION_COOKIE_AGE // 4))


def stamp(session) -> None:
    """Mark the session as written now (it is saved at the end of the request, as modified)."""
    session[SESSION_STAMP] = int(time.time())


def stamp_on_login(sender, request, user, **kwargs) -> None:
    """user_logged_in: the log-in writes the session; its stamp starts the window."""
    if getattr(request, "session", None) is not None:
        stamp(request.session)


class SessionRefreshMiddleware:
    """Placed right after SessionMiddleware: when the request used a non-empty session whose last write is a
    refresh window old, stamp it, so that SessionMiddleware writes it (and moves its expiry); a session
    written anyway (changed by the request) is stamped too. Requests that did not touch the session leave it
    alone, as before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response
        if session.modified:  # written anyway: the window starts again
            stamp(session)
            return response
        written = session.get(SESSION_STAMP)
        if not isinstance(written, int) or time.time() - written >= refresh_window():
            stamp(session)
        return response
