"""End-to-end: a cell meeting in real browsers, one browser context (one session) per person.

The cell secretary (also the minutes secretary) plans the meeting on the planning page; the members answer
the invitation; in the meeting room the secretary opens the meeting and checks in, two members check in
from their own devices, the secretary marks the third present, prepares and opens a vote by name, the
members vote from their devices while the count of ballots rises on the secretary's page without a reload;
the secretary closes the vote (verdict shown everywhere) and the meeting, writes the minutes on the
meeting's page, the chair approves them, and the approved DOCX downloaded through the page's link holds
the organisation, the attendance figures, the vote and its result, and the conclusions.

Debian's chromium is driven through Playwright's sync API (Playwright's own browser download does not
work on these machines). A missing browser is a FAILURE, never a skip: a green run must mean the flow ran.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.meetings.models import Ballot, Meeting, MeetingState, VoteState
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, playwright_api
from tests.browser.live import orm as _orm

QUESTION = "Thông qua phương hướng nhiệm vụ tháng tới"
CONCLUSIONS = "Chi bộ thống nhất giao Tổ công tác hoàn thành kế hoạch trước ngày 25."


def _docx_text(path: Path) -> str:
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.mark.browser
def test_cell_meeting_end_to_end(server, settings, monkeypatch, tree, people, tmp_path):
    # test.sh runs the suite with DANGVU_TWO_FACTOR=1. This test is about the meeting pages, not about
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

    # Cell C1: four official members, each with a user. Thư is the cell secretary (and will take the
    # minutes), Bình will chair.
    thu = testing.member(tree.c1, "Lê Thị Thư", sex="F")
    cuong = testing.member(tree.c1, "Võ Văn Cường")
    testing.user("thu", Role.CELL_SECRETARY, tree.c1, member_record=thu)
    testing.user("binh", Role.MEMBER, tree.c1, member_record=people["binh"])
    testing.user("an", Role.MEMBER, tree.c1, member_record=people["an"])
    testing.user("cuong", Role.MEMBER, tree.c1, member_record=cuong)
    base = server
    now = timezone.localtime()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        csp_violations: list[str] = []
        try:

            def session(username: str):
                """A separate browser context (its own cookies: its own session), signed in."""
                context = browser.new_context(accept_downloads=True, locale="vi-VN")
                context.set_default_timeout(TIMEOUT_MS)
                page = context.new_page()
                page.on("console", lambda m: "Content Security Policy" in m.text and csp_violations.append(m.text))
                page.goto(f"{base}/accounts/login/")
                page.fill("#id_username", username)
                page.fill("#id_password", testing.PASSWORD)
                page.click("form button[type=submit]")
                page.wait_for_url(lambda url: "/accounts/login/" not in url)
                return page

            # 1. The secretary plans the meeting on the planning page.
            sec = session("thu")
            sec.goto(f"{base}/meetings/new/?organisation={tree.c1.pk}")
            sec.select_option("#id_kind", "regular")
            sec.fill("#id_date", now.strftime("%d/%m/%Y"))
            sec.fill("#id_time", now.strftime("%H:%M"))
            sec.fill("#id_place", "Phòng họp tầng 2")
            sec.select_option("#id_chair", label="Trần Thị Bình")
            sec.select_option("#id_secretary", label="Lê Thị Thư")
            sec.fill("#id_agenda-0-title", "Kiểm điểm công tác tháng, phương hướng tháng tới")
            sec.click("#create-submit")
            sec.wait_for_url(lambda url: url.rstrip("/").split("/")[-1].isdigit())
            meeting = _orm(lambda: Meeting.objects.get(organisation=tree.c1))
            assert _orm(lambda: meeting.invitations.filter(may_vote=True).count()) == 4
            detail = f"{base}/meetings/{meeting.pk}/"
            room = f"{base}/meetings/{meeting.pk}/room/"
            invitation = _orm(lambda: {i.member_id: i.pk for i in meeting.invitations.all()})

            # 2. The members answer the invitation, each from their own session.
            members = {name: session(name) for name in ("an", "binh", "cuong")}
            for page in members.values():
                page.goto(detail)
                page.click(".mtg-attend")
                expect(page.locator(".mtg-rsvp")).to_have_attribute("data-rsvp", "attending")

            # 3. The room: the secretary opens the meeting and checks in; two members check in themselves.
            sec.goto(detail)
            sec.click("#room-link")
            sec.wait_for_url(room)
            sec.evaluate("window.__sameDocument = true")  # gone if the page were reloaded
            sec.click("#open-meeting")
            expect(sec.locator("#meeting-state")).to_have_attribute("data-state", "in_progress")
            sec.click("#check-in")
            expect(sec.locator("#my-attendance")).to_have_attribute("data-attendance", "present")
            count = sec.locator("#attendance-count")
            expect(count).to_have_attribute("data-present", "1")
            for name in ("an", "binh"):
                page = members[name]
                page.goto(room)
                page.click("#check-in")
                expect(page.locator("#my-attendance")).to_have_attribute("data-attendance", "present")
            expect(count).to_have_attribute("data-present", "3")  # polled: no reload on the secretary's page
            # The third member has no device at hand: the secretary marks him present (one control per row).
            sec.select_option(f'tr[data-invitation="{invitation[cuong.pk]}"] select[data-mark-select]', "present")
            expect(count).to_have_attribute("data-present", "4")
            expect(count).to_have_attribute("data-expected", "4")
            expect(sec.locator("#quorum")).to_have_attribute("data-quorate", "1")

            # 4. A vote by name, prepared and opened by the secretary.
            sec.fill("#id_vote-question", QUESTION)
            sec.select_option("#id_vote-method", "named")
            sec.select_option("#id_vote-rule", "majority_present")
            sec.select_option("#id_vote-agenda_item", index=1)
            sec.click("#vote-create-submit")
            sec.click("[data-open-vote]")
            cast = sec.locator("#ballots-cast")
            expect(cast).to_have_attribute("data-cast", "0")
            members["cuong"].goto(room)
            # Each member votes from their own session; the secretary's count follows live.
            for n, (name, choice) in enumerate([("an", "yes"), ("binh", "yes"), ("cuong", "no")], start=1):
                page = members[name]
                page.click(f'button[data-choice="{choice}"]')  # the open vote reached the member's page
                expect(page.locator("#vote-recorded")).to_be_visible()
                expect(cast).to_have_attribute("data-cast", str(n))
            sec.click('button[data-choice="yes"]')
            expect(cast).to_have_attribute("data-cast", "4")
            assert _orm(lambda: Ballot.objects.filter(vote__meeting=meeting).count()) == 4
            sec.click("[data-close-vote]")
            # Irreversible: a dialog asks once, saying what cannot be undone; "go back" changes nothing.
            expect(sec.locator("#confirm-dialog")).to_be_visible()
            sec.click("#confirm-dialog-no")
            expect(sec.locator("#confirm-dialog")).to_have_count(0)
            assert _orm(lambda: meeting.votes.get().state) == VoteState.OPEN
            sec.click("[data-close-vote]")
            sec.click("#confirm-dialog-yes")
            result = sec.locator(".vote-result")
            expect(result).to_have_attribute("data-verdict", "passed")
            expect(result).to_have_attribute("data-yes", "3")
            expect(result).to_have_attribute("data-needed", "3")  # more than half of the 4 present
            # The verdict reaches the members' pages too, by polling.
            expect(members["an"].locator(".vote-result")).to_have_attribute("data-verdict", "passed")
            assert sec.evaluate("window.__sameDocument") is True
            assert _orm(lambda: meeting.votes.get().state) == VoteState.CLOSED

            # 5. The secretary closes the meeting and writes the minutes on the meeting's page.
            sec.click("#close-meeting")
            sec.click("#confirm-dialog-yes")
            expect(sec.locator("#meeting-state")).to_have_attribute("data-state", "held")
            sec.click("#minutes-link")
            sec.wait_for_url(detail)
            sec.fill("#id_minutes-discussion", "Các đồng chí thảo luận sôi nổi, thống nhất cao.")
            sec.fill("#id_minutes-conclusions", CONCLUSIONS)
            sec.fill("#id_minutes-resolution_number", "05-NQ/CB")
            sec.fill("#id_minutes-resolution_text", "Chi bộ quyết nghị thực hiện phương hướng đã thông qua.")
            sec.click("#minutes-form button[type=submit]")
            sec.wait_for_url(detail)
            _orm(meeting.refresh_from_db)
            assert meeting.conclusions == CONCLUSIONS

            # 6. The chair approves; the approved DOCX is downloaded through the page's link.
            chair = members["binh"]
            chair.goto(detail)
            chair.click("#approve-form button[type=submit]")
            expect(chair.locator("#confirm-dialog")).to_contain_text("Duyệt biên bản?")
            chair.click("#confirm-dialog-yes")
            expect(chair.locator("#minutes-approved")).to_be_visible()
            with chair.expect_download() as download_info:
                chair.click("#minutes-file-link")
            download = download_info.value
            assert download.suggested_filename.endswith(".docx")
            target = tmp_path / download.suggested_filename
            download.save_as(target)
            assert csp_violations == []  # no inline script or style anywhere in the flow
        finally:
            # While Playwright's loop runs, this thread's ORM calls use their own connection (asgiref keeps
            # database connections per async context): close it, or PostgreSQL cannot drop the test database.
            _orm(connections.close_all)
            browser.close()

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED and meeting.minutes_sha256
    text = _docx_text(target)
    assert tree.c1.name in text
    assert "số phải có mặt: 4 đồng chí" in text and "Có mặt: 4 đồng chí" in text
    assert QUESTION in text
    assert "Tán thành: 3" in text and "không tán thành: 1" in text and "Kết quả: thông qua" in text
    assert CONCLUSIONS in text
