"""The installable portal (issue 14 item 1): a valid web app manifest with 192 and 512 PNG icons, the service
worker served from the root with its scope header, the offline page, and every page linking them."""

from __future__ import annotations

import struct

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def png_size(path: str) -> tuple[int, int]:
    with open(path, "rb") as handle:
        head = handle.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_the_manifest_is_valid_and_its_icons_exist(client):
    response = client.get("/manifest.webmanifest")  # public: browsers fetch it without cookies
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["name"] and data["short_name"] and len(data["short_name"]) <= 15
    assert data["start_url"] == "/" and data["scope"] == "/" and data["display"] == "standalone"
    assert data["theme_color"].startswith("#") and data["background_color"].startswith("#")
    sizes = set()
    for icon in data["icons"]:
        assert icon["type"] == "image/png" and icon["src"].startswith("/static/")
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        width, height = png_size(path)
        assert icon["sizes"] == f"{width}x{height}"
        sizes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any")} <= sizes


def test_the_manifest_speaks_the_language_chosen(client, settings):
    vi = client.get("/manifest.webmanifest").json()  # Vietnamese unless another language was chosen
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get("/manifest.webmanifest").json()
    assert vi["lang"] == "vi" and vi["name"] == "Đảng vụ số"
    assert en["lang"] == "en" and en["name"] == "Digital Party affairs"


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/" and response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert '"/static/dangvu/app.css"' in body and '"/static/vendor/htmx-2.0.11.min.js"' in body
    assert 'const OFFLINE_URL = "/offline/"' in body and 'const SAVED_CACHE = "dv-saved"' in body
    assert client.post("/sw.js").status_code == 405


def test_the_offline_page_holds_no_personal_data(client, cast):
    client.force_login(cast.member)
    body = client.get("/offline/").content.decode()
    assert 'id="offline-page"' in body and "member" not in body and 'id="saved-list"' in body


def test_every_page_links_the_manifest_and_the_registration(client, cast):
    client.force_login(cast.member)
    body = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in body
    assert '<meta name="theme-color"' in body and "/static/dangvu/pwa.js" in body
    assert 'href="/library/"' in body  # the member's menu has the library
