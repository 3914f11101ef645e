"""Issue 14 acceptance (the library's part): on a phone (390×844) a member signs in, the portal is installable
(a valid manifest, the service worker registered for the whole site), searches a resolution typed without
diacritics, bookmarks it and saves it for offline reading, goes offline and reads it — the copy kept on the
device, not the server's (the server's text is changed meanwhile)."""

from __future__ import annotations

import pytest

from dangvu import testing
from dangvu.library import services
from dangvu.library.models import Shelf
from dangvu.library.tests.conftest import DIGITAL_BODY, library, terms  # noqa: F401  (fixtures)
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, playwright_api


@pytest.mark.browser
def test_member_finds_bookmarks_saves_and_reads_a_resolution_offline(
    live_server,
    settings,
    monkeypatch,
    tree,
    cast,
    library,  # noqa: F811
):
    settings.TWO_FACTOR_REQUIRED = False  # this test is about the library, not TOTP (see test_member_flow)
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect, sync_playwright = playwright_api()
    base = live_server.url
    resolution = library.digital
    detail = f"{base}/library/{resolution.pk}/"

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            problems: list[str] = []
            page.on("console", lambda m: m.type == "error" and problems.append(m.text))
            page.on("pageerror", lambda e: problems.append(str(e)))

            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", "member")
            page.fill("#id_password", testing.PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(f"{base}/")

            # Installable: the manifest the page links is valid, the service worker controls the whole site.
            manifest = page.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
            assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
            assert {"192x192", "512x512"} <= {i["sizes"] for i in manifest["icons"]}
            scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.active && r.scope)")
            assert scope == f"{base}/"

            # Search typed without diacritics: the resolution comes first.
            page.click("nav a[href='/library/']")
            page.wait_for_url(f"{base}/library/")
            page.locator("#id_q").press_sequentially("so tay dang vien dien tu", delay=20)
            first = page.locator("#library-results .lib-item").first
            expect(first).to_contain_text(resolution.title)
            expect(page.locator("#library-results .lib-item")).to_have_count(2)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            first.locator("a").click()
            page.wait_for_url(detail)

            # Bookmark it, then save it for offline reading.
            page.click("#bookmark")
            page.wait_for_url(detail)
            expect(page.locator("#bookmark")).to_have_attribute("aria-pressed", "true")
            save = page.locator("#save-offline")
            expect(save).to_be_visible()
            save.click()
            expect(page.locator("#offline-state")).to_be_visible()
            expect(save).to_have_attribute("aria-pressed", "true")

            # The library shows which documents are saved on this device.
            page.goto(f"{base}/library/?q=so+tay")
            saved = page.locator(f"[data-document='{resolution.pk}'] .lib-offline")
            expect(saved).to_be_visible()
            expect(page.locator(f"[data-document='{library.cadre.pk}'] .lib-offline")).to_be_hidden()

            # Meanwhile the office changes the text on the server; the phone goes offline and reads its copy.
            services.edit(resolution, cast.office, body_text="Văn bản đã thay.", published=True)
            assert problems == [], problems  # no console error, script error or CSP violation online
            context.set_offline(True)
            page.goto(detail)
            expect(page.locator("#document-number")).to_contain_text(resolution.number)
            expect(page.locator("#body-text")).to_contain_text(DIGITAL_BODY[:40])
            expect(page.locator("#offline-note")).to_be_visible()

            # A page not saved: the offline page, listing what is saved.
            page.goto(f"{base}/library/{library.cadre.pk}/")
            expect(page.locator("#offline-page")).to_be_visible()
            expect(page.locator("#saved-list a")).to_contain_text(resolution.number)
            context.set_offline(False)
        finally:
            browser.close()
    assert Shelf.objects.filter(user=cast.member, document=resolution, kind="bookmark").exists()
