"""Print styles of the main pages (issue 9 item 16): printed from Debian chromium, the member's record, the
member list and a meeting's page with its minutes come out black on white, without the menu, buttons and
forms, with their content; the minutes' text, edited in a form on the screen, is on the printout."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dangvu import testing
from dangvu.meetings import services as meetings
from dangvu.meetings.models import MeetingKind
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, playwright_api

CONCLUSIONS = "Chi bộ thống nhất hoàn thành kế hoạch công tác quý IV trước ngày 20."
# Elements shown on a printout: the menu, the footer, buttons, links styled as buttons and forms are not.
HIDDEN = ".topbar, footer, nav, button, .button, form, .pager"
VISIBLE = "(e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden'"


def _held_meeting(tree, people, actor):
    meeting = meetings.create_meeting(
        tree.c1,
        actor,
        kind=MeetingKind.REGULAR,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        place="Phòng họp tầng 2",
        chair=people["binh"],
        secretary=people["an"],
    )
    meetings.open_meeting(meeting, actor)
    meetings.close_meeting(meeting, actor)
    return meetings.write_minutes(meeting, actor, discussion="Các đồng chí phát biểu ý kiến.", conclusions=CONCLUSIONS)


@pytest.mark.browser
def test_main_pages_print_black_on_white(live_server, settings, monkeypatch, tree, people, cast, tmp_path):
    settings.TWO_FACTOR_REQUIRED = False  # about printing, not TOTP (see test_meeting_flow)
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = settings.SECURE_SSL_REDIRECT = False
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect, sync_playwright = playwright_api()
    meeting = _held_meeting(tree, people, cast.office)
    base = live_server.url
    pages = {
        "member": (f"/members/{people['an'].pk}/", "main h1", "Nguyễn Văn An"),
        "members": ("/members/", "main table", "Trần Thị Bình"),
        "meeting": (f"/meetings/{meeting.pk}/", "#minutes-text", CONCLUSIONS),
    }

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", "office")
            page.fill("#id_password", testing.PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(lambda u: "/accounts/login/" not in u)
            for name, (path, where, content) in pages.items():
                page.emulate_media(media="screen")
                page.goto(base + path)
                assert page.locator(HIDDEN).evaluate_all(f"els => els.filter({VISIBLE}).length") > 0, name
                annul = "main a[href*='/annul']"
                if name == "member":  # the record's "Annul" actions are for the screen, not the printout
                    assert page.locator(annul).evaluate_all(f"els => els.filter({VISIBLE}).length") > 0
                if name == "meeting":  # on the screen the minutes are in their form, the text is for print
                    expect(page.locator("#minutes-form")).to_be_visible()
                    expect(page.locator("#minutes-text")).to_be_hidden()
                page.emulate_media(media="print")
                shown = page.locator(HIDDEN).evaluate_all(
                    f"els => els.filter({VISIBLE}).map(e => e.outerHTML.slice(0, 60))"
                )
                assert shown == [], (name, shown)
                assert page.locator(annul).evaluate_all(f"els => els.filter({VISIBLE}).length") == 0, name
                expect(page.locator("main h1")).to_be_visible()
                expect(page.locator(where)).to_be_visible()
                expect(page.locator(where)).to_contain_text(content)
                colours = page.evaluate(
                    "() => ({body: getComputedStyle(document.body).backgroundColor,"
                    " html: getComputedStyle(document.documentElement).backgroundColor,"
                    " other: [...document.querySelectorAll('main *')].filter(e => e.getClientRects().length)"
                    ".map(e => getComputedStyle(e).color).filter(c => c !== 'rgb(0, 0, 0)')})"
                )
                assert colours["body"] == colours["html"] == "rgb(255, 255, 255)", (name, colours)
                assert colours["other"] == [], (name, colours["other"][:5])
                page.screenshot(path=str(tmp_path / f"{name}-print.png"), full_page=True)
                pdf = page.pdf(format="A4")
                assert pdf.startswith(b"%PDF") and len(pdf) > 5_000, name
                (tmp_path / f"{name}.pdf").write_bytes(pdf)
        finally:
            browser.close()
