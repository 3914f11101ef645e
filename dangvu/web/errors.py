"""Error pages (400, 403, 404, 500, CSRF failure) in the site's layout, in the user's language, each with a
way back. Under /api/ the same errors are JSON in the API's format (dangvu.api.errors).

The 500 page is rendered without the navigation (whose capabilities need the database, which may be what
failed); if even that fails, a self-contained page is returned.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from dangvu.api import errors as api_errors

logger = logging.getLogger(__name__)


def _back(request: HttpRequest) -> str | None:
    """The page the user came from, when it is on this site (never an outside address)."""
    referer = request.META.get("HTTP_REFERER", "")
    parts = urlsplit(referer)
    if referer and parts.netloc == request.get_host() and parts.path != request.path:
        return referer
    return None


def _page(request: HttpRequest, status: int, title: str, message: str, **extra) -> HttpResponse:
    if api_errors.is_api(request):
        return api_errors.not_found(request) if status == 404 else api_errors.json_error(status)
    context = {"status": status, "title": title, "message": message, "back": _back(request), **extra}
    return render(request, "web/error.html", context, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(
        request,
        400,
        _("The request could not be read"),
        _("The address or the form sent is not valid. Go back and try again."),
    )


@requires_csrf_token
def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
    return _page(
        request,
        403,
        _("You do not have access to this page"),
        _("Your role does not allow this page or this action. If you need it, ask the committee office.")
        if signed_in
        else _("Sign in to continue."),
        sign_in=not signed_in,
    )


@requires_csrf_token
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(
        request,
        404,
        _("Page not found"),
        _(
            "There is no such page, or the record is outside the organisations you are responsible for. "
            "Check the address or start again from the menu."
        ),
    )


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    if api_errors.is_api(request):
        return api_errors.json_error(500)
    context = {
        "status": 500,
        "title": _("Something went wrong"),
        "message": _(
            "The server could not complete the request. The error was logged; nothing was half-saved. "
            "Try again in a moment, and tell the administrator if it happens again."
        ),
        "back": _back(request),
    }  # rendered without the request: no navigation (it reads the database, which may be what failed)
    try:
        return HttpResponse(loader.render_to_string("web/error.html", context), status=500)
    except Exception:  # the layout itself failed: a page that needs nothing
        logger.exception("the error page could not be rendered")
        page = format_html(
            "<!doctype html><title>500</title><h1>{}</h1><p>{}</p><p><a href='/'>{}</a></p>",
            context["title"],
            context["message"],
            _("Home"),
        )
        return HttpResponse(page, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a form sent from an old page, after signing out, or without cookies."""
    no_cookie = "cookie" in reason.lower()
    return _page(
        request,
        403,
        _("The form has expired"),
        _("The browser did not send its cookie with the form. Allow cookies for this site, then try again.")
        if no_cookie
        else _(
            "The page was open for too long, or you signed in again in another tab. "
            "Go back, reload the page and send the form again: nothing was saved."
        ),
        reason_code="csrf",
    )
