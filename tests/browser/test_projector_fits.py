"""The projector view fits a meeting room's screen (issue 9 item 14).

A cell meeting of 28 voters, the long names a real meeting has (organisation, topic, agenda item, question),
a speaker and four waiting, and a closed vote: at 1024×768, 1280×720 and 1920×1080 the verdict, the
attendance figure and every count are inside the viewport, the page is no wider than the screen, no result
bar runs past the right edge, and the figures are large enough to read from the back of the room.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.meetings import services
from dangvu.meetings.models import MeetingKind
from dangvu.orgs.models import OrgKind
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, playwright_api

VIEWPORTS = [(1024, 768), (1280, 720), (1920, 1080)]
QUESTION = "Thông qua nghị quyết về phương hướng, nhiệm vụ công tác xây dựng Đảng sáu tháng cuối năm của chi bộ"
# Counted things the back row must read: (selector, minimum font size in CSS pixels at 1024×768).
FIGURES = {
    "#projector-attendance": 40,
    ".verdict": 32,
    ".result-yes .num": 28,
    ".result-no .num": 28,
    ".result-abstain .num": 28,
}


def _meeting(tree):
    cell = testing.org(
        tree.a_base,
        "A1-C9",
        "Chi bộ Phòng Kế hoạch – Tài chính và Quản lý dự án đầu tư xây dựng cơ bản",
        OrgKind.CELL,
    )
    members = [testing.member(cell, f"Nguyễn Thị Phương Thảo {i:02d}", sex="F") for i in range(28)]
    testing.user("sec-c9", Role.CELL_SECRETARY, cell, member_record=members[0])
    meeting = services.create_meeting(
        cell,
        None,
        kind=MeetingKind.REGULAR,
        starts_at=timezone.now(),
        topic="Sinh hoạt chuyên đề: học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm 2026",
        place="Hội trường tầng 3",
        chair=members[0],
        secretary=members[1],
        agenda=[services.AgendaSpec("Kiểm điểm việc thực hiện nghị quyết tháng trước và đề ra nhiệm vụ tháng tới")],
    )
    services.open_meeting(meeting, None)
    invitations = list(meeting.invitations.order_by("pk"))
    for invitation in invitations[:26]:
        services.check_in(invitation, None)
    for invitation in invitations[:5]:
        services.request_to_speak(invitation, None)
    services.next_speaker(meeting, None)
    vote = services.create_vote(meeting, None, question=QUESTION, method="count", rule="majority_present")
    services.open_vote(vote, None)
    services.close_vote(vote, None, counts={"yes": 23, "no": 2, "abstain": 1})
    return meeting


@pytest.mark.browser
def test_projector_fits_the_screen(server, settings, monkeypatch, tree, tmp_path):
    settings.TWO_FACTOR_REQUIRED = False  # about the projector, not TOTP (see test_meeting_flow)
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = settings.SECURE_SSL_REDIRECT = False
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect, sync_playwright = playwright_api()
    meeting = _meeting(tree)
    url = f"{server}/meetings/{meeting.pk}/projector/"

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="vi-VN")
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.goto(f"{server}/accounts/login/")
            page.fill("#id_username", "sec-c9")
            page.fill("#id_password", testing.PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(lambda u: "/accounts/login/" not in u)
            for width, height in VIEWPORTS:
                page.set_viewport_size({"width": width, "height": height})
                page.goto(url)
                expect(page.locator(".verdict")).to_have_text("Thông qua")
                page.screenshot(path=str(tmp_path / f"projector-{width}x{height}.png"))
                size = page.evaluate(
                    "() => ({scroll: document.documentElement.scrollWidth,"
                    " client: document.documentElement.clientWidth})"
                )
                assert size["scroll"] <= size["client"] == width, (width, height, size)
                for selector, smallest in FIGURES.items():
                    box = page.locator(selector).bounding_box()
                    assert box is not None, selector
                    assert box["x"] >= 0 and box["y"] >= 0, (width, height, selector, box)
                    assert box["x"] + box["width"] <= width, (width, height, selector, box)
                    assert box["y"] + box["height"] <= height, (width, height, selector, box)
                    font = page.locator(selector).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
                    assert font >= smallest * min(width / 1024, height / 768) * 0.99, (width, height, selector, font)
                for bar in page.locator(".result-bars progress").all():
                    box = bar.bounding_box()
                    assert box is not None and box["x"] + box["width"] <= width, (width, height, box)
                    assert box["width"] >= 0.15 * width, (width, height, box)  # a bar, not a sliver
                    assert box["y"] + box["height"] <= height, (width, height, box)
                counts = page.locator(".result-bars .num").all_inner_texts()
                assert [c.strip() for c in counts] == ["23", "2", "1"]
                assert page.locator("#projector-attendance").inner_text().strip() == "26/28"
                # Four waiting to speak: three names shown, all four counted.
                assert page.locator(".projector-waiting li").count() == 3
                assert page.locator("#projector-waiting-total").text_content() == "· 4 người đang chờ"
            # A phone following the meeting: one column, scrolled, never wider than the screen.
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(url)
            page.screenshot(path=str(tmp_path / "projector-390x844.png"), full_page=True)
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
            box = page.locator(".verdict").bounding_box()
            assert box is not None and box["y"] + box["height"] <= 844  # the vote comes first
            assert errors == []
        finally:
            browser.close()
