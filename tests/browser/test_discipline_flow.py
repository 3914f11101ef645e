"""End-to-end (issue 12 item 2): an inspector opens a discipline case on a member, a decision by a body the
authority table does not name is refused beside its field, the decision by the competent body is recorded,
and the member's record shows the discipline — in a real browser, no CSP violation."""

from __future__ import annotations

import pytest

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.discipline.models import Case
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, playwright_api


@pytest.mark.browser
def test_open_decide_and_see_it_on_the_record(live_server, settings, monkeypatch, tree, people):
    settings.TWO_FACTOR_REQUIRED = False  # this test is about the discipline pages, not TOTP
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect, sync_playwright = playwright_api()
    testing.user("kiemtra", Role.INSPECTION, tree.a)
    binh = people["binh"]
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

            page.click("nav a[href='/discipline/']")
            page.click("#open-link")
            page.goto(f"{base}/discipline/open/?member={binh.pk}")
            page.select_option("#id_category", "party_duties")
            page.fill("#id_facts", "Không tham gia sinh hoạt chi bộ ba tháng liền.")
            page.fill("#id_violation_date", "10/03/2026")
            page.select_option("#id_proposed_form", "warning")
            page.click("#case-form button[type=submit]")
            expect(page.locator("#case-state")).to_have_text("Đang xem xét")
            case = Case.objects.get()

            form = page.locator("#decide-form")
            form.locator("#id_form").select_option("warning")
            form.locator("#id_decided_by").select_option(str(tree.a.pk))  # its committee may not warn a member
            form.locator("#id_organ").select_option("committee")
            form.locator("#id_document_number").fill("07-QĐ/ĐU")
            page.click("#decide-form button[type=submit]")
            expect(page.locator("#decide-form")).to_contain_text("không có thẩm quyền")
            assert Case.objects.get().state == "open"
            page.locator("#decide-form #id_decided_by").select_option(str(tree.a_base.pk))
            page.click("#decide-form button[type=submit]")
            page.wait_for_url(f"{base}/discipline/{case.pk}/")
            expect(page.locator("#case-state")).to_have_text("Đã thi hành kỷ luật")
            expect(page.locator("#docx-link")).to_be_visible()

            page.goto(f"{base}/members/{binh.pk}/")
            expect(page.locator("#member-discipline")).to_contain_text("Cảnh cáo")
            expect(page.locator("#member-discipline")).to_contain_text("07-QĐ/ĐU")
            assert csp == []
        finally:
            browser.close()
