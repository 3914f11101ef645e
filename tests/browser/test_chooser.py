"""End-to-end: the search-as-you-type chooser on a long select (issue 9 item 4, static/dangvu/chooser.js and
dangvu/web/choosers.py). An office user opens the new member form, types part of a cell's name without
diacritics into the box put before the cell select, the select narrows to the matching cells of the
user's scope, the choice is kept; emptying the box gives back every option. No CSP message, no error."""

from __future__ import annotations

import pytest

from dangvu import testing
from dangvu.accounts.models import Role
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, playwright_api


@pytest.mark.browser
def test_the_cell_select_narrows_as_one_types(live_server, settings, monkeypatch, tree):
    settings.TWO_FACTOR_REQUIRED = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect, sync_playwright = playwright_api()
    testing.user("office", Role.OFFICE, tree.a)
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="vi-VN")
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            console: list[str] = []
            page.on("console", lambda m: m.type in {"error", "warning"} and console.append(m.text))

            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", "office")
            page.fill("#id_password", testing.PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(f"{base}/")

            page.goto(f"{base}/members/new/")
            options = page.locator("#id_cell option")
            expect(options).to_have_count(4)  # the empty choice and the three cells of committee A
            box = page.locator("#id_cell_search")
            expect(box).to_have_attribute("aria-label", "Tìm: Chi bộ")
            box.press_sequentially("phong h", delay=20)
            expect(options).to_have_count(2)
            expect(options.nth(1)).to_have_text("Chi bộ Phòng Hai")
            page.select_option("#id_cell", str(tree.c2.pk))

            box.fill("")
            box.press_sequentially("xuong", delay=20)  # a cell of committee B: not offered
            expect(page.locator(".chooser-status")).to_have_text("Không tìm thấy: hãy thử từ khác.")
            expect(options).to_have_count(2)  # the empty choice and the chosen cell stay
            expect(page.locator("#id_cell")).to_have_value(str(tree.c2.pk))

            box.fill("")
            box.dispatch_event("input")
            expect(options).to_have_count(4)
            expect(page.locator("#id_cell")).to_have_value(str(tree.c2.pk))
            assert console == []
        finally:
            browser.close()


@pytest.mark.browser
def test_the_member_list_finds_an_organisation_below_the_levels_it_lists(
    live_server, settings, monkeypatch, tree, people
):
    """The list's organisation filter shows the upper levels only; typing finds a cell below them (in the
    user's scope), adds it to the select and the list follows."""
    settings.TWO_FACTOR_REQUIRED = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setattr("dangvu.accounts.scope.ORG_OPTIONS_LIMIT", 2)  # the cells are then below the list
    expect, sync_playwright = playwright_api()
    testing.user("office", Role.OFFICE, tree.a)
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="vi-VN")
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            console: list[str] = []
            page.on("console", lambda m: m.type in {"error", "warning"} and console.append(m.text))
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", "office")
            page.fill("#id_password", testing.PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(f"{base}/")

            page.goto(f"{base}/members/")
            options = page.locator("#id_organisation option")
            expect(options).to_have_count(3)  # "all in my scope" and two upper levels
            expect(page.locator("#id_organisation option", has_text="Phòng Hai")).to_have_count(0)
            page.locator("#id_organisation_search").press_sequentially("phong hai", delay=20)
            expect(options).to_have_count(2)
            expect(options.nth(1)).to_have_text("Chi bộ Phòng Hai")
            page.select_option("#id_organisation", str(tree.c2.pk))
            rows = page.locator("#results tbody tr")
            expect(rows).to_have_count(1)
            expect(rows.first).to_contain_text("Lê Minh Đức")
            assert console == []
        finally:
            browser.close()
