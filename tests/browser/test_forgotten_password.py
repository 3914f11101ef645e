"""End-to-end: a member who forgot the password asks from the log-in page, the office of the committee sees
the task among its deadlines, sets a temporary password (asked once in a dialog), and the member signs in
with it and must choose a new one first (issue 9 item 17). No CSP message and no console error."""

from __future__ import annotations

import pytest

from dangvu import testing
from dangvu.accounts.models import PasswordEvent, Role
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, playwright_api


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit]")


@pytest.mark.browser
def test_forgotten_password_from_request_to_new_password(live_server, settings, monkeypatch, tree, people):
    settings.TWO_FACTOR_REQUIRED = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect, sync_playwright = playwright_api()
    testing.user("office", Role.OFFICE, tree.a)
    testing.user("an", Role.MEMBER, tree.c1, member_record=people["an"])
    base = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            console: list[str] = []
            pages = []
            for _ in range(2):
                context = browser.new_context(locale="vi-VN")
                context.set_default_timeout(TIMEOUT_MS)
                page = context.new_page()
                page.on("console", lambda m: m.type in {"error", "warning"} and console.append(m.text))
                pages.append(page)
            member, office = pages

            member.goto(f"{base}/accounts/login/")
            member.click("#forgot-link")
            member.wait_for_url(f"{base}/accounts/password/forgot/")
            member.fill("#id_username", "an")
            member.fill("#id_contact", "0901 234 567")
            member.click("#forgot-form button[type=submit]")
            expect(member.locator("#request-sent")).to_be_visible()

            sign_in(office, base, "office", testing.PASSWORD)
            office.wait_for_url(f"{base}/")
            office.goto(f"{base}/alerts/")
            task = office.locator('main a[href="/accounts/password/requests/"]')
            expect(task).to_have_count(1)  # the request is a task among the office's deadlines
            task.click()
            office.wait_for_url(f"{base}/accounts/password/requests/")
            row = office.locator('tr[data-user="an"]')
            expect(row).to_contain_text("0901 234 567")
            row.locator("button", has_text="Đặt mật khẩu tạm thời").click()
            expect(office.locator("#confirm-dialog")).to_be_visible()
            office.click("#confirm-dialog-yes")
            temporary = office.locator("#issued-password code").inner_text().strip()
            assert len(temporary) == 14

            sign_in(member, base, "an", temporary)
            member.wait_for_url(f"{base}/accounts/password/change/")
            expect(member.locator("#password-forced")).to_be_visible()
            member.goto(f"{base}/meetings/")  # every page leads back here until it is changed
            member.wait_for_url(f"{base}/accounts/password/change/")
            member.fill("#id_old_password", temporary)
            member.fill("#id_new_password1", "Mat-khau-rieng-2026")
            member.fill("#id_new_password2", "Mat-khau-rieng-2026")
            member.click("#password-change-form button[type=submit]")
            member.wait_for_url(lambda url: "/accounts/" not in url)
            assert console == []
        finally:
            browser.close()
    kinds = list(PasswordEvent.objects.order_by("id").values_list("kind", "actor__username"))
    assert kinds == [("requested", None), ("temporary", "office"), ("changed", "an")]
