"""End-to-end: an office user signs in, finds a member by a search typed without diacritics (HTMX live
search), opens the record, comes back and downloads the filtered list as XLSX — in a real browser.

Debian's chromium is driven through Playwright's sync API (Playwright's own browser download does not
work on these machines). A missing browser is a FAILURE, never a skip: a green run must mean the flow ran.
"""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.members.exports import HEADERS
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, playwright_api


@pytest.mark.browser
def test_search_open_record_and_export(live_server, settings, monkeypatch, tree, people, tmp_path):
    # test.sh runs the suite with DANGVU_TWO_FACTOR=1. This test is about the member pages, not about
    # TOTP (dangvu/accounts/tests/test_security.py covers the two-factor flow), so it is switched off here.
    settings.TWO_FACTOR_REQUIRED = False
    # The live server speaks plain HTTP: cookies marked Secure would not come back to it.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread
    # with a running loop unless told that it is safe (it is: the calls are plain synchronous ones).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    expect, sync_playwright = playwright_api()

    testing.user("office", Role.OFFICE, tree.a)
    an = people["an"]
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(accept_downloads=True, locale="vi-VN")
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            csp_violations: list[str] = []
            page.on("console", lambda m: "Content Security Policy" in m.text and csp_violations.append(m.text))

            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", "office")
            page.fill("#id_password", testing.PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(f"{base}/")

            page.goto(f"{base}/members/")
            rows = page.locator("#results tbody tr")
            expect(rows).to_have_count(3)  # committee A: An, Bình, Đức
            # Typing fires the HTMX live search (no submit): only the fragment is swapped.
            page.locator("#id_q").press_sequentially("nguyen van an", delay=20)
            expect(rows).to_have_count(1)
            expect(rows.first).to_contain_text("Nguyễn Văn An")
            expect(page).to_have_url(re.compile(r"/members/\?q=nguyen(\+|%20)van(\+|%20)an&"))  # pushed by HTMX

            page.locator("#results tbody a", has_text="Nguyễn Văn An").click()
            page.wait_for_url(f"{base}/members/{an.pk}/")
            expect(page.locator("h1")).to_have_text("Nguyễn Văn An")
            expect(page.locator("#h-events")).to_be_visible()

            page.go_back()
            expect(page.locator("#id_q")).to_have_value("nguyen van an")
            expect(rows).to_have_count(1)

            with page.expect_download() as download_info:
                page.click("#export-link")
            download = download_info.value
            assert download.suggested_filename.endswith(".xlsx")
            target = tmp_path / download.suggested_filename
            download.save_as(target)
            assert csp_violations == []  # no inline script or style anywhere in the flow
        finally:
            browser.close()

    data = list(load_workbook(target).active.iter_rows(values_only=True))
    assert list(data[0]) == HEADERS
    assert len(data) == 2  # the filtered list: only the member found
    row = dict(zip(HEADERS, data[1], strict=True))
    assert row["Họ và tên"] == "Nguyễn Văn An"
    assert row["Chi bộ"] == tree.c1.name
    assert row["Ngày sinh"].date() == an.birth_date


@pytest.mark.browser
def test_member_checks_in_from_the_home_on_a_phone(live_server, settings, monkeypatch, tree, people):
    """Issue 9 item 6: a member with a meeting in progress signs in on a phone (390×844) and finds the
    check-in button inside the first screen of their home and of the meeting room; checking in from the home
    takes them into the room."""
    settings.TWO_FACTOR_REQUIRED = False  # as above: this test is about the member's home, not TOTP
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.utils import timezone

    from dangvu.meetings import services
    from dangvu.meetings.models import Attendance, MeetingKind

    expect, sync_playwright = playwright_api()
    secretary = testing.user("secretary", Role.CELL_SECRETARY, tree.c1)
    testing.user("an", Role.MEMBER, tree.c1, member_record=people["an"])
    meeting = services.create_meeting(
        tree.c1,
        secretary,
        kind=MeetingKind.THEMATIC,
        topic="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        starts_at=timezone.localtime().replace(minute=0, second=0, microsecond=0),
        place="Hội trường tầng 3",
        agenda=[services.AgendaSpec(f"Nội dung {n}") for n in range(1, 6)],
    )
    services.open_meeting(meeting, secretary)
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", "an")
            page.fill("#id_password", testing.PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(f"{base}/")

            button = page.locator(f"#check-in-{meeting.pk}")
            expect(button).to_be_visible()
            box = button.bounding_box()
            assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844, box
            room = page.locator(f"#room-{meeting.pk}")
            room_box = room.bounding_box()
            assert room_box is not None and room_box["y"] + room_box["height"] <= 844, room_box
            assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling

            # The room itself, opened from the home: the check-in is inside the first screen there too.
            room.click()
            page.wait_for_url(f"{base}/meetings/{meeting.pk}/room/")
            in_room = page.locator("#check-in")
            expect(in_room).to_be_visible()
            box = in_room.bounding_box()
            assert box is not None and box["y"] + box["height"] <= 844, box
            assert page.evaluate("document.documentElement.scrollWidth") <= 390

            page.goto(f"{base}/")
            page.locator(f"#check-in-{meeting.pk}").click()
            page.wait_for_url(f"{base}/meetings/{meeting.pk}/room/")
            expect(page.locator("#my-attendance")).to_have_attribute("data-attendance", "present")
        finally:
            browser.close()
    assert meeting.invitations.get(member=people["an"]).attendance == Attendance.PRESENT
