"""Two-factor gate: staff users must pass a TOTP check before any page when it is required."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from dangvu.accounts.twofactor import needs_two_factor

_OPEN_PREFIXES = ("/accounts/", "/static/", "/api/", "/i18n/")


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
            if request.path not in open_paths and not request.path.startswith(("/static/", "/i18n/", "/api/")):
                return redirect("accounts:password_change")
        return self.get_response(request)
