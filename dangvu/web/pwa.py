"""The installable portal (issue 14 item 1): the web app manifest, the service worker served from the site's
root (so its scope is the whole site) and the page it shows when offline. All three are public: a browser
fetches the manifest without cookies, and none of them holds data of anyone.

The service worker's version is a hash of the static assets it keeps and of its own template: a new release
of any of them makes browsers install the new worker, which drops the old cache (dangvu/web/templates/web/sw.js).
"""

from __future__ import annotations

import functools
import hashlib
import json

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

THEME = "#b3121a"  # the top bar's red (app.css --red)
BACKGROUND = "#fafafa"
SAVED_CACHE = "dv-saved"  # also in dangvu/web/static/dangvu/pwa.js
ASSETS = (
    "dangvu/app.css",
    "vendor/htmx-2.0.11.min.js",
    "dangvu/confirm.js",
    "dangvu/chooser.js",
    "dangvu/pwa.js",
    "dangvu/favicon.svg",
    "dangvu/icons/icon-192.png",
)
ICONS = (
    ("dangvu/icons/icon-192.png", "192x192", "any"),
    ("dangvu/icons/icon-512.png", "512x512", "any"),
    ("dangvu/icons/maskable-192.png", "192x192", "maskable"),
    ("dangvu/icons/maskable-512.png", "512x512", "maskable"),
)


@functools.cache
def version() -> str:
    digest = hashlib.sha256()
    template = get_template("web/sw.js").template.source.encode()
    digest.update(template)
    for name in ASSETS:
        path = finders.find(name)
        if path:
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:12]


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": _("Digital Party affairs"),
        "short_name": _("Party affairs"),
        "description": _("The member's handbook: documents, meetings, studies and notices of the Party organisation."),
        "lang": get_language(),
        "dir": "ltr",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "icons": [
            {"src": static(src), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for src, sizes, purpose in ICONS
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "web/sw.js",
        {
            "version": version(),
            "assets": json.dumps([static(name) for name in ASSETS]),
            "saved_cache": SAVED_CACHE,
            "offline_url": reverse("web:offline"),
            "static_prefix": static(""),
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # browsers check for a new worker on every visit
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker for a page that is not saved when the network is down (no personal data:
    it is kept in the cache for every user of the device)."""
    return render(request, "web/offline.html")
