"""End-to-end (issue 12 item 1): an inspector records an inspection on signs of violation (a supervision on
signs is refused beside its field first), records its conclusion (confirmed in the dialog) with a
remediation item, then closes the item with its evidence (confirmed) — in a real browser, no CSP
violation; the conclusion downloads as DOCX."""

from __future__ import annotations

import pytest

from dangvu import testing
from dangvu.accounts.models import Role
from dangvu.inspection.models import Activity, Remediation
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, playwright_api


@pytest.mark.browser
def test_inspect_conclude_and_close_the_remediation(live_server, settings, monkeypatch, tree, people):
    settings.TWO_FACTOR_REQUIRED = False  # this test is about the inspection pages, not TOTP
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect, sync_playwright = playwright_api()
    testing.user("kiemtra", Role.INSPECTION, tree.a)
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="vi-VN", accept_downloads=True)
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            csp: list[str] = []
            page.on("console", lambda m: "Content Security Policy" in m.text and csp.append(m.text))
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", "kiemtra")
            page.fill("#id_password", testing.PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(f"{base}/")

            page.click("nav a[href='/inspection/']")
            page.click("#new-activity")
            form = page.locator("#activity-form")
            form.locator("#id_organisation").select_option(str(tree.a.pk))
            form.locator("#id_organ").select_option("inspection")
            form.locator("input[name=kind][value=supervision]").check()
            form.locator("input[name=mode][value=signs]").check()
            form.locator("#id_title").fill("Kiểm tra dấu hiệu vi phạm trong quản lý tài chính")
            form.locator("#id_decision_number").fill("25-QĐ/UBKT")
            form.locator("#id_decided_on").fill("20/02/2026")
            form.locator("#id_start").fill("01/03/2026")
            form.locator("#id_end").fill("20/03/2026")
            form.locator("#id_team").fill("Trưởng đoàn: Nguyễn Văn Kiểm\nThành viên: Lê Thị Soát")
            form.locator("#id_organisations").select_option([str(tree.a_base.pk)])
            page.click("#activity-form button[type=submit]")
            expect(page.locator("#id_mode_error")).to_contain_text("Giám sát")  # beside the field
            assert not Activity.objects.exists()
            page.locator("#activity-form input[name=kind][value=inspection]").check()
            page.click("#activity-form button[type=submit]")
            expect(page.locator("#subjects")).to_contain_text(tree.a_base.name)
            activity = Activity.objects.get()
            assert page.url == f"{base}/inspection/{activity.pk}/"

            conclusion = page.locator("#conclusion-form")
            conclusion.locator("#id_concluded_on").fill("30/03/2026")
            conclusion.locator("#id_conclusion_number").fill("14-TB/UBKT")
            conclusion.locator("#id_conclusion").fill("Có vi phạm trong quản lý quỹ; chưa đến mức kỷ luật.")
            page.click("#conclusion-form button[type=submit]")
            expect(page.locator("#confirm-dialog")).to_contain_text("Ghi kết luận?")
            page.click("#confirm-dialog-yes")
            expect(page.locator("#conclusion")).to_contain_text("14-TB/UBKT")
            expect(page.locator("#conclusion-form")).to_have_count(0)

            item_form = page.locator("#remediation-form")
            item_form.locator("#id_description").fill("Hoàn trả quỹ và công khai thu chi")
            item_form.locator("#id_owner").fill("Đảng ủy Sở Một")
            item_form.locator("#id_deadline").fill("30/06/2026")
            page.click("#remediation-form button[type=submit]")
            item = Remediation.objects.get()
            row = page.locator(f"#remediation-{item.pk}")
            expect(row).to_contain_text("Hoàn trả quỹ")
            row.locator(f"#id_close{item.pk}-closed_on").fill("15/06/2026")
            row.locator(f"#id_close{item.pk}-evidence").fill("Biên bản kiểm tra lại ngày 15/06/2026")
            row.locator("button[type=submit]").click()
            expect(page.locator("#confirm-dialog")).to_be_visible()
            page.click("#confirm-dialog-yes")
            expect(page.locator(f"#remediation-{item.pk}")).to_contain_text("Biên bản kiểm tra lại")
            expect(page.locator(f"#close-form-{item.pk}")).to_have_count(0)
            item.refresh_from_db()
            assert item.closed_on is not None and item.evidence.startswith("Biên bản")

            with page.expect_download() as download:
                page.click("#conclusion-docx")
            assert download.value.suggested_filename == f"thong-bao-ket-luan-{activity.pk}.docx"
            assert csp == []
        finally:
            browser.close()
