"""Issue 11 acceptance, end to end in real browsers: one cell's yearly review.

The office has opened this year's review over a grassroots cell (Chi bộ Ban Hai) with two members. Each
member fills and submits the self-assessment on a phone-sized page (no horizontal scroll). The cell
secretary holds the review meeting in the meeting room: opens it, the members check in and vote the
proposals by name from their phones, the secretary closes the vote and the meeting, then records each
member's proposed grade with that vote on the review meeting page. The office records the decision (number
and date) on the campaign page. The organisation page's grade table then shows the grades, and the
classification report downloaded through its link (a DOCX opened back with python-docx) holds them in its
table, cell by cell.

Debian's chromium through Playwright's sync API; a missing browser is a FAILURE, never a skip.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connections
from django.utils import timezone

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.meetings import services as meetings
from dangvu.meetings.models import MeetingKind, VoteState
from dangvu.reviews import services
from dangvu.reviews.models import Decision, Grade, Review, ReviewState
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, playwright_api
from tests.browser.live import orm as _orm

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
QUESTION = "Thông qua đề xuất xếp loại đảng viên năm"
# (general, tasks) points, the tasks exceeded: An 85 → good; Bình 62 → completed.
SCORES = {"an": ("26", "59", True), "binh": ("22", "40", False)}


@pytest.mark.browser
def test_one_cells_review_end_to_end(server, settings, monkeypatch, tree, tmp_path):
    settings.TWO_FACTOR_REQUIRED = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect, sync_playwright = playwright_api()

    cell = tree.a_cell_base  # a grassroots cell: it proposes, its committee office decides
    today = timezone.localdate()
    an = testing.member(cell, "Nguyễn Văn An")
    binh = testing.member(cell, "Trần Thị Bình", sex="F")
    testing.user("an", Role.MEMBER, cell, member_record=an)
    testing.user("binh", Role.MEMBER, cell, member_record=binh)
    thu = testing.user("thu", Role.CELL_SECRETARY, cell)
    office = testing.user("vanphong", Role.OFFICE, tree.a)
    campaign = services.open_campaign(
        cell,
        today.year,
        today - dt.timedelta(days=10),
        services.Timetable(today + dt.timedelta(days=5), today + dt.timedelta(days=10), today + dt.timedelta(days=20)),
        office,
        document_number="12-KH/CB",
    )
    review = {m: campaign.reviews.get(member=rec).pk for m, rec in (("an", an), ("binh", binh))}
    base = server

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:

            def session(username: str, viewport: dict):
                context = browser.new_context(accept_downloads=True, locale="vi-VN", viewport=viewport)
                context.set_default_timeout(TIMEOUT_MS)
                page = context.new_page()
                page.goto(f"{base}/accounts/login/")
                page.fill("#id_username", username)
                page.fill("#id_password", testing.PASSWORD)
                page.click("form button[type=submit]")
                page.wait_for_url(lambda url: "/accounts/login/" not in url)
                return page

            def no_horizontal_scroll(page) -> None:
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url

            # 1. Each member self-assesses on a phone: from the review list to the form, then submits.
            phones = {name: session(name, PHONE) for name in ("an", "binh")}
            for name, page in phones.items():
                general, tasks, exceeded = SCORES[name]
                page.goto(f"{base}/reviews/")
                page.click(f'#my-reviews a[href="/reviews/review/{review[name]}/self/"]')
                no_horizontal_scroll(page)
                page.select_option("#id_form", "2B")
                page.fill("#id_score_general", general)
                page.fill("#id_evidence_general", "Chấp hành nghiêm các quy định")
                page.fill("#id_score_tasks", tasks)
                page.fill("#id_task-0-title", "Hoàn thành báo cáo tổng kết năm")
                page.check("#id_task-0-on_time")
                if exceeded:
                    page.check("#id_task-0-exceeded")
                page.fill("#id_shortcomings", "Có lúc chậm cập nhật văn bản")
                page.fill("#id_remedy", "Lập lịch cập nhật hằng tuần")
                page.click("#submit-review")
                expect(page.locator("#summary")).to_be_visible()  # signed: the form is read-only now
                expect(page.locator("#self-form")).to_have_count(0)
                no_horizontal_scroll(page)
            grades = _orm(lambda: dict(Review.objects.filter(campaign=campaign).values_list("member_id", "self_grade")))
            assert grades == {an.pk: Grade.GOOD, binh.pk: Grade.COMPLETED}

            # 2. The review meeting in the room: opened by the secretary, the members check in and vote.
            meeting = _orm(
                lambda: meetings.create_meeting(
                    cell,
                    thu,
                    kind=MeetingKind.REGULAR,
                    starts_at=timezone.localtime(),
                    place="Hội trường",
                    topic="Kiểm điểm, đánh giá, xếp loại đảng viên",
                )
            )
            room = f"{base}/meetings/{meeting.pk}/room/"
            sec = session("thu", DESKTOP)
            sec.goto(room)
            sec.click("#open-meeting")
            expect(sec.locator("#meeting-state")).to_have_attribute("data-state", "in_progress")
            for page in phones.values():
                page.goto(room)
                page.click("#check-in")
                expect(page.locator("#my-attendance")).to_have_attribute("data-attendance", "present")
            expect(sec.locator("#attendance-count")).to_have_attribute("data-present", "2")
            sec.fill("#id_vote-question", QUESTION)
            sec.select_option("#id_vote-method", "named")
            sec.select_option("#id_vote-rule", "majority_members")  # the rule review.vote_rule requires
            sec.click("#vote-create-submit")
            sec.click("[data-open-vote]")
            for page in phones.values():
                page.click('button[data-choice="yes"]')
                expect(page.locator("#vote-recorded")).to_be_visible()
            expect(sec.locator("#ballots-cast")).to_have_attribute("data-cast", "2")
            sec.click("[data-close-vote]")
            sec.click("#confirm-dialog-yes")
            expect(sec.locator(".vote-result")).to_have_attribute("data-verdict", "passed")
            sec.click("#close-meeting")
            sec.click("#confirm-dialog-yes")
            expect(sec.locator("#meeting-state")).to_have_attribute("data-state", "held")
            vote = _orm(lambda: meeting.votes.get())
            assert vote.state == VoteState.CLOSED

            # 3. The secretary records the cell's proposals with that vote, from the campaign page.
            sec.goto(f"{base}/reviews/{campaign.pk}/")
            sec.click(f'#review-meetings a[data-meeting="{meeting.pk}"]')
            for name, grade in (("an", Grade.GOOD), ("binh", Grade.COMPLETED)):
                sec.select_option(f"#id_grade_{review[name]}", grade)
                sec.select_option(f"#id_vote_{review[name]}", str(vote.pk))
            sec.fill(f"#id_comments_{review['an']}", "Chi bộ thống nhất với bản tự kiểm điểm")
            sec.click("#proposals-form button[type=submit]")
            sec.wait_for_url(f"{base}/reviews/{campaign.pk}/")
            states = _orm(lambda: set(Review.objects.filter(campaign=campaign).values_list("state", "vote_id")))
            assert states == {(ReviewState.PROPOSED, vote.pk)}

            # 4. The office decides on the campaign page.
            desk = session("vanphong", DESKTOP)
            desk.goto(f"{base}/reviews/{campaign.pk}/")
            desk.click(f"#decide-{cell.pk}")
            desk.fill("#id_document_number", "45-QĐ/CB")
            desk.fill("#id_document_date", today.strftime("%d/%m/%Y"))
            desk.click("#decision-form button[type=submit]")
            desk.wait_for_url(f"{base}/reviews/{campaign.pk}/")
            decision = _orm(lambda: Decision.objects.get(campaign=campaign))
            assert (decision.document_number, decision.document_date) == ("45-QĐ/CB", today)

            # 5. The grade table on the organisation page, and the classification report it links to.
            desk.goto(f"{base}/orgs/{cell.pk}/")
            row = desk.locator(f'#grades tr[data-year="{today.year}"]:not(.muted)')
            expect(row.locator('td[data-grade="excellent"]')).to_have_text("0")
            expect(row.locator('td[data-grade="good"]')).to_have_text("1")
            expect(row.locator('td[data-grade="completed"]')).to_have_text("1")
            expect(row.locator('td[data-grade="not_completed"]')).to_have_text("0")
            with desk.expect_download() as download_info:
                desk.click(f'#grades a[data-report="{today.year}"]')
            download = download_info.value
            assert download.suggested_filename.endswith(".docx")
            target = tmp_path / download.suggested_filename
            download.save_as(target)
        finally:
            _orm(connections.close_all)
            browser.close()

    from docx import Document

    document = Document(str(target))
    assert any(f"Kết quả đánh giá, xếp loại đảng viên năm {today.year}" in p.text for p in document.paragraphs)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == [
        "STT",
        "Tổ chức đảng",
        "Tổng số",
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ",
        "Chưa quyết định",
        "Không xếp loại",
        "Chưa kiểm điểm",
    ]
    assert cells[1] == ["1", "Chi bộ Ban Hai", "2", "0", "1", "1", "0", "0", "0", "0"]
    assert cells[-1] == ["", "Cộng", "2", "0", "1", "1", "0", "0", "0", "0"]
