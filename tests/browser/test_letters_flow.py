"""End-to-end (issue 12 items 3 and 4): an inspector receives a letter about a member (its sender kept
secret), screens it, routes it to be handled (the person denounced is not offered as a handler),
shows the sender (logged), records the outcome opening a discipline case, records the decision on the case,
and the member's record shows the discipline — in a real browser, no CSP violation."""

from __future__ import annotations

import pytest

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.letters.models import Letter, SenderView
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, playwright_api

SENDER = "Trương Thị Người Gửi"


@pytest.mark.browser
def test_receive_screen_route_conclude_and_see_the_discipline(live_server, settings, monkeypatch, tree, people):
    settings.TWO_FACTOR_REQUIRED = False  # this test is about the letters pages, not TOTP
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from cryptography.fernet import Fernet

    from dangvu.lib import fieldcrypt

    monkeypatch.setenv("DANGVU_FIELD_KEYS", Fernet.generate_key().decode())
    fieldcrypt.reset()
    expect, sync_playwright = playwright_api()
    inspector = testing.user("kiemtra", Role.INSPECTION, tree.a)
    binh, an = people["binh"], people["an"]
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="vi-VN")
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            csp: list[str] = []
            page.on("console", lambda m: "Content Security Policy" in m.text and csp.append(m.text))
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", "kiemtra")
            page.fill("#id_password", testing.PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(f"{base}/")

            page.click("nav a[href='/letters/']")
            page.click("#receive-link")
            page.goto(f"{base}/letters/new/?member={binh.pk}")
            page.select_option("#id_committee", str(tree.a.pk))
            page.fill("#id_number", "01/ĐT")
            page.select_option("#id_kind", "denunciation")
            page.select_option("#id_signed", "named")
            page.fill("#id_sender_1_name", SENDER)
            page.fill("#id_sender_1_address", "Số 5 đường Thử")
            page.fill("#id_content", "Tố cáo đảng viên dùng xe công vào việc riêng.")
            page.click("#letter-form button[type=submit]")
            expect(page.locator("#letter-state")).to_have_text("Đã tiếp nhận, chờ phân loại")
            letter = Letter.objects.get()
            expect(page.locator("body")).not_to_contain_text(SENDER)

            page.click("#screen-form button[type=submit]")
            expect(page.locator("#letter-state")).to_have_text("Đã thụ lý, chờ xử lý")
            page.check("#route-form input[name=route][value=handle]")
            page.select_option("#route-form #id_handlers", [str(an.pk)])
            page.click("#route-form button[type=submit]")
            expect(page.locator("#letter-state")).to_have_text("Đang xem xét, giải quyết")
            expect(page.locator("#letter-due")).to_be_visible()

            page.click("#show-sender")
            expect(page.locator("#senders")).to_contain_text(SENDER)
            assert SenderView.objects.filter(letter=letter, viewer=inspector).count() == 1

            form = page.locator("#conclude-form")
            form.locator("input[name=outcome][value=discipline]").check()
            form.locator("#id_conclusion").fill("Nội dung tố cáo có cơ sở.")
            form.locator("#id_category").select_option("economy_finance")
            form.locator("#id_facts").fill("Dùng xe công vào việc riêng.")
            form.locator("#id_violation_date").fill("10/03/2026")
            form.locator("#id_proposed_form").select_option("warning")
            page.click("#conclude-form button[type=submit]")
            expect(page.locator("#letter-outcome")).to_contain_text("Đã xem xét kỷ luật")
            letter.refresh_from_db()
            assert letter.case.member == binh

            page.click("#case-link")
            page.wait_for_url(f"{base}/discipline/{letter.case_id}/")
            decide = page.locator("#decide-form")
            decide.locator("#id_form").select_option("warning")
            decide.locator("#id_decided_by").select_option(str(tree.a_base.pk))
            decide.locator("#id_organ").select_option("committee")
            decide.locator("#id_document_number").fill("09-QĐ/ĐU")
            page.click("#decide-form button[type=submit]")
            expect(page.locator("#case-state")).to_have_text("Đã thi hành kỷ luật")

            page.goto(f"{base}/members/{binh.pk}/")
            expect(page.locator("#member-discipline")).to_contain_text("Cảnh cáo")
            expect(page.locator("#member-discipline")).to_contain_text("09-QĐ/ĐU")
            assert csp == []
        finally:
            browser.close()
            fieldcrypt.reset()
