"""The meeting room on a desktop for the secretary of a cell of 30 (issue 9 item 15): attendance as a compact
table with one control per person, the vote preparation reachable from the top, "mark all present" asked
once and applied to everyone not yet recorded, and a page whose height stays sane.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.meetings import services
from dangvu.meetings.models import Invitation, MeetingKind
from dangvu.orgs.models import OrgKind
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, playwright_api
from tests.browser.live import orm

WIDTH, HEIGHT = 1366, 900
MEMBERS = 30
# Thirty rows of under 50 px beside the room's panels, about two and a half screens in all: the page was
# 5,000 px when each row had three stacked buttons in a narrow column.
MAX_PAGE_HEIGHT = 2.5 * HEIGHT


def _meeting(tree):
    cell = testing.org(tree.a_base, "A1-C30", "Chi bộ Phòng Tổ chức – Hành chính và Quản trị", OrgKind.CELL)
    members = [
        testing.member(cell, f"{first} {i:02d}", sex="F" if i % 2 else "M")
        for i, first in enumerate(["Nguyễn Thị Phương Thảo", "Trần Văn Hoàng Minh", "Lê Hoàng Bảo Ngọc"] * 10)
    ]
    testing.user("sec-c30", Role.CELL_SECRETARY, cell, member_record=members[0])
    meeting = services.create_meeting(
        cell,
        None,
        kind=MeetingKind.REGULAR,
        starts_at=timezone.now(),
        place="Phòng họp tầng 2",
        chair=members[1],
        secretary=members[0],
        agenda=[services.AgendaSpec("Kiểm điểm công tác tháng"), services.AgendaSpec("Kết nạp đảng viên")],
    )
    invitations = list(meeting.invitations.order_by("pk"))
    services.answer(invitations[5], None, rsvp="excused", reason="Đi công tác tỉnh")
    services.open_meeting(meeting, None)
    for invitation in invitations[:3]:
        services.check_in(invitation, None)
    return meeting, invitations


@pytest.mark.browser
def test_room_for_the_secretary_on_a_desktop(server, settings, monkeypatch, tree):
    settings.TWO_FACTOR_REQUIRED = False  # about the room, not TOTP (see test_meeting_flow)
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = settings.SECURE_SSL_REDIRECT = False
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect, sync_playwright = playwright_api()
    meeting, invitations = _meeting(tree)
    assert len(invitations) == MEMBERS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="vi-VN", viewport={"width": WIDTH, "height": HEIGHT})
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.goto(f"{server}/accounts/login/")
            page.fill("#id_username", "sec-c30")
            page.fill("#id_password", testing.PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(lambda u: "/accounts/login/" not in u)
            page.goto(f"{server}/meetings/{meeting.pk}/room/")
            rows = page.locator("#attendance tbody tr")
            expect(rows).to_have_count(MEMBERS)

            size = page.evaluate(
                "() => ({width: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,"
                " height: document.documentElement.scrollHeight})"
            )
            assert size["width"] <= size["client"], size
            assert size["height"] <= MAX_PAGE_HEIGHT, size
            # One control per person, on one line: no row taller than a name and its note, no clipped text.
            heights = [box["height"] for box in (r.bounding_box() for r in rows.all()) if box]
            assert len(heights) == MEMBERS and max(heights) <= 64, max(heights)
            assert page.locator("#attendance tbody tr:first-child select").count() == 1
            assert page.locator("#attendance tbody tr:first-child button").count() == 1
            clipped = page.evaluate(
                "() => [...document.querySelectorAll('#room-attendance button, #room-attendance select')]"
                ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.outerHTML.slice(0, 80))"
            )
            assert clipped == []
            header = page.locator("#attendance th").first.bounding_box()
            assert header is not None and header["width"] >= 250  # not a narrow column
            # The vote is prepared from the top: the link is on the first screen and leads to the form.
            link = page.locator("#vote-create-link")
            box = link.bounding_box()
            assert box is not None and box["y"] + box["height"] <= HEIGHT
            link.click()
            expect(page.locator("#id_vote-question")).to_be_in_viewport()

            # Mark all present: asked once, then everyone not recorded (less the one excused) is present.
            page.click("#mark-all-present")
            expect(page.locator("#confirm-dialog")).to_be_visible()
            page.click("#confirm-dialog-yes")
            expect(page.locator("#attendance-count")).to_have_attribute("data-present", str(MEMBERS - 1))
            expect(page.locator("#mark-all-present")).to_have_count(0)
            excused = invitations[5]
            assert orm(lambda: Invitation.objects.get(pk=excused.pk).attendance) == ""
            # One person at a time: the select posts at once.
            page.select_option(f'tr[data-invitation="{invitations[7].pk}"] select', "unexcused")
            expect(page.locator(f'tr[data-invitation="{invitations[7].pk}"]')).to_have_attribute(
                "data-attendance", "unexcused"
            )
            expect(page.locator("#attendance-count")).to_have_attribute("data-present", str(MEMBERS - 2))
            # The same page on a phone: one column, never wider than the screen.
            page.set_viewport_size({"width": 390, "height": 844})
            page.reload()
            expect(rows).to_have_count(MEMBERS)
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
            assert errors == []
        finally:
            browser.close()
